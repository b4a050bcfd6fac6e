// mpk-sim: the simulator binary. All wiring lives in sim_runtime (also used in-process by the demo).

#include "sim/app/sim_runtime.hpp"

int main(int argc, char** argv) { return mpk::sim::run_sim(argc, argv); }

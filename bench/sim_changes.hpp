#pragma once
/// Device changes made the way an administrator makes them: through the simulated Devices App
/// (its control API), so that they reach the product over the devices-api like any other push.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mpk::bench {

/// Makes change k, stamped `stamp_us`; false when it could not be made.
using change_sink = std::function<bool(int k, std::int64_t stamp_us)>;

/// Up to `want` device ids of the simulator's first instance that are in a domain (a change to
/// them reaches the registry).
std::vector<std::int64_t> assigned_ids(const std::string& sim_base, std::size_t want);

/// Makes changes 0 … events-1, `rate` per second, each stamped with the time it was due (not the
/// time the driver got to it: a server whose answer holds the driver up must not hide its queue
/// that way); returns the seconds it took.
double make_paced(int events, int rate, const change_sink& sink);

/// Change k renames device ids[k % size] to "bench <stamp> <k>" through the control API.
change_sink rename_in_sim(const std::string& sim_base, const std::vector<std::int64_t>& ids);

} // namespace mpk::bench

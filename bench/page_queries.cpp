#include "bench/page_queries.hpp"

#include "bench/bench_util.hpp"

#include <chrono>
#include <string>

namespace mpk::bench {

page_queries::page_queries(const load_options& o)
    : thread_([this, o] {
        query_client q;
        if (!q.open(o)) return;
        const char* terms[] = {"ip1", "13r", "10.", "office", "ip2", "14r1"};
        std::string res;
        for (int i = 0; running_; ++i) {
          auto req = std::string(R"({"mt":"QueryDevices","src":"q","online":true,"limit":100,"offset":)") +
                     std::to_string((i * 37) % 300) + R"(,"search":")" + terms[i % 6] + "\"}";
          auto t0 = clock::now();
          if (!q.call(req, "QueryDevicesResult", res)) break;
          ms_.push_back(us_since(t0) / 1000.0);
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }) {}

page_queries::~page_queries() { stop(); }

std::vector<double> page_queries::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  return ms_;
}

} // namespace mpk::bench

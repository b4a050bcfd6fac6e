// How the soak reads a delta stream (docs/app-protocol.md §3, Merged changes).

#include "bench/soak/delta_check.hpp"

#include <catch2/catch.hpp>

using mpk::soak::churn_count;
using mpk::soak::delta_stream;

TEST_CASE("soak: a list every change reaches counts a gap as lost and an overlap as twice") {
  delta_stream s(true);
  s.page(10);
  CHECK(s.delta(std::nullopt, 11) == 0);
  CHECK(s.delta(12, 14) == 0);           // merged, no gap
  CHECK(s.delta(std::nullopt, 17) == 2); // 15 and 16 never came
  CHECK(s.findings().lost == 2);
  CHECK(s.delta(17, 18) == 1); // 17 again
  CHECK(s.findings().duplicated == 1);
  CHECK(s.findings().messages == 4);
  CHECK(s.findings().merged == 2);
}

TEST_CASE("soak: a filtered list may skip seqs but never repeat one") {
  delta_stream s(false);
  s.page(100);
  CHECK(s.delta(std::nullopt, 105) == 0);
  CHECK(s.delta(std::nullopt, 105) == 1);
  CHECK(s.findings().lost == 0);
  CHECK(s.findings().duplicated == 1);
}

TEST_CASE("soak: a fresh page restarts the count, a resumed page continues after resumeFrom") {
  delta_stream s(true);
  s.page(50);
  s.delta(std::nullopt, 51);
  s.page(3); // a new registry counts from the start
  CHECK(s.delta(std::nullopt, 4) == 0);
  s.resumed(4);
  CHECK(s.delta(std::nullopt, 6) == 1); // 5 missed after the resume
  CHECK(s.findings().lost == 1);
  delta_stream before_page(true);
  CHECK(before_page.delta(std::nullopt, 1) == 1); // a delta before any page counts
}

TEST_CASE("soak: a device's churn count may only advance by one outside a merged message") {
  CHECK(churn_count("soak 17 4") == 4u);
  CHECK_FALSE(churn_count("Renamed 3"));
  CHECK_FALSE(churn_count("soak 17 4x"));
  delta_stream s(false);
  s.page(1);
  s.device("a", "soak 1 1", false);
  s.device("a", "soak 1 2", false);
  s.device("a", "soak 1 2", false); // another change (online, stale) with the same name
  CHECK(s.findings().device_skips == 0);
  s.device("a", "soak 1 5", true); // merged: 3 and 4 folded in
  CHECK(s.findings().device_skips == 0);
  s.device("a", "soak 1 7", false);
  CHECK(s.findings().device_skips == 1);
  s.device("a", "soak 1 6", false);
  CHECK(s.findings().device_regressions == 1);
  s.removed("a");
  s.device("a", "soak 1 9", false); // back in the list after changes it did not match
  CHECK(s.findings().device_skips == 1);
  s.page(2);
  s.device("a", "soak 1 3", false); // a new page's state stands on its own
  CHECK(s.findings().device_regressions == 1);
}

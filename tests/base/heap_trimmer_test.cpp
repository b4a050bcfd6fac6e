// The heap trimmer gives back what glibc keeps free below the top of its arena.
#include "common/base/heap_trimmer.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

using namespace mpk;

// Sanitizer builds bring their own allocator, which malloc_trim does not reach.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MPK_GLIBC_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MPK_GLIBC_MALLOC 0
#endif
#endif
#ifndef MPK_GLIBC_MALLOC
#define MPK_GLIBC_MALLOC 1
#endif

TEST_CASE("a trim gives back the free pages below the top of the heap", "[base][heap]") {
  if (!MPK_GLIBC_MALLOC) return;
  // 32 MB in 1 KB blocks (below the mmap threshold: inside the arena), then all but one block at
  // the very end freed: that block keeps the top in place, so glibc keeps the free pages resident
  // until something trims them.
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 32 * 1024; ++i) {
    blocks.emplace_back(new char[1024]);
    blocks.back()[0] = static_cast<char>(i); // touched: resident
    for (int at = 0; at < 1024; at += 512) blocks.back()[at] = 1;
  }
  auto keep = std::move(blocks.back());
  blocks.clear();
  blocks.shrink_to_fit();
  auto [before, after] = heap_trimmer::trim_now();
  INFO("resident before " << before / 1024 << " KB, after " << after / 1024 << " KB");
  REQUIRE(before > 0);
  CHECK(before - after > 16u * 1024 * 1024);
  CHECK(keep[0] == 1);
}

TEST_CASE("a trimmer thread stops when it goes out of scope", "[base][heap]") {
  // Zero: no thread. An hour: the destructor wakes the thread and joins it at once (were it to
  // wait for the hour, ctest's timeout would fail this test).
  { heap_trimmer off{std::chrono::seconds(0)}; }
  { heap_trimmer on{std::chrono::seconds(3600)}; }
  auto [before, after] = heap_trimmer::trim_now();
  CHECK(before > 0);
  CHECK(after > 0);
}

#include "common/base/heap_tuning.hpp"

#include <malloc.h>

namespace mpk {

void tune_heap_for_registry() {
  ::mallopt(M_ARENA_MAX, 1);
  // Setting the threshold also turns off glibc's dynamic raising of it.
  ::mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
}

} // namespace mpk

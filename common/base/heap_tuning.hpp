#pragma once
/// glibc heap settings for the registry's own process (mpk-registry).
///
/// Loading 100,000 devices builds ~120 MB of small objects (records, entries, strings) next to
/// ~37 MB of transient per-chunk record vectors, and every fresh page costs a page fault (about
/// 2 µs each on a 2-vCPU VM). By default glibc gives each thread its own arena and serves blocks
/// above 128 KB (a chunk of 500 records is 184 KB) with mmap, which returns them to the system
/// the moment they are freed: the chunk vectors, parsed on one CAF worker and freed on another
/// while the registry builds the entries, are never reused by those entries. One arena and a
/// fixed 4 MB mmap threshold let them be (docs/performance.md, round 7: 37.5k → 30.5k faults,
/// load CPU 305 → 267 ms and peak RSS 146 → 130 MB, medians).
///
/// Not for processes with the gateway: there the network thread and the CAF workers allocate
/// all the time, and one arena's lock slowed the fan-out (round 7, medians of 3 alternating pairs:
/// p50 14.9 → 19.0 ms, burst 1.08M → 0.82M deliveries/s).

namespace mpk {

/// Call first thing in main(), before any thread starts.
void tune_heap_for_registry();

} // namespace mpk

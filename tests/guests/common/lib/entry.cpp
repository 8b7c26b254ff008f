// SPDX-License-Identifier: GPL-2.0-only
// From start.S to zone_main on the boot vCPU.
#include <guest/testing.hpp>
#include <guest/zone.hpp>

extern "C" {
using InitFn = void (*)();
extern InitFn __init_array_start[];
extern InitFn __init_array_end[];

[[noreturn]] void bh_boot_main(bh::u64 x0) {
    // Tests avoid static constructors, but running them costs nothing and
    // keeps a stray global object from silently staying unconstructed.
    for (InitFn* f = __init_array_start; f != __init_array_end; ++f) (*f)();
    zone_main(x0);
    bh::test::error("zone_main returned without a verdict");
}
}

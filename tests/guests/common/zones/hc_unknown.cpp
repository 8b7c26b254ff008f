// SPDX-License-Identifier: GPL-2.0-only
// Unknown function IDs (outside the Bulkhead range, with high bits set in
// x0 or RAX, unassigned PSCI numbers, which mean nothing at all on x86)
// must return NOT_SUPPORTED (-1) and leave the zone running. The same
// source runs on both architectures.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

struct Unknown {
    u64 id;
    const char* why;
};

constexpr Unknown kUnknown[] = {
    {BH_HC_FN(BH_HC_COUNT), "first number past the table"},
    {BH_HC_FN(0x50), "unassigned Bulkhead number"},
    {BH_HC_FN(0xffff), "largest Bulkhead number"},
    {0x1C6000000ull, "BH_HC_VERSION with bit 32 set"},
    {0x12345678, "not an SMCCC fast call"},
    {0x8400001F, "unassigned PSCI number"},
    {0, "zero"},
    {~0ull, "all ones"},
};

} // namespace

extern "C" void zone_main(u64) {
    test::begin("hypercall-unknown");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    for (const Unknown& u : kUnknown) {
        i64 rc = hc::call(u.id, 1, 2, 3, 4).status;
        test::check(rc == BH_ERR_NOT_SUPPORTED, "0x%llx (%s) returned %lld, expected -1",
                    static_cast<unsigned long long>(u.id), u.why, static_cast<long long>(rc));
        print("0x%llx (%s) -> %lld\n", static_cast<unsigned long long>(u.id), u.why, static_cast<long long>(rc));
    }
    // Still alive, and the hypervisor still answers this zone.
    BH_EXPECT_EQ(hc::zone_self().status, BH_OK);
    test::finish();
}

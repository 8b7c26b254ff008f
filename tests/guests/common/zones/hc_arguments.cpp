// SPDX-License-Identifier: GPL-2.0-only
// A privileged zone passes out-of-range arguments to the management calls:
// each must be refused with INVALID_ARGUMENT (or NOT_FOUND for a handle that
// names no zone) and change nothing.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>
#include <guest/zone_admin.hpp>

using namespace bh;
using ll = long long;

namespace {

constexpr u64 kMem = 0x200000;
const char kGood[] = "scratch";
const char kLong[] = "abcdefghijklmnopqrstuvwxyz012345"; // 32 characters
const char kUpper[] = "Upper";
const char kSpace[] = "a b";
alignas(16) const u8 kPayload[16] = {1, 2, 3};
constexpr u64 kBadHandles[] = {0, (u64(99) << 16) | 7};

void expect(const char* what, i64 rc, i64 want) {
    test::check(rc == want, "%s returned %lld, expected %lld", what, static_cast<ll>(rc), static_cast<ll>(want));
}

void expect_bad_handle(const char* what, u64 handle, i64 rc) {
    test::check(rc == BH_ERR_INVALID_ARGUMENT || rc == BH_ERR_NOT_FOUND,
                "%s of handle 0x%llx returned %lld, expected -2 or -5", what, static_cast<unsigned long long>(handle),
                static_cast<ll>(rc));
}

void check_create() {
    expect("ZONE_CREATE with 0 vCPUs", hc::zone_create(kGood, 7, kMem, 0).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE with 9 vCPUs", hc::zone_create(kGood, 7, kMem, 9).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE with memory 0", hc::zone_create(kGood, 7, 0, 1).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE with memory 0x1001", hc::zone_create(kGood, 7, 0x1001, 1).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE with name length 0", hc::zone_create(kGood, 0, kMem, 1).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE with name length 32", hc::zone_create(kLong, 32, kMem, 1).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE named 'Upper'", hc::zone_create(kUpper, 5, kMem, 1).status, BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_CREATE named 'a b'", hc::zone_create(kSpace, 3, kMem, 1).status, BH_ERR_INVALID_ARGUMENT);
    print("ZONE_CREATE refused every bad argument\n");
}

void check_bad_handles() {
    for (u64 h : kBadHandles) {
        expect_bad_handle("ZONE_LOAD", h, hc::zone_load(h, kRamBase, kPayload, sizeof kPayload));
        expect_bad_handle("ZONE_SET_ENTRY", h, hc::zone_set_entry(h, 0, kRamBase, 0));
        expect_bad_handle("ZONE_START", h, hc::zone_start(h));
        expect_bad_handle("ZONE_STOP", h, hc::zone_stop(h));
        expect_bad_handle("ZONE_DESTROY", h, hc::zone_destroy(h));
        expect_bad_handle("ZONE_STATUS", h, hc::zone_status(h).status);
    }
    print("every call refused handles 0 and 0x630007\n");
}

void check_on_a_real_zone() {
    SmcccResult c = hc::zone_create(kGood, 7, kMem, 1);
    if (!test::check(c.status == BH_OK, "ZONE_CREATE scratch returned %lld", static_cast<ll>(c.status))) return;
    u64 h = c.r1;
    expect("ZONE_SET_ENTRY vCPU 8", hc::zone_set_entry(h, 8, kRamBase, 0), BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_SET_ENTRY vCPU 1 of a 1-vCPU zone", hc::zone_set_entry(h, 1, kRamBase, 0), BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_LOAD from outside the caller's RAM",
           hc::zone_load(h, kRamBase, reinterpret_cast<void*>(0x80000000ull), 16), BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_LOAD past the end of the target's RAM", hc::zone_load(h, kRamBase + kMem - 8, kPayload, 16),
           BH_ERR_INVALID_ARGUMENT);
    expect("ZONE_LOAD below the target's RAM", hc::zone_load(h, kRamBase - 16, kPayload, 16), BH_ERR_INVALID_ARGUMENT);
    hc::ZoneStatus s = hc::zone_status(h);
    BH_EXPECT_EQ(s.state, u64(BH_ZONE_CREATED));
    expect("ZONE_DESTROY scratch", admin::destroy_retrying(h, 5000), BH_OK);
    print("a created zone refused bad vCPU numbers and load ranges\n");
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("hypercall-arguments");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    check_create();
    check_bad_handles();
    check_on_a_real_zone();
    test::finish();
}

// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <arch/zone_platform.hpp>
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/manifest.hpp>

#include <cstring>

using namespace bh;

namespace {

HypercallArgs args(u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0) {
    HypercallArgs a;
    a.arg[0] = a0;
    a.arg[1] = a1;
    a.arg[2] = a2;
    a.arg[3] = a3;
    return a;
}

constexpr u64 kHandle = (u64(7) << 16) | 3; // slot 3, generation 7
constexpr u64 kIpaLimit = u64(1) << 39;

} // namespace

TEST_CASE("hypercall: every ABI function ID is classified", "[hypercall]") {
    struct {
        u64 fn;
        Hypercall h;
        bool management;
    } table[] = {
        {BH_HC_VERSION, Hypercall::version, false},
        {BH_HC_ZONE_SELF, Hypercall::zone_self, false},
        {BH_HC_YIELD, Hypercall::yield, false},
        {BH_HC_ZONE_EXIT, Hypercall::zone_exit, false},
        {BH_HC_VCPU_ON, Hypercall::vcpu_on, false},
        {BH_HC_ZONE_CREATE, Hypercall::zone_create, true},
        {BH_HC_ZONE_LOAD, Hypercall::zone_load, true},
        {BH_HC_ZONE_SET_ENTRY, Hypercall::zone_set_entry, true},
        {BH_HC_ZONE_START, Hypercall::zone_start, true},
        {BH_HC_ZONE_STOP, Hypercall::zone_stop, true},
        {BH_HC_ZONE_DESTROY, Hypercall::zone_destroy, true},
        {BH_HC_ZONE_STATUS, Hypercall::zone_status, true},
        {BH_HC_HOST_INFO, Hypercall::host_info, true},
    };
    for (auto e : table) {
        CAPTURE(e.fn);
        CHECK(classify_hypercall(e.fn) == e.h);
        CHECK(is_management_call(e.h) == e.management);
    }
    CHECK_FALSE(is_management_call(Hypercall::unknown));
    CHECK(BH_HC_HOST_INFO < BH_HC_FN(BH_HC_COUNT));
}

TEST_CASE("hypercall: IDs outside the table are unknown", "[hypercall]") {
    // Gaps in the table and everything past its end.
    for (u64 n = 0x05; n < 0x10; ++n) CHECK(classify_hypercall(BH_HC_FN(n)) == Hypercall::unknown);
    for (u64 n = BH_HC_COUNT; n < 0x200; ++n) CHECK(classify_hypercall(BH_HC_FN(n)) == Hypercall::unknown);
    CHECK(classify_hypercall(BH_HC_FN(0xffff)) == Hypercall::unknown);
    // Bits in x0's upper half must not alias a valid call.
    CHECK(classify_hypercall((u64(1) << 32) | BH_HC_VERSION) == Hypercall::unknown);
    CHECK(classify_hypercall((u64(1) << 63) | BH_HC_ZONE_CREATE) == Hypercall::unknown);
    CHECK(classify_hypercall(~u64(0)) == Hypercall::unknown);
    // Reserved bits 23:16 of a fast call.
    CHECK(classify_hypercall(BH_HC_VERSION | (1u << 16)) == Hypercall::unknown);
    CHECK(classify_hypercall(BH_HC_ZONE_CREATE | (0x80u << 16)) == Hypercall::unknown);
    // SMC32 instead of SMC64, yielding instead of fast, other owners.
    CHECK(classify_hypercall(0x86000000u) == Hypercall::unknown);
    CHECK(classify_hypercall(0x46000000u) == Hypercall::unknown);
    CHECK(classify_hypercall(0xC5000000u) == Hypercall::unknown); // standard hypervisor service
    CHECK(classify_hypercall(0xC3000000u) == Hypercall::unknown); // OEM service
    CHECK(classify_hypercall(0xC7000000u) == Hypercall::unknown); // vendor specific EL3 monitor
    CHECK(classify_hypercall(0x80000000u) == Hypercall::unknown); // SMCCC_VERSION
    // PSCI (standard secure service) IDs belong to the virtual PSCI.
    for (u64 psci : {0x84000000u, 0x84000008u, 0x84000009u, 0xC4000003u, 0x84000002u})
        CHECK(classify_hypercall(psci) == Hypercall::unknown);
    CHECK(classify_hypercall(0) == Hypercall::unknown);
}

TEST_CASE("hypercall: ZoneHandle raw round trip", "[hypercall]") {
    for (ZoneHandle h : {ZoneHandle{0, 1}, ZoneHandle{3, 7}, ZoneHandle{0xffff, 0xffffffff}, ZoneHandle{1, 0x10000}}) {
        ZoneHandle back = ZoneHandle::from_raw(h.raw());
        CHECK(back.slot == h.slot);
        CHECK(back.generation == h.generation);
    }
    CHECK(ZoneHandle{3, 7}.raw() == kHandle);
    CHECK(ZoneHandle::from_raw(kHandle).slot == 3);
    // Handles stay below 48 bits.
    CHECK(ZoneHandle{0xffff, 0xffffffff}.raw() == (u64(1) << 48) - 1);
}

TEST_CASE("hypercall: decode_zone_handle", "[hypercall]") {
    ZoneHandle h{99, 99};
    CHECK(decode_zone_handle(args(kHandle), h) == Status::ok);
    CHECK(h.slot == 3);
    CHECK(h.generation == 7);
    CHECK(decode_zone_handle(args((u64(1) << 48) - 1), h) == Status::ok);
    CHECK(h.slot == 0xffff);
    CHECK(h.generation == 0xffffffff);

    ZoneHandle untouched{42, 42};
    CHECK(decode_zone_handle(args(0), untouched) == Status::invalid_argument);
    CHECK(decode_zone_handle(args(5), untouched) == Status::invalid_argument); // generation 0
    CHECK(decode_zone_handle(args(0xffff), untouched) == Status::invalid_argument);
    CHECK(decode_zone_handle(args(u64(1) << 48), untouched) == Status::invalid_argument);
    CHECK(decode_zone_handle(args(kHandle | (u64(1) << 63)), untouched) == Status::invalid_argument);
    CHECK(decode_zone_handle(args(kHandle | (u64(1) << 48)), untouched) == Status::invalid_argument);
}

TEST_CASE("hypercall: decode_zone_create", "[hypercall]") {
    ZoneCreateRequest r;
    REQUIRE(decode_zone_create(args(0x40001000, 5, 2 << 20, 2), r) == Status::ok);
    CHECK(r.name_ipa == GuestPhys(0x40001000));
    CHECK(r.name_len == 5);
    CHECK(r.memory_bytes == 2 << 20);
    CHECK(r.vcpus == 2);

    auto ok = [](u64 len, u64 mem, u64 vcpus) {
        ZoneCreateRequest out;
        return decode_zone_create(args(0x40001000, len, mem, vcpus), out) == Status::ok;
    };
    SECTION("name length") {
        CHECK_FALSE(ok(0, 4096, 1));
        CHECK(ok(1, 4096, 1));
        CHECK(ok(31, 4096, 1));
        CHECK_FALSE(ok(32, 4096, 1));
        CHECK_FALSE(ok(~u64(0), 4096, 1));
    }
    SECTION("memory") {
        CHECK_FALSE(ok(4, 0, 1));
        CHECK(ok(4, 4096, 1));
        CHECK_FALSE(ok(4, 4095, 1));
        CHECK_FALSE(ok(4, 4096 + 512, 1));
        CHECK(ok(4, arch::kZonePlatform.max_memory, 1));
        CHECK_FALSE(ok(4, arch::kZonePlatform.max_memory + 4096, 1));
        CHECK_FALSE(ok(4, ~u64(0) & ~u64(4095), 1));
    }
    SECTION("vcpus") {
        CHECK_FALSE(ok(4, 4096, 0));
        CHECK(ok(4, 4096, 1));
        CHECK(ok(4, 4096, 8));
        CHECK_FALSE(ok(4, 4096, 9));
        CHECK_FALSE(ok(4, 4096, u64(1) << 32 | 1)); // must not truncate to 1
    }
    SECTION("flags above the vCPU count") {
        ZoneCreateRequest out;
        REQUIRE(decode_zone_create(args(0x40001000, 4, 4096, 2), out) == Status::ok);
        CHECK(out.ram_base == arch::kZonePlatform.default_ram_base);
        REQUIRE(decode_zone_create(args(0x40001000, 4, 4096, 2 | BH_ZONE_CREATE_LINUX), out) == Status::ok);
        CHECK(out.vcpus == 2);
        CHECK(out.ram_base == arch::kZonePlatform.linux_ram_base);
        CHECK_FALSE(ok(4, 4096, 2 | (BH_ZONE_CREATE_LINUX << 1))); // unknown flags are refused
        CHECK_FALSE(ok(4, 4096, BH_ZONE_CREATE_LINUX));            // and still a vCPU count
    }
    SECTION("a rejected request leaves out untouched") {
        ZoneCreateRequest out;
        out.vcpus = 77;
        CHECK(decode_zone_create(args(0x40001000, 4, 4096, 9), out) == Status::invalid_argument);
        CHECK(out.vcpus == 77);
        CHECK(out.name_len == 0);
    }
}

TEST_CASE("hypercall: decode_zone_load", "[hypercall]") {
    ZoneLoadRequest r;
    REQUIRE(decode_zone_load(args(kHandle, 0x40000000, 0x50000000, 4096), r) == Status::ok);
    CHECK(r.zone.slot == 3);
    CHECK(r.zone.generation == 7);
    CHECK(r.dest == GuestPhys(0x40000000));
    CHECK(r.src == GuestPhys(0x50000000));
    CHECK(r.length == 4096);

    auto st = [](u64 h, u64 dest, u64 src, u64 len) {
        ZoneLoadRequest out;
        return decode_zone_load(args(h, dest, src, len), out);
    };
    CHECK(st(0, 0x40000000, 0x50000000, 16) == Status::invalid_argument);
    CHECK(st(3, 0x40000000, 0x50000000, 16) == Status::invalid_argument); // generation 0
    CHECK(st(kHandle, 0x40000000, 0x50000000, 0) == Status::invalid_argument);
    CHECK(st(kHandle, 0x40000000, 0x50000000, 1) == Status::ok); // unaligned lengths and addresses are fine
    CHECK(st(kHandle, 0x40000001, 0x50000003, 7) == Status::ok);
    CHECK(st(kHandle, 0x40000000, 0x80000000, kMaxLoadLength) == Status::ok);
    CHECK(st(kHandle, 0x40000000, 0x80000000, kMaxLoadLength + 1) == Status::invalid_argument);
    // Ranges must end at or below 2^39, without wrapping.
    CHECK(st(kHandle, kIpaLimit - 16, 0x50000000, 16) == Status::ok);
    CHECK(st(kHandle, kIpaLimit - 16, 0x50000000, 17) == Status::invalid_argument);
    CHECK(st(kHandle, kIpaLimit, 0x50000000, 1) == Status::invalid_argument);
    CHECK(st(kHandle, 0x40000000, kIpaLimit - 16, 16) == Status::ok);
    CHECK(st(kHandle, 0x40000000, kIpaLimit - 16, 17) == Status::invalid_argument);
    CHECK(st(kHandle, 0x40000000, kIpaLimit, 1) == Status::invalid_argument);
    CHECK(st(kHandle, ~u64(0) - 15, 0x50000000, 32) == Status::invalid_argument);
    CHECK(st(kHandle, 0x40000000, ~u64(0) - 15, 32) == Status::invalid_argument);
}

TEST_CASE("hypercall: decode_zone_set_entry", "[hypercall]") {
    ZoneSetEntryRequest r;
    REQUIRE(decode_zone_set_entry(args(kHandle, 7, 0x40000000, 0xdeadbeefcafef00d), r) == Status::ok);
    CHECK(r.zone.slot == 3);
    CHECK(r.vcpu == 7);
    CHECK(r.pc == GuestPhys(0x40000000));
    CHECK(r.x0 == 0xdeadbeefcafef00d);

    auto st = [](u64 h, u64 vcpu, u64 pc) {
        ZoneSetEntryRequest out;
        return decode_zone_set_entry(args(h, vcpu, pc, 0), out);
    };
    CHECK(st(kHandle, 0, 0x40000000) == Status::ok);
    CHECK(st(kHandle, 8, 0x40000000) == Status::invalid_argument);
    CHECK(st(kHandle, u64(1) << 32, 0x40000000) == Status::invalid_argument); // must not truncate to 0
    CHECK(st(kHandle, 0, 0x40000002) == Status::invalid_argument);
    CHECK(st(kHandle, 0, 0x40000001) == Status::invalid_argument);
    CHECK(st(kHandle, 0, 0x40000004) == Status::ok);
    CHECK(st(kHandle, 0, kIpaLimit - 4) == Status::ok);
    CHECK(st(kHandle, 0, kIpaLimit) == Status::invalid_argument);
    CHECK(st(0, 0, 0x40000000) == Status::invalid_argument);
    CHECK(st(u64(1) << 48 | kHandle, 0, 0x40000000) == Status::invalid_argument);
}

TEST_CASE("hypercall: decode_vcpu_on", "[hypercall]") {
    VcpuOnRequest r;
    REQUIRE(decode_vcpu_on(args(1, 0x40001000, 0xfeedf00d12345678), r) == Status::ok);
    CHECK(r.vcpu == 1);
    CHECK(r.entry == GuestPhys(0x40001000));
    CHECK(r.arg == 0xfeedf00d12345678);

    auto st = [](u64 vcpu, u64 entry) {
        VcpuOnRequest out;
        return decode_vcpu_on(args(vcpu, entry, 0), out);
    };
    CHECK(st(7, 0x40000000) == Status::ok);
    CHECK(st(8, 0x40000000) == Status::invalid_argument);
    CHECK(st(u64(1) << 32, 0x40000000) == Status::invalid_argument); // must not truncate to 0
    CHECK(st(0, 0x40000002) == Status::invalid_argument);
    CHECK(st(0, kIpaLimit - 4) == Status::ok);
    CHECK(st(0, kIpaLimit) == Status::invalid_argument);
    CHECK(st(0, ~u64(0) - 3) == Status::invalid_argument);
}

TEST_CASE("hypercall: validate_zone_name", "[hypercall]") {
    auto v = [](const char* s) { return validate_zone_name(s, std::strlen(s)); };
    CHECK(v("a") == Status::ok);
    CHECK(v("linux-0_test9") == Status::ok);
    CHECK(v("abcdefghijklmnopqrstuvwxyz01234") == Status::ok);                // 31
    CHECK(v("abcdefghijklmnopqrstuvwxyz012345") == Status::invalid_argument); // 32
    CHECK(v("") == Status::invalid_argument);
    CHECK(v("Linux") == Status::invalid_argument);
    CHECK(v("a b") == Status::invalid_argument);
    CHECK(v("a/b") == Status::invalid_argument);
    CHECK(v("a.b") == Status::invalid_argument);
    CHECK(v("zone@1") == Status::invalid_argument);
    CHECK(v("\xc3\xa9t\xc3\xa9") == Status::invalid_argument);
    // The length is what counts, not a terminator: an embedded NUL is invalid.
    CHECK(validate_zone_name("ab\0cd", 5) == Status::invalid_argument);
    CHECK(validate_zone_name("abcd", 2) == Status::ok);
}

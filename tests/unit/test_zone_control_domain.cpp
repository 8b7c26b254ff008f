// SPDX-License-Identifier: GPL-2.0-only
// A control domain's RAM: one contiguous run from the frame allocator,
// mapped at guest-physical = host-physical, or nothing at all.
#include <new>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;
using bh::test::MiB;

namespace {

// Host RAM where a zone's guest-physical addresses can also be: above the
// arm64 zone platform's device window, below 2 GiB (AddressSanitizer's
// shadow memory starts there).
void* const kLowRam = reinterpret_cast<void*>(u64(0x60000000));

ZoneSpec control_spec(u64 memory) {
    ZoneSpec spec;
    std::strcpy(spec.name, "dom0");
    spec.memory_size = memory;
    spec.control_domain = true;
    return spec;
}

} // namespace

TEST_CASE("control domain: RAM is one run, mapped at its host address", "[lifecycle][control-domain]") {
    std::unique_ptr<FakeMachine> m;
    try {
        m = std::make_unique<FakeMachine>(4, 64 * MiB, kLowRam);
    } catch (const std::bad_alloc&) {
        WARN("host address 0x60000000 is taken in this process: test not run");
        return;
    }
    // A page in use at the start: the run must start at the next 2 MiB.
    HostPhys first;
    REQUIRE(m->frames.alloc(1, 1, first));
    Zone* z = nullptr;
    REQUIRE(zone_create(control_spec(8 * MiB), z) == Status::ok);
    CHECK(z->control_domain);
    CHECK(z->privileged); // implied
    REQUIRE(z->chunk_count == 1);
    CHECK(z->chunks[0].size == 8 * MiB);
    CHECK(z->ram.base.raw() == z->chunks[0].host.raw());
    CHECK(z->chunks[0].guest == z->ram.base);
    CHECK(z->ram.base.aligned(2 * MiB));
    CHECK(z->ram.base.raw() > first.raw());
    for (u64 off : {u64(0), 4 * MiB + 0x1000, 8 * MiB - kPageSize}) {
        HostPhys out;
        MemAttr attr;
        REQUIRE(z->stage2.lookup(z->ram.base + off, out, attr));
        CHECK(out.raw() == z->ram.base.raw() + off);
    }
    REQUIRE(m->destroy(*z) == Status::ok);
    m->frames.free(first, 1);
    CHECK(m->frames.free_pages() == m->free_at_start);
}

TEST_CASE("control domain: no contiguous run, no zone (not a fragmented one)", "[lifecycle][control-domain]") {
    std::unique_ptr<FakeMachine> m;
    try {
        m = std::make_unique<FakeMachine>(4, 64 * MiB, kLowRam);
    } catch (const std::bad_alloc&) {
        WARN("host address 0x60000000 is taken in this process: test not run");
        return;
    }
    // One page taken in every 4 MiB (unless something has it already):
    // plenty of memory, no 8 MiB run.
    std::vector<HostPhys> pins;
    for (u64 off = 0; off < 64 * MiB; off += 4 * MiB)
        if (m->frames.claim(m->ram.base() + off, 1) == Status::ok) pins.push_back(m->ram.base() + off);
    u64 free_before = m->frames.free_pages();
    Zone* z = nullptr;
    CHECK(zone_create(control_spec(8 * MiB), z) == Status::no_memory);
    CHECK(m->frames.free_pages() == free_before);
    // An ordinary zone of the same size is built from pieces.
    Zone* plain = m->create("plain", 1, {}, 8 * MiB);
    CHECK(plain->chunk_count > 1);
    REQUIRE(m->destroy(*plain) == Status::ok);
    for (HostPhys p : pins) m->frames.free(p, 1);
    CHECK(m->frames.free_pages() == m->free_at_start);
}

TEST_CASE("control domain: RAM placed beyond the guest-physical limit is refused", "[lifecycle][control-domain]") {
    FakeMachine m; // heap memory: far above 2^39 on a 64-bit host
    REQUIRE(m.ram.base().raw() >= (u64(1) << 39));
    Zone* z = nullptr;
    CHECK(zone_create(control_spec(4 * MiB), z) == Status::invalid_argument);
    CHECK(m.frames.free_pages() == m.free_at_start);
    CHECK(arch::fake_live_zones() == 0);
}

TEST_CASE("control domain: pinned RAM must be named at its own address", "[lifecycle][control-domain]") {
    FakeMachine m;
    ZoneSpec spec = control_spec(4 * MiB);
    spec.pinned = true;
    spec.host_address = m.ram.base();
    spec.memory_base = GuestPhys(0x40000000); // not the host address
    Zone* z = nullptr;
    CHECK(zone_create(spec, z) == Status::invalid_argument);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

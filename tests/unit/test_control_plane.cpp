// SPDX-License-Identifier: GPL-2.0-only
// The control plane on the fake arch: a managing zone serves a zone it
// made (forwarded accesses, posted doorbells, its lines, its memory) and
// hears of its end; nobody else may touch any of it.
#include <cstring>

#include <bulkhead/control_calls.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>

#include "fake_machine.hpp"
#include "hypercall_call.hpp"

using namespace bh;
using bh::test::FakeMachine;
using bh::test::MiB;

namespace {

// The finished call's result (restarts followed).
HypercallResult call(Vcpu& caller, u64 fn, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0) {
    return bh::test::call(caller, fn, a0, a1, a2, a3).result;
}

// A manager (privileged) with a child it made by hypercall.
struct Served {
    FakeMachine& m;
    Zone* manager;
    Zone* child;
    Vcpu& mv;
    static constexpr u64 kBuffer = 0x2000; // an ioreq_t in the manager's RAM

    explicit Served(FakeMachine& machine)
        : m(machine), manager(machine.create("manager", 1, {0}, 8 * MiB, true)), mv(manager->vcpus[0]) {
        child = make_child("child");
    }
    // Another zone the manager makes by hypercall (1 vCPU, 2 MiB).
    Zone* make_child(const char* name) {
        const u64 len = std::strlen(name);
        REQUIRE(copy_to_guest(*manager, manager->ram.base + 0x1000, name, len) == Status::ok);
        HypercallResult r = call(mv, BH_HC_ZONE_CREATE, manager->ram.base.raw() + 0x1000, len, 2 * MiB, 1);
        REQUIRE(r.status == Status::ok);
        Lock<ZoneTable> g(zones());
        return zones().lookup(g.held(), ZoneHandle::from_raw(r.ret[0]));
    }
    u64 h() const { return child->handle.raw(); }
    u64 buffer() const { return manager->ram.base.raw() + kBuffer; }
    ioreq_t request() const {
        ioreq_t r;
        REQUIRE(copy_from_guest(*manager, manager->ram.base + kBuffer, &r, sizeof r) == Status::ok);
        return r;
    }
    // The child's vCPU 0 accesses its slot 0 register `reg`.
    DeviceAccess access(u64 reg, bool write, u64 value = 0, u8 size = 4) {
        DeviceAccess a;
        a.write = write;
        a.size = size;
        a.value = value;
        REQUIRE(child->devices.dispatch(child->vcpus[0], AddressSpace::mmio, VirtioMmioSlots::kBase.raw() + reg, a));
        return a;
    }
    void finish() {
        if (child->is_running()) zone_end(*child, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
        for (unsigned c = 0; c < 4; ++c) {
            arch::fake_set_cpu_id(c);
            arch::this_cpu().need_resched = false;
        }
        arch::fake_set_cpu_id(0);
        REQUIRE(call(mv, BH_HC_ZONE_DESTROY, h()).status == Status::ok);
        REQUIRE(m.destroy(*manager) == Status::ok);
        CHECK(m.frames.free_pages() == m.free_at_start);
    }
};

} // namespace

TEST_CASE("ioreq queue: ids, order, sizes, posted requests and cancelling", "[control]") {
    IoreqQueue q;
    Vcpu waiter;
    CHECK(q.submit(&waiter, 0x100, 2, true, 0x12345678) == Status::ok);
    CHECK(q.submit(nullptr, 0x150, 4, true, 7) == Status::ok); // posted
    ioreq_t r;
    u64 id1, id2;
    REQUIRE(q.next(r, id1) == Status::ok);
    CHECK(r.addr == 0x100);
    CHECK(r.data == 0x5678); // masked to its two bytes
    CHECK(r.size == 2);
    CHECK(r.dir == IOREQ_WRITE);
    CHECK(r.type == IOREQ_TYPE_COPY);
    CHECK(r.state == STATE_IOREQ_READY);
    REQUIRE(q.next(r, id2) == Status::ok);
    CHECK(r.vp_eport == kIoreqPosted);
    CHECK(q.next(r, id2) == Status::not_found);
    CHECK(q.complete(id2, 0) == Status::invalid_argument); // posted: nothing to complete
    CHECK(q.complete(id1 + 1, 0) == Status::invalid_argument);
    CHECK(q.complete(id1, 0) == Status::ok);
    CHECK(q.complete(id1, 0) == Status::invalid_argument); // once only
    CHECK(waiter.io.state.load() == VcpuIo::State::done);

    SECTION("a full queue says busy") {
        for (u32 i = 0; i < IoreqQueue::kDepth; ++i) REQUIRE(q.submit(nullptr, i, 1, true, 0) == Status::ok);
        CHECK(q.submit(nullptr, 0, 1, true, 0) == Status::busy);
    }
    SECTION("cancelled requests cannot be completed") {
        REQUIRE(q.submit(&waiter, 0x10, 1, false, 0) == Status::ok);
        REQUIRE(q.next(r, id1) == Status::ok);
        q.cancel();
        CHECK(q.complete(id1, 1) == Status::invalid_argument);
        CHECK(q.pending() == 0);
    }
}

TEST_CASE("control plane: a served window forwards loads and stores, posts doorbells", "[control]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    Vcpu& cv = s.child->vcpus[0];
    // An unserved slot reads as "no device".
    CHECK(s.access(0x008, false).value == 0);
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    CHECK(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 32).status == Status::invalid_argument);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    CHECK(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 1).status == Status::bad_state); // only before it runs

    CHECK(call(s.mv, BH_HC_EVENT_NEXT).status == Status::not_found);
    // A load: forwarded, the vCPU waits.
    DeviceAccess a = s.access(0x008, false, 0, 4);
    CHECK(a.deferred);
    CHECK(cv.io.state.load() == VcpuIo::State::waiting);
    CHECK((s.manager->vcpus[0].ctx.pending.load() >> arch::kZonePlatform.event_line & 1) == 1); // told to look
    HypercallResult e = call(s.mv, BH_HC_EVENT_NEXT);
    REQUIRE(e.status == Status::ok);
    CHECK(e.ret[0] == BH_EVENT_IOREQ);
    CHECK(e.ret[1] == s.h());
    HypercallResult n = call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer());
    REQUIRE(n.status == Status::ok);
    ioreq_t r = s.request();
    CHECK(r.addr == VirtioMmioSlots::kBase.raw() + 0x008);
    CHECK(r.dir == IOREQ_READ);
    CHECK(r.size == 4);
    CHECK(r.vp_eport == 0);
    CHECK(call(s.mv, BH_HC_EVENT_NEXT).status == Status::not_found); // nothing left to pull
    CHECK(call(s.mv, BH_HC_IOREQ_COMPLETE, s.h(), n.ret[0] ^ 1, 3).status == Status::invalid_argument);
    REQUIRE(call(s.mv, BH_HC_IOREQ_COMPLETE, s.h(), n.ret[0], 0xabcdef0003).status == Status::ok);
    CHECK(cv.io.state.load() == VcpuIo::State::done);
    CHECK(cv.io.value == 0xcdef0003); // masked to the load's 4 bytes

    // QueueNotify is posted: the vCPU goes on.
    DeviceAccess notify = s.access(VirtioMmioSlots::kQueueNotify, true, 1);
    CHECK_FALSE(notify.deferred);
    n = call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer());
    REQUIRE(n.status == Status::ok);
    CHECK(s.request().vp_eport == kIoreqPosted);
    CHECK(s.request().data == 1);
    CHECK(call(s.mv, BH_HC_IOREQ_COMPLETE, s.h(), n.ret[0], 0).status == Status::invalid_argument);

    // A buffer outside the server's RAM is refused, and the request kept.
    (void)s.access(0x070, true, 0xf);
    CHECK(call(s.mv, BH_HC_IOREQ_NEXT, s.h(), 0x1000).status == Status::invalid_argument);
    CHECK(call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer()).status == Status::ok);
    s.finish();
}

TEST_CASE("control plane: only the server pulls, completes, raises and maps", "[control][security]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    Zone* other = m.create("other-manager", 1, {1}, 4 * MiB, true);
    Vcpu& ov = other->vcpus[0];
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    // A second server for the same zone is refused.
    CHECK(call(ov, BH_HC_IOREQ_SERVE, s.h(), 1).status == Status::permission_denied);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    (void)s.access(0x000, false);
    u64 obuf = other->ram.base.raw() + 0x1000;
    CHECK(call(ov, BH_HC_IOREQ_NEXT, s.h(), obuf).status == Status::permission_denied);
    CHECK(call(ov, BH_HC_IOREQ_COMPLETE, s.h(), 1, 0).status == Status::permission_denied);
    CHECK(call(ov, BH_HC_ZONE_IRQ, s.h(), VirtioMmioSlots::kFirstLine).status == Status::permission_denied);
    CHECK(call(ov, BH_HC_ZONE_MAP, s.h(), 0x100000000).status == Status::permission_denied);
    CHECK(call(ov, BH_HC_EVENT_NEXT).status == Status::not_found); // not its zone
    // An unprivileged zone gets none of it.
    Zone* plain = m.create("plain", 1, {2});
    CHECK(call(plain->vcpus[0], BH_HC_IOREQ_NEXT, s.h(), plain->ram.base.raw()).status == Status::permission_denied);
    // The server may raise only the lines of slots it serves.
    CHECK(call(s.mv, BH_HC_ZONE_IRQ, s.h(), VirtioMmioSlots::kFirstLine + 1).status == Status::invalid_argument);
    CHECK(call(s.mv, BH_HC_ZONE_IRQ, s.h(), 1).status == Status::invalid_argument); // the console's line
    REQUIRE(call(s.mv, BH_HC_ZONE_IRQ, s.h(), VirtioMmioSlots::kFirstLine).status == Status::ok);
    CHECK((s.child->vcpus[0].ctx.pending.load() >> VirtioMmioSlots::kFirstLine & 1) == 1);
    // A zone serving another cannot be destroyed first, nor can its creator.
    CHECK(m.destroy(*s.manager) == Status::busy);
    REQUIRE(m.destroy(*other) == Status::ok);
    REQUIRE(m.destroy(*plain) == Status::ok);
    s.finish();
}

TEST_CASE("control plane: a served zone's RAM mapped into its server, and gone with it", "[control]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    constexpr u64 kAt = 0x100000000;
    // Not over the server's own RAM or the device window; not unaligned.
    CHECK(call(s.mv, BH_HC_ZONE_MAP, s.h(), s.manager->ram.base.raw()).status == Status::invalid_argument);
    CHECK(call(s.mv, BH_HC_ZONE_MAP, s.h(), 0x09000000).status == Status::invalid_argument);
    CHECK(call(s.mv, BH_HC_ZONE_MAP, s.h(), kAt + 0x1000).status == Status::invalid_argument);
    REQUIRE(call(s.mv, BH_HC_ZONE_MAP, s.h(), kAt).status == Status::ok);
    CHECK(call(s.mv, BH_HC_ZONE_MAP, s.h(), kAt + 0x40000000).status == Status::bad_state); // once
    HostPhys pa;
    MemAttr attr;
    REQUIRE(s.manager->stage2.lookup(GuestPhys(kAt + 0x1000), pa, attr));
    CHECK(pa == s.child->chunks[0].host + 0x1000);
    // Unmapped by hand, with the server's TLBs flushed...
    u64 flushes = s.manager->arch.tlb_flushes;
    REQUIRE(call(s.mv, BH_HC_ZONE_UNMAP, s.h()).status == Status::ok);
    CHECK_FALSE(s.manager->stage2.lookup(GuestPhys(kAt), pa, attr));
    CHECK(s.manager->arch.tlb_flushes == flushes + 1);
    CHECK(call(s.mv, BH_HC_ZONE_UNMAP, s.h()).status == Status::bad_state);
    // ...or by destroying the zone: never left mapped over freed frames.
    REQUIRE(call(s.mv, BH_HC_ZONE_MAP, s.h(), kAt).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_DESTROY, s.h()).status == Status::ok);
    CHECK_FALSE(s.manager->stage2.lookup(GuestPhys(kAt), pa, attr));
    REQUIRE(m.destroy(*s.manager) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("control plane: a manager hears once that its zone ended", "[control]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    CHECK(call(s.mv, BH_HC_EVENT_NEXT).status == Status::not_found);
    REQUIRE(call(s.child->vcpus[0], BH_HC_ZONE_EXIT, 3, BH_EXIT_CODE_STATUS).status == Status::ok);
    HypercallResult e = call(s.mv, BH_HC_EVENT_NEXT);
    REQUIRE(e.status == Status::ok);
    CHECK(e.ret[0] == BH_EVENT_ZONE_ENDED);
    CHECK(e.ret[1] == s.h());
    CHECK(e.ret[2] == (BH_ZONE_EXITED | BH_EXIT_WORKLOAD << 8));
    CHECK(e.ret[3] == 3);
    CHECK(call(s.mv, BH_HC_EVENT_NEXT).status == Status::not_found);
    s.finish();
}

TEST_CASE("control plane: a zone that keeps its requests coming does not hide the others' events",
          "[control][security]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    Zone* quiet = s.make_child("quiet");
    const u64 qh = quiet->handle.raw();
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, qh, 0).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, qh).status == Status::ok);
    // The noisy child's doorbells stay unpulled: EVENT_NEXT names it every
    // time it comes round, but the quiet one's request and then its end
    // are named too, each within one turn of the table.
    for (int i = 0; i < 8; ++i) (void)s.access(VirtioMmioSlots::kQueueNotify, true, 0);
    DeviceAccess a;
    a.size = 4;
    REQUIRE(quiet->devices.dispatch(quiet->vcpus[0], AddressSpace::mmio, VirtioMmioSlots::kBase.raw() + 0x70, a));
    auto named_within_a_turn = [&](u64 event, u64 handle) {
        for (unsigned n = 0; n <= ZoneTable::kSlots; ++n) {
            HypercallResult e = call(s.mv, BH_HC_EVENT_NEXT);
            REQUIRE(e.status == Status::ok);
            if (e.ret[0] == event && e.ret[1] == handle) return true;
            CHECK(e.ret[1] == s.h()); // only the noisy one in between
        }
        return false;
    };
    CHECK(named_within_a_turn(BH_EVENT_IOREQ, qh));
    REQUIRE(call(quiet->vcpus[0], BH_HC_ZONE_EXIT, 5, BH_EXIT_CODE_STATUS).status == Status::ok);
    CHECK(named_within_a_turn(BH_EVENT_ZONE_ENDED, qh));
    CHECK(named_within_a_turn(BH_EVENT_IOREQ, s.h())); // and the noisy one still, level-triggered
    REQUIRE(call(s.mv, BH_HC_ZONE_DESTROY, qh).status == Status::ok);
    s.finish();
}

TEST_CASE("control plane: a vCPU waits for its forwarded access, and runs on when it completes", "[control]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    Vcpu& cv = s.child->vcpus[0];
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    arch::fake_set_cpu_id(cv.home_cpu);
    sched::schedule();
    REQUIRE(arch::this_cpu().current == &cv);
    REQUIRE(s.access(0x004, false).deferred);
    sched::wait_io_current();
    CHECK(cv.state == VcpuState::io_wait);
    // Interrupts do not wake it: it is in the middle of an instruction.
    arch::fake_raise(cv, 5);
    CHECK(cv.state == VcpuState::io_wait);
    CHECK_THROWS_AS(sched::schedule(), arch::FakeIdle);
    arch::fake_set_cpu_id(0);
    HypercallResult n = call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer());
    REQUIRE(call(s.mv, BH_HC_IOREQ_COMPLETE, s.h(), n.ret[0], 2).status == Status::ok);
    CHECK(cv.state == VcpuState::runnable);
    CHECK(arch::fake_cpu_events(cv.home_cpu).kicks >= 1);
    arch::fake_set_cpu_id(cv.home_cpu);
    CHECK(arch::fake_take_kick());
    sched::schedule();
    CHECK(arch::this_cpu().current == &cv);
    CHECK(cv.io.value == 2);
    arch::vcpu_save(cv);
    cv.on_cpu.store(false);
    arch::this_cpu().current = nullptr;
    arch::fake_set_cpu_id(0);
    s.finish();
}

// Found by the io-forward scenario: a request handed out before the zone
// ended could still be completed afterwards.
TEST_CASE("control plane: a zone's end takes its requests with it", "[control][security]") {
    FakeMachine m(4, 64 * MiB);
    Served s(m);
    REQUIRE(call(s.mv, BH_HC_IOREQ_SERVE, s.h(), 0).status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_START, s.h()).status == Status::ok);
    REQUIRE(s.access(0x004, false).deferred);
    REQUIRE_FALSE(s.access(VirtioMmioSlots::kQueueNotify, true, 0).deferred); // posted, never pulled
    HypercallResult n = call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer());
    REQUIRE(n.status == Status::ok);
    REQUIRE(call(s.mv, BH_HC_ZONE_STOP, s.h()).status == Status::ok);
    CHECK(s.child->ioreqs.pending() == 0);
    CHECK(call(s.mv, BH_HC_IOREQ_COMPLETE, s.h(), n.ret[0], 1).status == Status::invalid_argument);
    CHECK(call(s.mv, BH_HC_IOREQ_NEXT, s.h(), s.buffer()).status == Status::not_found);
    CHECK(s.child->vcpus[0].io.state.load() != VcpuIo::State::done);
    s.finish();
}

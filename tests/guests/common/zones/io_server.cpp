// SPDX-License-Identifier: GPL-2.0-only
// Forwarded I/O, end to end: this privileged zone makes a zone
// (io_client.cpp, embedded in this image), serves two of its virtio-mmio
// slots and maps its RAM, then answers its accesses as the control
// domain's backends do: woken by its event line, it pulls requests,
// completes them, raises the slot's interrupt and meets the zone through
// the zone's RAM. It pauses the zone while answering its first request
// and sees it ask nothing more until resumed. It also behaves like a confused server (wrong ids,
// completing posted writes, lines and windows it has no right to) and
// never answers one read, and checks that the zone still ends, reports
// its end once and is destroyed with all of its memory returned. Twice,
// so that what serving costs this zone is seen not to grow. The same on
// both architectures (io_forward.hpp).
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone_admin.hpp>

extern "C" {
#include <stdint.h> // Xen's public headers expect it included
#include <xen/hvm/ioreq.h>
}

#include "io_forward.hpp"

extern "C" {
extern char child_io_client_start[], child_io_client_end[];
}

using namespace bh;
using namespace bh::io_forward;
using ull = unsigned long long;

namespace {

constexpr u64 kChildMemory = 4u << 20;
constexpr u64 kTimeoutMs = 20000;
constexpr u32 kPosted = ~0u;
constexpr u64 kPausedMs = 300; // how long the client stays paused

volatile u64 event_interrupts = 0;

struct Server {
    u64 child = 0;
    u64 regs[2][0x200 / 8] = {}; // slots 0 and 2: what the client wrote
    u32 notifies = 0, irqs_raised = 0, requests = 0;
    u64 held_id = 0; // slot 2's read, never completed
    bool held = false, ended = false, posted_refused = false, paused_once = false;
    u64 end_detail = 0, end_code = 0;

    volatile u64& client_word(u64 offset) { return *reinterpret_cast<volatile u64*>(kPlatform.map_at + offset); }

    // A virtio-mmio device of our own making behind slot 0; slot 2 only
    // records. Reads carry junk above the access size on purpose.
    u64 read(u32 slot, u64 offset) {
        u64 junk = offset < kConfig ? 0xfeedface00000000ull : 0; // registers are 32-bit
        if (offset == kMagic) return junk | kVirtioMagic;
        if (offset == kDeviceId) return junk | kServedDeviceId;
        return junk | regs[slot == 2][offset / 8];
    }

    // The first request: pause the client, answer it, and see that nothing
    // more comes while it is paused (its vCPU would ask again at once:
    // the next access follows the one answered here); then resume it.
    void pause_while_answering(const ioreq_t& r, u64 id) {
        BH_EXPECT_EQ(hc::zone_pause(child), BH_OK);
        BH_EXPECT_EQ(hc::zone_status(child).state, u64(BH_ZONE_PAUSED));
        BH_EXPECT_EQ(hc::zone_pause(child), BH_ERR_BAD_STATE);
        BH_EXPECT_EQ(hc::zone_destroy(child), BH_ERR_BAD_STATE); // stop it first
        BH_EXPECT_EQ(r.dir, u8(IOREQ_READ));
        BH_EXPECT_EQ(r.addr, slot_address(0) + kMagic);
        BH_EXPECT_EQ(hc::ioreq_complete(child, id, read(0, r.addr - kPlatform.slot_base)), BH_OK);
        u64 end = timer::counter() + timer::ms_to_ticks(kPausedMs);
        alignas(16) ioreq_t next;
        while (timer::counter() < end)
            if (hc::ioreq_next(child, &next).status != BH_ERR_NOT_FOUND) {
                test::check(false, "a paused zone made a request");
                break;
            }
        BH_EXPECT_EQ(hc::zone_resume(child), BH_OK);
        BH_EXPECT_EQ(hc::zone_status(child).state, u64(BH_ZONE_RUNNING));
        paused_once = true;
    }

    void handle(const ioreq_t& r, u64 id) {
        ++requests;
        if (requests == 1) return pause_while_answering(r, id);
        u64 offset = r.addr - kPlatform.slot_base;
        u32 slot = static_cast<u32>(offset / kSlotSize);
        offset %= kSlotSize;
        test::check(slot == 0 || slot == 2, "request for slot %u (addr 0x%llx), which is not served", slot,
                    static_cast<ull>(r.addr));
        if (r.dir == IOREQ_WRITE && offset == kQueueNotify) {
            BH_EXPECT_EQ(r.vp_eport, kPosted); // nobody waits for a doorbell
            BH_EXPECT_EQ(r.size, 4u);
            if (!posted_refused) {
                BH_EXPECT_EQ(hc::ioreq_complete(child, id, 0), BH_ERR_INVALID_ARGUMENT);
                posted_refused = true;
            }
            if (++notifies == kNotifies) {
                const u32 line = kPlatform.slot0_line;
                BH_EXPECT_EQ(hc::zone_irq(child, line + 1), BH_ERR_INVALID_ARGUMENT);               // slot 1: not ours
                BH_EXPECT_EQ(hc::zone_irq(child, line + BH_VIRTIO_SLOTS), BH_ERR_INVALID_ARGUMENT); // no slot's
                BH_EXPECT_EQ(hc::zone_irq(child, kPlatform.foreign_line), BH_ERR_INVALID_ARGUMENT);
                BH_EXPECT_EQ(hc::zone_irq(child, line), BH_OK);
                ++irqs_raised;
            }
            return;
        }
        BH_EXPECT(r.vp_eport == 0 || r.vp_eport == 1);
        if (slot == 2 && r.dir == IOREQ_READ) {
            BH_EXPECT_EQ(r.vp_eport, 1u);
            held_id = id; // never answered
            held = true;
            client_word(kHeldOffset) = kHeld;
            dsb();
            return;
        }
        if (r.dir == IOREQ_WRITE) {
            // Only the bytes written count: mask like the hardware would.
            u64 mask = r.size == 8 ? ~0ull : (u64(1) << (8 * r.size)) - 1;
            regs[slot == 2][offset / 8] = r.data & mask;
        }
        // A wrong id first: refused, and the vCPU still waits for the right one.
        BH_EXPECT_EQ(hc::ioreq_complete(child, id + 1, 0xbad), BH_ERR_INVALID_ARGUMENT);
        BH_EXPECT_EQ(hc::ioreq_complete(child, id, r.dir == IOREQ_READ ? read(slot, offset) : 0), BH_OK);
        BH_EXPECT_EQ(hc::ioreq_complete(child, id, 0), BH_ERR_INVALID_ARGUMENT); // only once
    }

    void drain() {
        for (;;) {
            hc::Event e = hc::event_next();
            if (e.status == BH_ERR_NOT_FOUND) return;
            BH_EXPECT_EQ(e.status, BH_OK);
            BH_EXPECT_EQ(e.handle, child);
            if (e.kind == BH_EVENT_ZONE_ENDED) {
                test::check(!ended, "the end was reported twice");
                ended = true;
                end_detail = e.detail;
                end_code = e.code;
                continue;
            }
            BH_EXPECT_EQ(e.kind, u64(BH_EVENT_IOREQ));
            alignas(16) ioreq_t r;
            for (;;) {
                SmcccResult n = hc::ioreq_next(child, &r);
                if (n.status == BH_ERR_NOT_FOUND) break;
                if (!BH_EXPECT_EQ(n.status, BH_OK)) return;
                handle(r, n.r1);
            }
        }
    }
};

Server server;

// One serve cycle: make the client, serve it until it ends, destroy it.
// Run twice; what the first round leaves behind is the stage-2 (nested)
// table pages for this zone's window onto the client's RAM, which stay with
// this zone (freed when it is) and are reused by the second round.
void serve_one_client(u32 round) {
    server = Server{};
    const char* name = round == 1 ? "served1" : "served2"; // one verdict per zone name
    SmcccResult c = hc::zone_create(name, 7, kChildMemory, 2);
    if (c.status != BH_OK) test::fail("ZONE_CREATE returned %lld", static_cast<long long>(c.status));
    u64 h = server.child = c.r1;
    u64 len = static_cast<u64>(child_io_client_end - child_io_client_start);
    BH_EXPECT_EQ(hc::zone_load(h, kRamBase, child_io_client_start, len), BH_OK);
    BH_EXPECT_EQ(hc::zone_set_entry(h, 0, kRamBase, 0), BH_OK);
    BH_EXPECT_EQ(hc::ioreq_serve(h, 0), BH_OK);
    BH_EXPECT_EQ(hc::ioreq_serve(h, 2), BH_OK);
    BH_EXPECT_EQ(hc::ioreq_serve(h, BH_VIRTIO_SLOTS), BH_ERR_INVALID_ARGUMENT);
    BH_EXPECT_EQ(hc::ioreq_serve(hc::zone_self().handle, 0), BH_ERR_INVALID_ARGUMENT); // not itself

    // The client's RAM, here: not over this zone's RAM, a device window or
    // off the 2 MiB grain; then once.
    BH_EXPECT_EQ(hc::zone_map(h, kRamBase), BH_ERR_INVALID_ARGUMENT);
    BH_EXPECT_EQ(hc::zone_map(h, kPlatform.device_window), BH_ERR_INVALID_ARGUMENT);
    BH_EXPECT_EQ(hc::zone_map(h, kPlatform.map_at + 0x1000), BH_ERR_INVALID_ARGUMENT);
    BH_EXPECT_EQ(hc::zone_map(h, kPlatform.map_at), BH_OK);
    BH_EXPECT_EQ(hc::zone_map(h, kPlatform.map_again), BH_ERR_BAD_STATE);
    server.client_word(kTokenOffset) = kToken;
    dsb();

    u64 interrupts_before = event_interrupts;
    u64 deadline = timer::counter() + timer::ms_to_ticks(kTimeoutMs);
    BH_EXPECT_EQ(hc::zone_start(h), BH_OK);
    BH_EXPECT_EQ(hc::ioreq_serve(h, 1), BH_ERR_BAD_STATE); // only before it runs
    bool timed_out = false;
    while (!server.ended && !timed_out) {
        server.drain();
        // Sleep until the event line (or the periodic timer) fires; an
        // interrupt raised since drain() looked is pending and ends the
        // wait at once.
        irq_disable();
        timed_out = timer::counter() >= deadline;
        if (!server.ended && !timed_out)
            wait_for_interrupt();
        else
            irq_enable();
    }
    if (timed_out)
        test::fail(
            "round %u: the served zone did not end in %llu ms (%u requests, %u doorbells, %llu event interrupts)",
            round, static_cast<ull>(kTimeoutMs), server.requests, server.notifies,
            static_cast<ull>(event_interrupts - interrupts_before));

    print("io-forward round %u: %u requests, %u doorbells, %llu event interrupts; the zone ended: state %llu, reason "
          "%llu, code %llu\n",
          round, server.requests, server.notifies, static_cast<ull>(event_interrupts - interrupts_before),
          static_cast<ull>(server.end_detail & 0xff), static_cast<ull>(server.end_detail >> 8),
          static_cast<ull>(server.end_code));
    BH_EXPECT_EQ(server.end_detail, u64(BH_ZONE_EXITED) | u64(BH_EXIT_CALL) << 8);
    BH_EXPECT_EQ(server.end_code, 0ull);
    BH_EXPECT_EQ(server.notifies, kNotifies);
    BH_EXPECT_EQ(server.irqs_raised, 1u);
    BH_EXPECT(event_interrupts > interrupts_before);
    BH_EXPECT(server.held);
    BH_EXPECT(server.paused_once);
    BH_EXPECT_EQ(server.client_word(kReplyOffset), kReply);
    BH_EXPECT_EQ(hc::event_next().status, BH_ERR_NOT_FOUND); // the end is told once

    // Its requests went with it: the held read cannot be completed now.
    BH_EXPECT_EQ(hc::ioreq_complete(h, server.held_id, 0), BH_ERR_INVALID_ARGUMENT);
    alignas(16) ioreq_t r;
    BH_EXPECT_EQ(hc::ioreq_next(h, &r).status, BH_ERR_NOT_FOUND);
    BH_EXPECT_EQ(hc::zone_irq(h, kPlatform.slot0_line), BH_ERR_BAD_STATE);

    // Destroyed with vCPU 1 still waiting for its read; the mapping goes
    // with it.
    BH_EXPECT_EQ(admin::destroy_retrying(h, 10000), BH_OK);
    BH_EXPECT_EQ(hc::zone_unmap(h), BH_ERR_NOT_FOUND);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("io-forward");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    hc::HostInfo before = hc::host_info();

    events_on([] { event_interrupts = event_interrupts + 1; });

    serve_one_client(1);
    hc::HostInfo after_first = hc::host_info();
    BH_EXPECT_EQ(after_first.zones, before.zones);
    // At most the window's tables (one page per level below the root).
    BH_EXPECT(before.free_bytes - after_first.free_bytes <= 3 * 4096);
    print("io-forward: the window's tables keep %llu bytes until this zone ends\n",
          static_cast<ull>(before.free_bytes - after_first.free_bytes));

    serve_one_client(2);
    hc::HostInfo after_second = hc::host_info();
    BH_EXPECT_EQ(after_second.zones, before.zones);
    BH_EXPECT_EQ(after_second.free_bytes, after_first.free_bytes); // every frame of the client came back
    events_off();
    test::finish();
}

// SPDX-License-Identifier: GPL-2.0-only
// The served zone of the io-forward scenario (io_server.cpp makes it): its
// accesses to virtio-mmio slots 0 and 2 go to the server, slot 1 stays the
// hypervisor's "no device". Checks what the server answered, masked to the
// access size, for the accesses Linux's virtio-mmio driver makes (32-bit
// loads and stores; byte and 64-bit ones in the configuration space);
// rings slot 0's doorbell and waits for the interrupt the server raises;
// meets the server through its own RAM (which the server has mapped); and
// ends while vCPU 1 still waits for a read nobody answers.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/mmio.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

#include "io_forward.hpp"

using namespace bh;
using namespace bh::io_forward;
using ull = unsigned long long;

namespace {

volatile u64 slot0_interrupts = 0;

// vCPU 1: a read of slot 2 that the server never completes. It must stay
// parked until the zone ends, and the zone must still end and be destroyed.
void hung_reader(u64) {
    u32 v = mmio::read32(slot_address(2) + kHungOffset);
    test::check(false, "vCPU 1: the read nobody answers returned 0x%x", v);
}

volatile u64& shared(u64 offset) { return *reinterpret_cast<volatile u64*>(kRamBase + offset); }

} // namespace

extern "C" void zone_main(u64) {
    test::begin("io-client");
    // Slot 0: a device the server implements; every answer carries junk in
    // its upper bits that the hypervisor must strip to the access size.
    u64 s0 = slot_address(0);
    BH_EXPECT_EQ(mmio::read32(s0 + kMagic), kVirtioMagic);
    BH_EXPECT_EQ(mmio::read32(s0 + kDeviceId), kServedDeviceId);
    BH_EXPECT_EQ(mmio::read8(s0 + kMagic), u8(kVirtioMagic & 0xff));
    mmio::write32(s0 + kStatus, 0xf);
    BH_EXPECT_EQ(mmio::read32(s0 + kStatus), 0xfu);
    mmio::write64(s0 + kConfig, 0x1122334455667788ull);
    BH_EXPECT_EQ(mmio::read64(s0 + kConfig), 0x1122334455667788ull);
    // Slot 1: nobody serves it, so the hypervisor answers "no device".
    BH_EXPECT_EQ(mmio::read32(slot_address(1) + kMagic), kVirtioMagic);
    BH_EXPECT_EQ(mmio::read32(slot_address(1) + kDeviceId), 0u);

    // The server wrote a token into this zone's RAM before starting it.
    BH_EXPECT_EQ(shared(kTokenOffset), kToken);
    shared(kReplyOffset) = kReply;
    dsb();

    // The doorbell (posted: the write does not wait) and the answer.
    slot0_interrupts_on([] { slot0_interrupts = slot0_interrupts + 1; });
    for (u32 q = 0; q < kNotifies; ++q) mmio::write32(s0 + kQueueNotify, q);
    test::check(timer::wait_for([] { return slot0_interrupts != 0; }, 5000), "no interrupt on slot 0's line in 5 s");
    print("io-client: %llu interrupt(s) on slot 0's line\n", static_cast<ull>(slot0_interrupts));

    // vCPU 1 parks on a read of slot 2; once the server has seen it (it says
    // so through this zone's RAM) the zone ends with vCPU 1 still waiting.
    BH_EXPECT_EQ(smp::start_vcpu(1, hung_reader, 0), 0);
    test::check(timer::wait_for([] { return shared(kHeldOffset) == kHeld; }, 5000),
                "the server never saw vCPU 1's read of slot 2");
    test::finish();
}

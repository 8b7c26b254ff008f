// SPDX-License-Identifier: GPL-2.0-only
// The zone's QEMU-virt platform as probed by Linux: the virtual GICv3's
// identification registers and the empty virtio-mmio slots. The GIC part:
// the identification registers of the zone's virtual GICv3, as Linux's
// GICv3 driver reads them to find each CPU's redistributor: every frame's
// GICR_TYPER names its own vCPU, only the last has Last set, GICR_IIDR and
// GICR_TYPER are distinct registers (regression: TYPER once returned IIDR,
// so a secondary CPU of Debian's kernel found no redistributor).
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/mmio.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>

using namespace bh;

namespace {

constexpr u64 kGicd = 0x08000000, kGicr = 0x080a0000, kStride = 0x20000;
constexpr u64 kTyper = 0x8, kIidr = 0x4, kPidr2 = 0xffe8, kWaker = 0x14;

} // namespace

extern "C" void zone_main(u64) {
    test::begin("vgic-registers");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    u64 vcpus = hc::zone_self().vcpus;
    BH_EXPECT_EQ(vcpus, 3u);

    u32 gicd_typer = mmio::read32(kGicd + 0x4);
    BH_EXPECT_EQ(gicd_typer & 0x1f, 2u);                          // ITLinesNumber: 96 INTIDs
    BH_EXPECT_EQ((gicd_typer >> 19) & 0x1f, 9u);                  // IDbits: 10 bits
    BH_EXPECT_EQ((mmio::read32(kGicd + kPidr2) >> 4) & 0xf, 3u);  // GICv3
    BH_EXPECT_EQ(mmio::read32(kGicd + 0x0) & (1u << 4), 1u << 4); // ARE always on

    for (u64 i = 0; i < vcpus; ++i) {
        u64 frame = kGicr + i * kStride;
        u64 typer = mmio::read64(frame + kTyper);
        print("redistributor %llu: TYPER 0x%llx IIDR 0x%x\n", static_cast<unsigned long long>(i),
              static_cast<unsigned long long>(typer), mmio::read32(frame + kIidr));
        BH_EXPECT_EQ(typer >> 32, i);                                   // affinity = the vCPU's MPIDR Aff0
        BH_EXPECT_EQ((typer >> 8) & 0xffff, i);                         // processor number
        BH_EXPECT_EQ((typer >> 4) & 1, i + 1 == vcpus ? 1u : 0u);       // Last only on the last frame
        BH_EXPECT_EQ(mmio::read32(frame + kTyper), typer & 0xffffffff); // 32-bit halves agree
        BH_EXPECT_EQ(mmio::read32(frame + kTyper + 4), typer >> 32);
        BH_EXPECT(mmio::read32(frame + kIidr) != (typer & 0xffffffff));
        BH_EXPECT_EQ((mmio::read32(frame + kPidr2) >> 4) & 0xf, 3u);
        // Waking the redistributor clears ChildrenAsleep with ProcessorSleep.
        mmio::write32(frame + kWaker, 0);
        BH_EXPECT_EQ(mmio::read32(frame + kWaker) & 6u, 0u);
    }
    // Past the last frame is not the zone's: the access must abort.
    probe::Result past = probe::read32(kGicr + vcpus * kStride + kTyper);
    BH_EXPECT(past.aborted);

    // QEMU virt's 32 virtio-mmio slots are there and empty (DeviceID 0).
    constexpr u64 kSlots[2] = {0, 31};
    for (u64 slot : kSlots) {
        u64 base = 0x0a000000 + slot * 0x200;
        BH_EXPECT_EQ(mmio::read32(base + 0x0), 0x74726976u); // "virt"
        BH_EXPECT_EQ(mmio::read32(base + 0x4), 2u);
        BH_EXPECT_EQ(mmio::read32(base + 0x8), 0u);
    }
    BH_EXPECT(probe::read32(0x0a000000 + 32 * 0x200).aborted);
    test::finish();
}

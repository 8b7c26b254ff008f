// SPDX-License-Identifier: GPL-2.0-only
// Boot: from the Image entry with a DTB to every CPU running zones.
#include "asm_defs.h"
#include "el2_setup.hpp"
#include "gic.hpp"
#include "host_irq.hpp"
#include "host_rtc.hpp"
#include "mmu.hpp"
#include "platform.hpp"
#include "psci_host.hpp"
#include "vgic.hpp"

#include <arch/sysreg.hpp>
#include <arch/zone_platform.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/boot_zones.hpp>
#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/zone_table.hpp>

extern "C" char __image_start[], __image_end[], hyp_stacks[];
extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();
extern "C" void secondary_entry();

namespace bh::arch {
void percpu_init(unsigned index, u64 mpidr, u64 stack_top);
} // namespace bh::arch

namespace bh::aarch64 {

[[noreturn]] void enter_zones();

namespace {

FrameAllocator frames;
Manifest manifest;

u64 mpidr_affinity() { return BH_READ_SYSREG(mpidr_el1) & 0xff00ffffffull; }
u64 stack_top(unsigned index) { return reinterpret_cast<u64>(hyp_stacks) + (u64(index + 1) << BH_STACK_SHIFT); }

void init_cpu_common(unsigned index) {
    el2_setup_cpu();
    if (!gic_init_cpu(cpu(index).hw_id))
        panic("CPU %u: no GIC redistributor for MPIDR %#llx", index, static_cast<unsigned long long>(cpu(index).hw_id));
    vgic_init_cpu();
}

// A secondary CPU the boot CPU gave up on before it arrived: it must not
// join (placement and the manifest have counted CPUs without it).
[[noreturn]] void park() {
    for (;;) asm volatile("msr daifset, #0xf; wfi" ::: "memory");
}

void setup_memory() {
    Platform& p = platform();
    for (unsigned i = 0; i < p.memory_count; ++i)
        if (frames.add_region(p.memory[i].base, p.memory[i].size) != Status::ok)
            panic("memory region %u cannot be managed", i);
    u64 image = reinterpret_cast<u64>(__image_start);
    frames.reserve(HostPhys(image), reinterpret_cast<u64>(__image_end) - image);
    frames.reserve(HostPhys(reinterpret_cast<u64>(p.dtb)), p.dtb_size);
    if (p.manifest) frames.reserve(HostPhys(reinterpret_cast<u64>(p.manifest)), p.manifest_size);
    // The first 2 MiB of RAM hold the firmware's boot stub on QEMU and
    // U-Boot's spin tables elsewhere: never hand them to a zone.
    frames.reserve(p.memory[0].base, 2u << 20);
    if (!mmu_build(frames)) panic("cannot build the EL2 page tables");
    mmu_enable();
}

void start_secondaries() {
    Platform& p = platform();
    u64 self = mpidr_affinity();
    unsigned next = 1;
    for (unsigned i = 0; i < p.cpu_count && next < kMaxCpus; ++i) {
        if (p.cpu_mpidr[i] == self) continue;
        // The index is used up only by a CPU that may still arrive: one that
        // never started leaves none behind, one that is too late a gap that
        // online_cpu() skips.
        unsigned index = next;
        cpu_start_begin(index, p.cpu_mpidr[i]);
        i64 rc = smc_call(kPsciCpuOn64, p.cpu_mpidr[i], reinterpret_cast<u64>(&secondary_entry), index);
        if (rc != kPsciSuccess) {
            log("CPU %u (MPIDR %#llx): PSCI CPU_ON failed (%lld)", index,
                static_cast<unsigned long long>(p.cpu_mpidr[i]), static_cast<long long>(rc));
            cpu(index).start.store(PerCpu::Start::absent);
            continue;
        }
        ++next;
        if (!cpu_start_wait(index, arch::now() + arch::ticks_per_second()))
            log("CPU %u (MPIDR %#llx) did not come online within a second: running without it", index,
                static_cast<unsigned long long>(p.cpu_mpidr[i]));
    }
}

[[noreturn]] void refuse(const char* why) {
    log("%s", why);
    log("refusing to start any zone");
    host_console::flush();
    arch::power_off();
}

} // namespace

extern "C" [[noreturn]] void aarch64_boot_primary(const void* dtb) {
    for (auto* f = __init_array_start; f != __init_array_end; ++f) (*f)();
    arch::percpu_init(0, mpidr_affinity(), stack_top(0));
    bool dtb_ok = platform_probe(dtb);
    log("Bulkhead %u.%u (arm64, EL2) starting", BH_VERSION_MAJOR, BH_VERSION_MINOR);
    log("hypervisor image at [%#llx, %#llx)", static_cast<unsigned long long>(reinterpret_cast<u64>(__image_start)),
        static_cast<unsigned long long>(reinterpret_cast<u64>(__image_end)));
    if (!dtb_ok) refuse("boot: unusable device tree");
    setup_memory();
    host_rtc_read();
    gic_init_distributor();
    init_cpu_common(0);
    cpu_mark_online(0);
    start_secondaries();
    log("%u CPU(s) online, %llu MiB of %llu MiB RAM free, counter at %llu Hz", bh::online_cpus(),
        static_cast<unsigned long long>(frames.free_pages() >> 8),
        static_cast<unsigned long long>(frames.total_pages() >> 8),
        static_cast<unsigned long long>(arch::ticks_per_second()));

    Platform& p = platform();
    ManifestError err;
    if (!parse_manifest(p.manifest, p.manifest_size, bh::online_cpus(), arch::kZonePlatform, manifest, err))
        refuse(err.message);
    zones().init(frames);
    if (!create_boot_zones(manifest)) refuse("boot: the manifest's zones could not be built");
    console_enable_input();
    enter_zones();
}

extern "C" [[noreturn]] void aarch64_boot_secondary(u64 index) {
    arch::percpu_init(static_cast<unsigned>(index), mpidr_affinity(), stack_top(static_cast<unsigned>(index)));
    mmu_enable();
    init_cpu_common(static_cast<unsigned>(index));
    if (!cpu_start_arrived(static_cast<unsigned>(index))) park();
    enter_zones();
}

} // namespace bh::aarch64

// SPDX-License-Identifier: GPL-2.0-only
// Boot: from the Multiboot2 entry to every CPU running zones.
#include "acpi.hpp"
#include "backend.hpp"
#include "console_init.hpp"
#include "descriptors.hpp"
#include "host_rtc.hpp"
#include "lapic.hpp"
#include "mmu.hpp"
#include "multiboot.hpp"
#include "percpu.hpp"
#include "smp.hpp"
#include "svm.hpp"
#include "timer.hpp"
#include "vmx.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>
#include <arch/zone_platform.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/boot_zones.hpp>
#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

extern "C" char __image_start[], __image_end[];
extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

namespace bh::x86_64 {
namespace {

using ull = unsigned long long;

FrameAllocator frames;
Manifest manifest;
BootInfo boot_info;
Madt madt;

constexpr u64 k1M = 1u << 20;
constexpr u64 k4G = u64(1) << 32;

[[noreturn]] void refuse(const char* why) {
    log("%s", why);
    log("refusing to start any zone");
    host_console::flush();
    arch::power_off();
}

// FXSAVE needs CR4.OSFXSR, and CR0.EM/TS clear; the x87 starts clean.
void cpu_features_init() {
    x86::write_cr0((x86::read_cr0() & ~(u64(1) << 2) & ~(u64(1) << 3)) | x86::kCr0Mp | x86::kCr0Ne);
    x86::write_cr4(x86::read_cr4() | x86::kCr4Osfxsr | x86::kCr4Osxmmexcpt);
    asm volatile("fninit");
}

// Hands RAM above 1 MiB to the frame allocator: the regions below 4 GiB
// first (the boot map covers them, and the allocator writes its bitmaps
// there), then builds and enables the final map, then the rest. The first
// MiB stays out: trampoline, BIOS data, the EBDA.
void add_regions(bool high) {
    unsigned added = 0;
    for (unsigned i = 0; i < boot_info.memory_count; ++i) {
        u64 base = boot_info.memory[i].base.raw(), end = boot_info.memory[i].end().raw();
        if (base < k1M) base = k1M;
        if (high ? end <= k4G : base >= k4G) continue;
        if (!high && end > k4G) end = k4G;
        if (high && base < k4G) base = k4G;
        if (end <= base) continue;
        if (frames.add_region(HostPhys(base), end - base) != Status::ok) {
            log("RAM [%#llx, %#llx) left unused: too many regions", static_cast<ull>(base), static_cast<ull>(end));
            continue;
        }
        ++added;
    }
    (void)added;
}

void setup_memory() {
    add_regions(false);
    u64 image = reinterpret_cast<u64>(__image_start);
    frames.reserve(HostPhys(image), reinterpret_cast<u64>(__image_end) - image);
    frames.reserve(boot_info.mbi.base, boot_info.mbi.size);
    if (boot_info.manifest)
        frames.reserve(HostPhys(reinterpret_cast<u64>(boot_info.manifest)), boot_info.manifest_size);
    u64 devices[1 + Madt::kMaxIoApics];
    unsigned n = 0;
    devices[n++] = madt.lapic_base;
    for (unsigned i = 0; i < madt.ioapic_count; ++i) devices[n++] = madt.ioapic_base[i];
    if (!mmu_build(frames, boot_info, devices, n)) panic("cannot build the hypervisor's page tables");
    mmu_enable();
    add_regions(true);
}

[[noreturn]] void enter_zones() {
    PerCpu& c = arch::this_cpu();
    sched::schedule();
    for (;;) {
        ++c.exits;
        backend().vcpu_run(*c.current);
        sched::schedule_if_needed();
    }
}

void init_virtualization_cpu() {
    if (!backend().cpu_init(frames)) panic("CPU %u: cannot enable %s", arch::this_cpu().index, backend().name);
}

} // namespace

extern "C" [[noreturn]] void x86_64_boot_primary(u64 mbi, u64 magic) {
    for (auto* f = __init_array_start; f != __init_array_end; ++f) (*f)();
    descriptors_init_cpu(0);
    percpu_init(0, 0);
    console_init();
    log("Bulkhead %u.%u (x86-64) starting", BH_VERSION_MAJOR, BH_VERSION_MINOR);
    log("hypervisor image at [%#llx, %#llx)", static_cast<ull>(reinterpret_cast<u64>(__image_start)),
        static_cast<ull>(reinterpret_cast<u64>(__image_end)));
    if (magic != MB2_BOOTLOADER_MAGIC) refuse("boot: not started by a Multiboot2 boot loader");
    if (!multiboot_parse(mbi, boot_info)) refuse("boot: unusable Multiboot2 information");
    u64 ram = 0;
    for (unsigned i = 0; i < boot_info.memory_count; ++i) ram += boot_info.memory[i].size;
    log("boot loader '%s': %llu MiB of RAM in %u range(s) from the %s memory map", boot_info.loader,
        static_cast<ull>(ram >> 20), boot_info.memory_count, boot_info.memory_from_efi ? "EFI" : "BIOS (e820)");
    if (!acpi_read_madt(boot_info.rsdp, madt)) refuse("boot: no usable ACPI MADT");
    setup_memory();
    cpu_features_init();
    lapic_setup(madt.lapic_base);
    timer_calibrate(cmdline_has(boot_info.cmdline, "pit-held-up")); // the switch: a test of the refusal
    host_rtc_read();                                                // needs the TSC's rate
    lapic_init_cpu(timer_tsc_deadline());
    u32 self = lapic_id();
    percpu_init(0, self);

    const char* why = "";
    if (cmdline_has(boot_info.cmdline, "vmx-no-vpid")) vmx::forgo_vpid(); // a test of the fallback
    if (!backend_select(frames, why)) refuse(why);
    log("virtualization: %s, %u address-space tags", backend().name, backend().tag_limit());
    init_virtualization_cpu();
    cpu_mark_online(0);
    smp_start(madt, self);
    log("%u of %u CPU(s) online (%s), %u I/O APIC(s); %llu MiB of %llu MiB RAM free", bh::online_cpus(),
        madt.cpu_count + madt.cpus_ignored, lapic_x2apic() ? "x2APIC" : "xAPIC", madt.ioapic_count,
        static_cast<ull>(frames.free_pages() >> 8), static_cast<ull>(frames.total_pages() >> 8));
    log("TSC at %llu kHz (from %s), hypervisor timer: %s", static_cast<ull>(arch::ticks_per_second() / 1000),
        timer_source(), timer_tsc_deadline() ? "TSC deadline" : "APIC one-shot");

    ManifestError err;
    if (!boot_info.manifest) refuse("boot: no manifest (GRUB: module2 /boot/manifest.dtb manifest)");
    if (!parse_manifest(boot_info.manifest, boot_info.manifest_size, bh::online_cpus(), arch::kZonePlatform, manifest,
                        err))
        refuse(err.message);
    zones().init(frames);
    if (!create_boot_zones(manifest)) refuse("boot: the manifest's zones could not be built");
    console_enable_input(madt);
    enter_zones();
}

extern "C" [[noreturn]] void x86_64_boot_secondary(u64 index) {
    unsigned i = static_cast<unsigned>(index);
    descriptors_init_cpu(i);
    percpu_init(i, static_cast<u32>(cpu(i).hw_id));
    cpu_features_init();
    lapic_init_cpu(timer_tsc_deadline());
    init_virtualization_cpu();
    // Too late (the boot CPU gave up on it): it must not join, since the
    // manifest and vCPU placement counted CPUs without it.
    if (!cpu_start_arrived(i))
        for (;;) asm volatile("cli; hlt" ::: "memory");
    enter_zones();
}

} // namespace bh::x86_64

// SPDX-License-Identifier: GPL-2.0-only
// x86-64 (RAM from 0): the kernel runs at addresses its file names (a PVH
// vmlinux's PT_LOAD segments, a bzImage's pref_address and init_size),
// where the hypervisor copies it at BH_HC_ZONE_BOOT_LINUX; so the file goes
// just above that range, and the initrd at the top of RAM below the
// hypervisor's start-up tables, where it is used in place. The hypervisor
// parses the kernel again and checks every placement
// (hypervisor/arch/x86_64/x86_linux_image.cpp); this reads no more of the
// file than the layout needs, with every offset checked against its size.
#include "layout_bytes.hpp"

#include <bulkhead/zoned/linux_layout.hpp>

#include <bulkhead/abi/linux_boot.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace bh::zoned {

namespace {

// Linux needs room beyond its image to start (page tables, early
// allocations): the hypervisor keeps 4 MiB between the kernel's end and
// the initrd.
constexpr std::uint64_t kStartSlack = 4 << 20;

struct RunRange {
    std::uint64_t lo = ~std::uint64_t{0}, hi = 0; // [lo, hi): where the kernel runs
};

[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument(why); }

bool in_file(std::span<const std::uint8_t> f, std::uint64_t at, std::uint64_t len) {
    return at <= f.size() && len <= f.size() - at;
}

// ELF64, x86-64 (the System V gABI): PT_LOAD 1, PT_NOTE 4; the PVH entry
// note is Xen's XEN_ELFNOTE_PHYS32_ENTRY (18) with the name "Xen".
RunRange elf_run_range(std::span<const std::uint8_t> f) {
    if (!in_file(f, 0, 64) || f[4] != 2 || f[5] != 1 || le_bytes(f, 18, 2) != 62)
        refuse("the kernel is an ELF file but not a 64-bit x86-64 one");
    const std::uint64_t phoff = le_bytes(f, 32, 8), phentsize = le_bytes(f, 54, 2), phnum = le_bytes(f, 56, 2);
    if (phentsize < 56 || !in_file(f, phoff, phentsize * phnum))
        refuse("the kernel's ELF program headers lie outside the file: it is truncated or damaged");
    RunRange r;
    bool pvh = false;
    for (std::uint64_t i = 0; i < phnum; ++i) {
        const std::uint64_t ph = phoff + i * phentsize;
        const std::uint64_t type = le_bytes(f, ph, 4), offset = le_bytes(f, ph + 8, 8);
        const std::uint64_t paddr = le_bytes(f, ph + 24, 8), filesz = le_bytes(f, ph + 32, 8);
        const std::uint64_t memsz = le_bytes(f, ph + 40, 8);
        if (type == 1 && memsz != 0) {
            if (!in_file(f, offset, filesz) || filesz > memsz || paddr + memsz < paddr)
                refuse("the kernel's ELF segments lie outside the file: it is truncated or damaged");
            r.lo = std::min(r.lo, paddr);
            r.hi = std::max(r.hi, paddr + memsz);
        }
        if (type == 4 && in_file(f, offset, filesz)) {
            for (std::uint64_t n = offset; n + 12 <= offset + filesz;) {
                const std::uint64_t namesz = le_bytes(f, n, 4), descsz = le_bytes(f, n + 4, 4);
                const std::uint64_t note_type = le_bytes(f, n + 8, 4);
                if (note_type == 18 && namesz == 4 && in_file(f, n + 12, 4) && std::memcmp(&f[n + 12], "Xen", 4) == 0)
                    pvh = true;
                n += 12 + ((namesz + 3) & ~std::uint64_t{3}) + ((descsz + 3) & ~std::uint64_t{3});
            }
        }
    }
    if (!pvh)
        refuse("the kernel is an ELF vmlinux without a PVH entry note: build it with CONFIG_PVH, or give its "
               "bzImage");
    if (r.hi == 0) refuse("the kernel's ELF file has no loadable segment");
    return r;
}

// The boot protocol's setup header (Documentation/arch/x86/boot.rst).
RunRange bzimage_run_range(std::span<const std::uint8_t> f) {
    constexpr std::uint64_t kSetupSects = 0x1f1, kSyssize = 0x1f4, kVersion = 0x206, kXloadflags = 0x236,
                            kPrefAddress = 0x258, kInitSize = 0x260;
    if (le_bytes(f, kVersion, 2) < 0x020c || (le_bytes(f, kXloadflags, 2) & 1) == 0)
        refuse("the kernel is a bzImage without a 64-bit entry (boot protocol 2.12 and XLF_KERNEL_64 needed)");
    const std::uint64_t setup_sects = f[kSetupSects] != 0 ? f[kSetupSects] : 4;
    const std::uint64_t length = (setup_sects + 1) * 512 + le_bytes(f, kSyssize, 4) * 16;
    if (length > f.size())
        refuse("the bzImage is " + std::to_string(f.size()) + " bytes but its header says " + std::to_string(length) +
               ": it is truncated");
    RunRange r;
    r.lo = le_bytes(f, kPrefAddress, 8);
    r.hi = r.lo + le_bytes(f, kInitSize, 4);
    if (r.hi < r.lo) refuse("the bzImage's header puts the kernel past the end of memory: not a valid bzImage");
    return r;
}

} // namespace

LinuxLayout plan_x86_64_linux_layout(std::span<const std::uint8_t> kernel, std::uint64_t initrd_size,
                                     std::uint64_t ram_bytes) {
    RunRange run;
    static constexpr std::uint8_t kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
    if (in_file(kernel, 0, 4) && std::memcmp(kernel.data(), kElfMagic, 4) == 0)
        run = elf_run_range(kernel);
    else if (in_file(kernel, 0x264, 0) && le_bytes(kernel, 0x202, 4) == 0x53726448) // "HdrS"
        run = bzimage_run_range(kernel);
    else
        refuse("the kernel is not an x86-64 Linux kernel (neither an ELF vmlinux nor a bzImage)");

    const std::uint64_t base = zone_arch_info(ZoneArch::x86_64).linux_ram_base;
    const std::uint64_t ram_end =
        ram_bytes > BH_X86_64_LINUX_BOOT_TABLES_BYTES ? ram_bytes - BH_X86_64_LINUX_BOOT_TABLES_BYTES : 0;
    const std::uint64_t run_end = (run.hi + kPage - 1) & ~(kPage - 1);
    const std::uint64_t file_at = run_end;
    const std::uint64_t below_initrd = std::max(file_at + kernel.size(), run_end + kStartSlack);
    const std::uint64_t initrd_pages = (initrd_size + kPage - 1) & ~(kPage - 1);
    if (run.hi > ram_end || below_initrd > ram_end || initrd_pages > ram_end - below_initrd)
        refuse("the kernel (running at [" + mib(run.lo) + ", " + mib(run.hi) + ")), its file, the initrd and " +
               "4 MiB to start in need " + mib(below_initrd + initrd_pages + BH_X86_64_LINUX_BOOT_TABLES_BYTES) +
               " of the zone's " + mib(ram_bytes) + ": give the zone more --memory");
    LinuxLayout l;
    l.kernel_ipa = base + file_at;
    if (initrd_size != 0) l.initrd_ipa = base + ((ram_end - initrd_size) & ~(kPage - 1));
    return l;
}

} // namespace bh::zoned

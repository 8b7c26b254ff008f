// SPDX-License-Identifier: GPL-2.0-only
// Recognising an x86-64 Linux kernel and laying it out in a zone's RAM
// (arch/x86_linux_image.hpp). Every field is read with bounds checked
// against the file: the kernel is whatever the manifest's author gave.
#include <arch/x86_64_platform.hpp>
#include <arch/x86_linux_image.hpp>

#include <bulkhead/log.hpp>

namespace bh::x86_64 {
namespace {

using ull = unsigned long long;
// x86 Linux's COMMAND_LINE_SIZE; a PVH kernel has no header to say so.
constexpr u64 kPvhCmdlineMax = 2048;

u64 le(const u8* p, unsigned bytes) {
    u64 v = 0;
    for (unsigned i = bytes; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

bool fits(const Blob& b, u64 offset, u64 size) { return offset <= b.size && size <= b.size - offset; }

// The PVH entry from the PT_NOTE segments; 0 if there is none.
u64 pvh_entry(const Blob& k, const Elf64Header& h) {
    for (u32 i = 0; i < h.phnum; ++i) {
        Elf64Phdr ph;
        __builtin_memcpy(&ph, k.data + h.phoff + u64(i) * sizeof ph, sizeof ph);
        if (ph.type != kPtNote || !fits(k, ph.offset, ph.filesz)) continue;
        u64 at = ph.offset, end = ph.offset + ph.filesz;
        while (end - at >= sizeof(Elf64Note)) {
            Elf64Note n;
            __builtin_memcpy(&n, k.data + at, sizeof n);
            u64 name = at + sizeof n, desc = name + align_up(n.namesz, 4);
            u64 next = desc + align_up(n.descsz, 4);
            if (n.namesz > end || n.descsz > end || next > end) break;
            bool xen = n.namesz == 4 && __builtin_memcmp(k.data + name, "Xen", 4) == 0;
            if (xen && n.type == kXenElfnotePhys32Entry && (n.descsz == 4 || n.descsz == 8))
                return le(k.data + desc, n.descsz);
            at = next;
        }
    }
    return 0;
}

bool parse_elf(const Blob& k, X86Kernel& out, char* why, usize why_size) {
    Elf64Header h;
    __builtin_memcpy(&h, k.data, sizeof h);
    if (h.ident[4] != 2 || h.ident[5] != 1 || h.machine != kEmX86_64 || h.type != kEtExec) {
        format(why, why_size, "the kernel is an ELF file but not a 64-bit x86 executable (class %u, machine %u)",
               h.ident[4], h.machine);
        return false;
    }
    if (h.phentsize != sizeof(Elf64Phdr) || !fits(k, h.phoff, u64(h.phnum) * sizeof(Elf64Phdr))) {
        format(why, why_size, "the kernel's ELF program headers lie outside its %llu bytes: it is truncated",
               static_cast<ull>(k.size));
        return false;
    }
    // A file cut short is named as such before anything else is looked for.
    for (u32 i = 0; i < h.phnum; ++i) {
        Elf64Phdr ph;
        __builtin_memcpy(&ph, k.data + h.phoff + u64(i) * sizeof ph, sizeof ph);
        if ((ph.type == kPtLoad || ph.type == kPtNote) && !fits(k, ph.offset, ph.filesz)) {
            format(why, why_size,
                   "the kernel's segment %u (%llu bytes at file offset %#llx) lies outside its %llu bytes: it is "
                   "truncated",
                   i, static_cast<ull>(ph.filesz), static_cast<ull>(ph.offset), static_cast<ull>(k.size));
            return false;
        }
    }
    u64 entry = pvh_entry(k, h);
    if (!entry) {
        format(why, why_size,
               "the kernel is an ELF vmlinux without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY): build it with "
               "CONFIG_PVH, or give its bzImage");
        return false;
    }
    out.kind = X86KernelKind::pvh_elf;
    out.entry = GuestPhys(entry);
    out.segment_count = 0;
    for (u32 i = 0; i < h.phnum; ++i) {
        Elf64Phdr ph;
        __builtin_memcpy(&ph, k.data + h.phoff + u64(i) * sizeof ph, sizeof ph);
        if (ph.type != kPtLoad || ph.memsz == 0) continue;
        if (ph.filesz > ph.memsz || ph.paddr + ph.memsz < ph.paddr) {
            format(why, why_size, "the kernel's segment %u has impossible sizes", i);
            return false;
        }
        if (out.segment_count == X86Kernel::kMaxSegments) {
            format(why, why_size, "the kernel has more than %u loadable segments", X86Kernel::kMaxSegments);
            return false;
        }
        out.segments[out.segment_count++] = {ph.offset, ph.filesz, GuestPhys(ph.paddr), ph.memsz};
    }
    if (!out.segment_count) {
        format(why, why_size, "the kernel has no loadable segment");
        return false;
    }
    out.cmdline_max = kPvhCmdlineMax;
    return true;
}

bool parse_bzimage(const Blob& k, X86Kernel& out, char* why, usize why_size) {
    const u8* p = k.data;
    u16 version = static_cast<u16>(le(p + bz::kVersion, 2));
    if (version < bz::kMinVersion || !(le(p + bz::kXloadflags, 2) & bz::kXlfKernel64)) {
        format(why, why_size,
               "the bzImage speaks boot protocol %u.%02u without a 64-bit entry point; 2.12 or later with "
               "XLF_KERNEL_64 is needed",
               version >> 8, version & 0xff);
        return false;
    }
    u64 setup_sects = p[bz::kSetupSects] ? p[bz::kSetupSects] : 4;
    u64 payload = (setup_sects + 1) * 512;
    if (payload >= k.size) {
        format(why, why_size,
               "the bzImage ends (%llu bytes) before its protected-mode kernel (at %#llx): it is "
               "truncated",
               static_cast<ull>(k.size), static_cast<ull>(payload));
        return false;
    }
    u64 init_size = le(p + bz::kInitSize, 4);
    u64 load = le(p + bz::kPrefAddress, 8);
    u64 align = le(p + bz::kKernelAlignment, 4);
    if (!load || (align && (align & (align - 1)) == 0 && load % align)) load = 0x1000000;
    out.kind = X86KernelKind::bzimage;
    out.segment_count = 1;
    u64 file_size = k.size - payload;
    out.segments[0] = {payload, file_size, GuestPhys(load), init_size > file_size ? init_size : file_size};
    out.entry = GuestPhys(load + bz::kEntry64Offset);
    out.header_end = bz::kHeaderMagic + p[bz::kJumpOffset];
    u64 cmdline_size = le(p + bz::kCmdlineSize, 4);
    out.cmdline_max = cmdline_size && cmdline_size < kCmdlineMax ? cmdline_size + 1 : kCmdlineMax;
    return true;
}

} // namespace

bool parse_x86_kernel(Blob k, X86Kernel& out, char* why, usize why_size) {
    static constexpr u8 kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
    if (k.size >= sizeof(Elf64Header) && __builtin_memcmp(k.data, kElfMagic, 4) == 0)
        return parse_elf(k, out, why, why_size);
    if (k.size > bz::kPrefAddress + 16 && le(k.data + bz::kHeaderMagic, 4) == bz::kMagicHdrS)
        return parse_bzimage(k, out, why, why_size);
    const bool gzip = k.size >= 2 && k.data[0] == 0x1f && k.data[1] == 0x8b;
    format(why, why_size,
           "the kernel (%llu bytes) is neither an ELF vmlinux with a PVH note nor a bzImage (no \"HdrS\" at "
           "%#llx)%s",
           static_cast<ull>(k.size), static_cast<ull>(bz::kHeaderMagic),
           gzip ? "; it is gzip-compressed: give the vmlinux or bzImage itself" : "");
    return false;
}

bool x86_linux_layout(const LinuxBoot& l, Range<GuestPhys> ram, u64 boot_area, X86LinuxLayout& out, char* why,
                      usize why_size) {
    if (!parse_x86_kernel(l.kernel, out.kernel, why, why_size)) return false;
    if (ram.base.raw() != 0) {
        format(why, why_size,
               "an x86 Linux zone's memory must start at 0 (memory-base %#llx): Linux needs memory below 1 MiB",
               static_cast<ull>(ram.base.raw()));
        return false;
    }
    const X86Kernel& k = out.kernel;
    u64 lo = ~u64(0), hi = 0;
    for (u32 i = 0; i < k.segment_count; ++i) {
        const X86Segment& s = k.segments[i];
        if (s.load.raw() < kHighRamBase.raw()) {
            format(why, why_size, "the kernel's segment at %#llx lies below 1 MiB, where the zone's boot data goes",
                   static_cast<ull>(s.load.raw()));
            return false;
        }
        if (s.load.raw() < lo) lo = s.load.raw();
        if (s.load.raw() + s.mem_size > hi) hi = s.load.raw() + s.mem_size;
    }
    if (ram.size < boot_area + kPageSize) {
        format(why, why_size, "the zone's %llu KiB of memory is too small for Linux", static_cast<ull>(ram.size >> 10));
        return false;
    }
    out.ram_end = ram.end() - boot_area;
    out.kernel_end = GuestPhys(align_up(hi, kPageSize));
    u64 initrd = align_down(out.ram_end.raw() - (l.initrd.size < out.ram_end.raw() ? l.initrd.size : 0), kPageSize);
    out.initrd = GuestPhys(initrd);
    // A kernel needs room beyond its image to start (page tables, the
    // decompressor's heap, its first allocations): 4 MiB, as on arm64.
    constexpr u64 kSlack = 4u << 20;
    if (hi > out.ram_end.raw() || l.initrd.size > out.ram_end.raw() || out.kernel_end.raw() + kSlack > initrd) {
        format(why, why_size,
               "the kernel (%llu KiB at [%#llx, %#llx)), the initrd (%llu KiB) and 4 MiB to start in need more than "
               "the zone's %llu KiB",
               static_cast<ull>((hi - lo) >> 10), static_cast<ull>(lo), static_cast<ull>(hi),
               static_cast<ull>(l.initrd.size >> 10), static_cast<ull>(ram.size >> 10));
        return false;
    }
    return true;
}

bool x86_linux_allowed(const LinuxBoot& l, Range<GuestPhys> ram, char* why, usize why_size) {
    X86LinuxLayout unused;
    return x86_linux_layout(l, ram, kZonePlatform.boot_area_bytes, unused, why, why_size);
}

} // namespace bh::x86_64

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

bool fits(const KernelSource& k, u64 offset, u64 size) { return offset <= k.size && size <= k.size - offset; }

// Program header i (in the file: checked by the caller).
Elf64Phdr phdr(const KernelSource& k, const Elf64Header& h, u32 i) {
    Elf64Phdr ph{};
    (void)k.read(h.phoff + u64(i) * sizeof ph, &ph, sizeof ph);
    return ph;
}

// The PVH entry from the PT_NOTE segments; 0 if there is none.
u64 pvh_entry(const KernelSource& k, const Elf64Header& h) {
    for (u32 i = 0; i < h.phnum; ++i) {
        Elf64Phdr ph = phdr(k, h, i);
        if (ph.type != kPtNote || !fits(k, ph.offset, ph.filesz)) continue;
        u64 at = ph.offset, end = ph.offset + ph.filesz;
        while (end - at >= sizeof(Elf64Note)) {
            Elf64Note n;
            if (!k.read(at, &n, sizeof n)) break;
            u64 name = at + sizeof n, desc = name + align_up(n.namesz, 4);
            u64 next = desc + align_up(n.descsz, 4);
            if (n.namesz > end || n.descsz > end || next > end) break;
            char xen[4];
            u8 value[8];
            bool is_xen = n.namesz == 4 && k.read(name, xen, 4) && __builtin_memcmp(xen, "Xen", 4) == 0;
            if (is_xen && n.type == kXenElfnotePhys32Entry && (n.descsz == 4 || n.descsz == 8) &&
                k.read(desc, value, n.descsz))
                return le(value, n.descsz);
            at = next;
        }
    }
    return 0;
}

bool parse_elf(const KernelSource& k, X86Kernel& out, char* why, usize why_size) {
    Elf64Header h;
    (void)k.read(0, &h, sizeof h); // the caller saw its magic: the header is in the file
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
        Elf64Phdr ph = phdr(k, h, i);
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
        Elf64Phdr ph = phdr(k, h, i);
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

// `p`: the file's first bytes up to the setup header's end (kHeaderBytes,
// or the whole file if shorter, which the caller saw reach kPrefAddress).
bool parse_bzimage(const KernelSource& k, const u8* p, X86Kernel& out, char* why, usize why_size) {
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
    // syssize: the protected-mode kernel's 16-byte paragraphs (4 bytes wide
    // from protocol 2.04, so trusted here).
    u64 kernel_bytes = le(p + bz::kSyssize, 4) * 16;
    if (kernel_bytes > k.size - payload) {
        format(why, why_size,
               "the bzImage's kernel is %llu bytes by its header but the file holds %llu after the setup: it is "
               "truncated",
               static_cast<ull>(kernel_bytes), static_cast<ull>(k.size - payload));
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
    // Within the first 0x400 bytes, which lie before the payload (>= 0x400).
    out.header_end = bz::kHeaderMagic + p[bz::kJumpOffset];
    __builtin_memcpy(out.setup_header, p + bz::kSetupSects, out.header_end - bz::kSetupSects);
    u64 cmdline_size = le(p + bz::kCmdlineSize, 4);
    out.cmdline_max = cmdline_size && cmdline_size < kCmdlineMax ? cmdline_size + 1 : kCmdlineMax;
    return true;
}

} // namespace

bool parse_x86_kernel(const KernelSource& k, X86Kernel& out, char* why, usize why_size) {
    static constexpr u8 kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
    // The setup header lies in the first 0x302 bytes; a bzImage's payload
    // starts at 0x400 or later, so this much of a bzImage is always there.
    constexpr u64 kHeaderBytes = 0x400;
    u8 head[kHeaderBytes] = {};
    u64 got = k.size < kHeaderBytes ? k.size : kHeaderBytes;
    if (!k.read(0, head, got)) {
        format(why, why_size, "the kernel's first %llu bytes could not be read", static_cast<ull>(got));
        return false;
    }
    if (k.size >= sizeof(Elf64Header) && __builtin_memcmp(head, kElfMagic, 4) == 0)
        return parse_elf(k, out, why, why_size);
    if (k.size > bz::kPrefAddress + 16 && le(head + bz::kHeaderMagic, 4) == bz::kMagicHdrS)
        return parse_bzimage(k, head, out, why, why_size);
    const bool gzip = k.size >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    format(why, why_size,
           "the kernel (%llu bytes) is neither an ELF vmlinux with a PVH note nor a bzImage (no \"HdrS\" at "
           "%#llx)%s",
           static_cast<ull>(k.size), static_cast<ull>(bz::kHeaderMagic),
           gzip ? "; it is gzip-compressed: give the vmlinux or bzImage itself" : "");
    return false;
}

bool x86_linux_layout(const KernelSource& kernel, u64 initrd_size, Range<GuestPhys> ram, u64 boot_area,
                      X86LinuxLayout& out, char* why, usize why_size) {
    if (!parse_x86_kernel(kernel, out.kernel, why, why_size)) return false;
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
    out.kernel_start = GuestPhys(align_down(lo, kPageSize));
    out.kernel_end = GuestPhys(align_up(hi, kPageSize));
    u64 initrd = align_down(out.ram_end.raw() - (initrd_size < out.ram_end.raw() ? initrd_size : 0), kPageSize);
    out.initrd = GuestPhys(initrd);
    // A kernel needs room beyond its image to start (page tables, the
    // decompressor's heap, its first allocations): 4 MiB, as on arm64.
    constexpr u64 kSlack = 4u << 20;
    if (hi > out.ram_end.raw() || initrd_size > out.ram_end.raw() || out.kernel_end.raw() + kSlack > initrd) {
        format(why, why_size,
               "the kernel (%llu KiB at [%#llx, %#llx)), the initrd (%llu KiB) and 4 MiB to start in need more than "
               "the zone's %llu KiB",
               static_cast<ull>((hi - lo) >> 10), static_cast<ull>(lo), static_cast<ull>(hi),
               static_cast<ull>(initrd_size >> 10), static_cast<ull>(ram.size >> 10));
        return false;
    }
    return true;
}

bool x86_staged_linux_ok(const X86LinuxLayout& at, Range<GuestPhys> kernel_file, Range<GuestPhys> initrd_file,
                         char* why, usize why_size) {
    const Range<GuestPhys> runs{at.kernel_start, at.kernel_end - at.kernel_start};
    const Range<GuestPhys> initrd_place{at.initrd, initrd_file.size};
    if (kernel_file.overlaps(runs)) {
        format(why, why_size,
               "the kernel file at [%#llx, %#llx) overlaps where the kernel runs, [%#llx, %#llx): load it above "
               "that",
               static_cast<ull>(kernel_file.base.raw()), static_cast<ull>(kernel_file.end().raw()),
               static_cast<ull>(runs.base.raw()), static_cast<ull>(runs.end().raw()));
        return false;
    }
    if (initrd_file.overlaps(runs) || initrd_file.overlaps(kernel_file)) {
        format(why, why_size,
               "the initrd at [%#llx, %#llx) overlaps the kernel file or where the kernel runs, [%#llx, %#llx)",
               static_cast<ull>(initrd_file.base.raw()), static_cast<ull>(initrd_file.end().raw()),
               static_cast<ull>(runs.base.raw()), static_cast<ull>(runs.end().raw()));
        return false;
    }
    if (initrd_file.size && initrd_file.base != at.initrd && initrd_file.overlaps(initrd_place)) {
        format(why, why_size, "the initrd at %#llx overlaps its place at %#llx: load it there or clear of it",
               static_cast<ull>(initrd_file.base.raw()), static_cast<ull>(at.initrd.raw()));
        return false;
    }
    return true;
}

X86BootPlan x86_staged_boot_plan(const X86LinuxLayout& at, Range<GuestPhys> initrd_file) {
    X86BootPlan p;
    auto add = [&p](X86BootPiece::Kind kind, u64 from, GuestPhys to, u64 size) {
        if (size == 0) return;
        p.piece[p.count++] = {kind, from, to, size};
        p.total += size;
    };
    for (u32 i = 0; i < at.kernel.segment_count; ++i) {
        const X86Segment& s = at.kernel.segments[i];
        add(X86BootPiece::Kind::kernel_bytes, s.offset, s.load, s.file_size);
        // The rest of an ELF segment (.bss) must read zero: a control domain
        // may have loaded anything anywhere. (A bzImage's rest is its
        // decompressor's work space.)
        if (at.kernel.kind == X86KernelKind::pvh_elf)
            add(X86BootPiece::Kind::zeros, 0, s.load + s.file_size, s.mem_size - s.file_size);
    }
    if (initrd_file.size && initrd_file.base != at.initrd)
        add(X86BootPiece::Kind::initrd_bytes, 0, at.initrd, initrd_file.size);
    return p;
}

u32 x86_plan_window(const X86BootPlan& plan, u64 from, u64 to, X86BootPiece* out) {
    u32 n = 0;
    u64 start = 0; // of the piece in the plan's bytes
    for (u32 i = 0; i < plan.count && start < to; start += plan.piece[i++].size) {
        const X86BootPiece& p = plan.piece[i];
        u64 lo = from > start ? from - start : 0;
        u64 hi = to - start < p.size ? to - start : p.size;
        if (lo >= hi) continue;
        out[n++] = {p.kind, p.from + (p.kind == X86BootPiece::Kind::zeros ? 0 : lo), p.to + lo, hi - lo};
    }
    return n;
}

bool x86_linux_allowed(const LinuxBoot& l, Range<GuestPhys> ram, char* why, usize why_size) {
    X86LinuxLayout unused;
    return x86_linux_layout(l, ram, kZonePlatform.boot_area_bytes, unused, why, why_size);
}

} // namespace bh::x86_64

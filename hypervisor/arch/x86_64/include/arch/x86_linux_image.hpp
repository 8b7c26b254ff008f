// SPDX-License-Identifier: GPL-2.0-only
// Which x86-64 Linux kernel a zone was given, and where its pieces go in the
// zone's RAM. Two kinds boot:
//   - an ELF vmlinux with Xen's PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY):
//     its PT_LOAD segments at their physical addresses, entered in 32-bit
//     protected mode with EBX = hvm_start_info (the minimal zone kernel);
//   - a bzImage with a 64-bit entry (boot protocol 2.12+, XLF_KERNEL_64):
//     its protected-mode part at the address the header prefers, entered in
//     long mode at load + 0x200 with RSI = the zero page (distribution
//     kernels).
// Pure code, shared by the manifest's check (a kernel that cannot boot
// refuses the manifest) and by prepare_linux_zone; also compiled into the
// host unit tests, which check the hand-written layouts below against
// <elf.h> and <asm/bootparam.h>.
#pragma once

#include <arch/zone_acpi.hpp>

#include <bulkhead/manifest.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// ELF64 as far as finding segments and notes needs (the System V gABI).
struct Elf64Header {
    u8 ident[16];
    u16 type, machine;
    u32 version;
    u64 entry, phoff, shoff;
    u32 flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
static_assert(sizeof(Elf64Header) == 64 && __builtin_offsetof(Elf64Header, phoff) == 32 &&
              __builtin_offsetof(Elf64Header, phnum) == 56);
struct Elf64Phdr {
    u32 type, flags;
    u64 offset, vaddr, paddr, filesz, memsz, align;
};
static_assert(sizeof(Elf64Phdr) == 56 && __builtin_offsetof(Elf64Phdr, paddr) == 24);
struct Elf64Note {
    u32 namesz, descsz, type;
};
static_assert(sizeof(Elf64Note) == 12);
inline constexpr u32 kPtLoad = 1, kPtNote = 4;
inline constexpr u16 kEtExec = 2, kEmX86_64 = 62;
// xen/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY, the PVH entry's physical address.
inline constexpr u32 kXenElfnotePhys32Entry = 18;

// The boot protocol's setup header, at offset 0x1f1 of a bzImage and of the
// zero page (Documentation/x86/boot.rst; offsets are the zero page's).
namespace bz {
inline constexpr u64 kSetupSects = 0x1f1, kSyssize = 0x1f4, kHeaderMagic = 0x202, kVersion = 0x206,
                     kTypeOfLoader = 0x210, kLoadflags = 0x211, kRamdiskImage = 0x218, kRamdiskSize = 0x21c,
                     kCmdLinePtr = 0x228, kRelocatable = 0x234, kXloadflags = 0x236, kCmdlineSize = 0x238,
                     kPrefAddress = 0x258, kInitSize = 0x260, kKernelAlignment = 0x230, kJumpOffset = 0x201;
// The zero page's own fields.
inline constexpr u64 kAcpiRsdpAddr = 0x070, kExtRamdiskImage = 0x0c0, kExtRamdiskSize = 0x0c4, kExtCmdLinePtr = 0x0c8,
                     kE820Entries = 0x1e8, kE820Table = 0x2d0;
inline constexpr u32 kE820Max = 128, kE820EntryBytes = 20;
inline constexpr u32 kMagicHdrS = 0x53726448; // "HdrS"
inline constexpr u16 kMinVersion = 0x020c;    // xloadflags and the 64-bit entry
inline constexpr u16 kXlfKernel64 = 1;
inline constexpr u8 kLoadedHigh = 1, kCanUseHeap = 0x80;
inline constexpr u8 kLoaderUndefined = 0xff;
inline constexpr u64 kEntry64Offset = 0x200;
inline constexpr u64 kZeroPageBytes = 4096;
} // namespace bz

enum class X86KernelKind : u8 { pvh_elf, bzimage };

struct X86Segment {
    u64 offset = 0; // in the kernel file
    u64 file_size = 0;
    GuestPhys load;
    u64 mem_size = 0;
};

// The kernel file, read piecewise with every range checked: contiguous
// bytes (a manifest's image) or a range of a zone's RAM, which need not be
// contiguous in the host (BH_HC_ZONE_BOOT_LINUX: kernel_in_zone in
// linux_boot.cpp). read() is false unless [offset, offset + len) lies in
// the file and could be read.
struct KernelSource {
    u64 size = 0;
    const void* context = nullptr;
    bool (*read_at)(const void* context, u64 offset, void* dst, u64 len) = nullptr;

    [[nodiscard]] bool read(u64 offset, void* dst, u64 len) const {
        return offset <= size && len <= size - offset && read_at(context, offset, dst, len);
    }
    static KernelSource of(const Blob& b) {
        return {b.size, b.data, [](const void* c, u64 offset, void* dst, u64 len) {
                    __builtin_memcpy(dst, static_cast<const u8*>(c) + offset, len);
                    return true;
                }};
    }
};

struct X86Kernel {
    static constexpr u32 kMaxSegments = 8;
    // The setup header's bytes [0x1f1, header_end): at most 0x202 + 0xff.
    static constexpr u64 kSetupHeaderMax = 0x302 - bz::kSetupSects;
    X86KernelKind kind = X86KernelKind::pvh_elf;
    // PVH: the PT_LOAD segments; bzImage: one, the protected-mode kernel at
    // its load address with init_size as its memory size.
    X86Segment segments[kMaxSegments];
    u32 segment_count = 0;
    GuestPhys entry;
    // bzImage: the setup header's bytes [0x1f1, header_end), as the zero
    // page gets them, and the longest command line the kernel takes.
    u64 header_end = 0;
    u8 setup_header[kSetupHeaderMax] = {};
    u64 cmdline_max = 0;
};

// Where a Linux zone's boot data sits in its low memory. Linux keeps the
// first 64 KiB to itself (CONFIG_X86_RESERVE_LOW), so nothing there is
// overwritten before it has read it.
inline constexpr GuestPhys kBootInfo{0x1000};  // hvm_start_info or the zero page
inline constexpr GuestPhys kBootLists{0x2000}; // PVH module list and memory map
inline constexpr GuestPhys kCmdline{0x3000};
inline constexpr u64 kCmdlineMax = 4096; // with its NUL
// The ACPI tables, in the BIOS area [0xe0000, 0x100000) that Linux scans
// and the memory map reserves.
inline constexpr GuestPhys kAcpiTables = kZoneAcpiBase;
inline constexpr u64 kAcpiMax = kZoneAcpiMaxBytes;
inline constexpr GuestPhys kLowRamEnd{0xa0000};    // RAM below the legacy hole
inline constexpr GuestPhys kHighRamBase{0x100000}; // RAM again from 1 MiB

struct X86LinuxLayout {
    X86Kernel kernel;
    GuestPhys kernel_start; // the lowest segment's first page
    GuestPhys kernel_end;   // past the last segment's memory, page aligned
    GuestPhys initrd;       // page aligned, below the boot tables at RAM's top
    GuestPhys ram_end;      // where usable RAM ends: the boot tables follow
};

// Recognises the kernel; false with `why` if it is neither kind or is
// damaged (truncated, segments outside the file).
bool parse_x86_kernel(const KernelSource& kernel, X86Kernel& out, char* why, usize why_size);
inline bool parse_x86_kernel(Blob kernel, X86Kernel& out, char* why, usize why_size) {
    return parse_x86_kernel(KernelSource::of(kernel), out, why, why_size);
}

// The kernel, its initrd and the boot data in `ram`, which must start at 0
// (Linux needs memory below 1 MiB); `boot_area` bytes at its top are the
// hypervisor's start-up tables. False with `why` if anything does not fit.
bool x86_linux_layout(const KernelSource& kernel, u64 initrd_size, Range<GuestPhys> ram, u64 boot_area,
                      X86LinuxLayout& out, char* why, usize why_size);
inline bool x86_linux_layout(const LinuxBoot& l, Range<GuestPhys> ram, u64 boot_area, X86LinuxLayout& out, char* why,
                             usize why_size) {
    return x86_linux_layout(KernelSource::of(l.kernel), l.initrd.size, ram, boot_area, out, why, why_size);
}

// For BH_HC_ZONE_BOOT_LINUX, where a control domain has put the kernel
// file and the initrd somewhere in the zone's RAM (`kernel_file`,
// `initrd_file`; the latter empty without one): whether the hypervisor can
// move them to `at`'s places without a copy overwriting what another still
// has to read. Neither may overlap the kernel's place [first segment,
// kernel_end) nor each other; the initrd is at its place already or clear
// of it. False with `why` saying which.
bool x86_staged_linux_ok(const X86LinuxLayout& at, Range<GuestPhys> kernel_file, Range<GuestPhys> initrd_file,
                         char* why, usize why_size);

// What BH_HC_ZONE_BOOT_LINUX moves, in order, once x86_staged_linux_ok has
// passed: each segment's file bytes from the kernel file to its place, an
// ELF segment's rest (.bss) zeroed, and the initrd to its place unless it
// is there. Every piece reads only what no earlier piece writes, so any
// piece can be done again with the same result: the call works through the
// plan a bounded step at a time (x86_plan_window) and a step repeated after
// a restart changes nothing.
struct X86BootPiece {
    enum class Kind : u8 { kernel_bytes, zeros, initrd_bytes } kind = Kind::kernel_bytes;
    u64 from = 0; // kernel_bytes: offset in the kernel file; initrd_bytes: offset in the initrd
    GuestPhys to; // where in the zone
    u64 size = 0;
};
struct X86BootPlan {
    static constexpr u32 kMaxPieces = 2 * X86Kernel::kMaxSegments + 1;
    X86BootPiece piece[kMaxPieces];
    u32 count = 0;
    u64 total = 0; // bytes of all pieces
};
// `initrd_file`: where the control domain loaded the initrd (empty: none).
X86BootPlan x86_staged_boot_plan(const X86LinuxLayout& at, Range<GuestPhys> initrd_file);
// The pieces' parts that lie in [from, to) of the plan's bytes, in order,
// into `out` (room for X86BootPlan::kMaxPieces); returns how many.
u32 x86_plan_window(const X86BootPlan& plan, u64 from, u64 to, X86BootPiece* out);

// The platform's check (ZonePlatform::linux_allowed).
bool x86_linux_allowed(const LinuxBoot& l, Range<GuestPhys> ram, char* why, usize why_size);

} // namespace bh::x86_64

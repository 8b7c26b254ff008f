// SPDX-License-Identifier: GPL-2.0-only
// The x86 Linux boot path's pure parts: recognising a PVH vmlinux or a
// bzImage (and refusing what is neither, truncated or too large), the
// layout in a zone's RAM, the command line with the workload, the PVH
// start block and the zero page. The hand-written layouts are checked
// against the system's <elf.h> and <asm/bootparam.h> here.
#include <arch/x86_boot_info.hpp>
#include <arch/x86_linux_image.hpp>

#include <asm/bootparam.h>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>
#include <elf.h>
#include <string>
#include <vector>

extern "C" {
#include <xen/arch-x86/hvm/start_info.h>
}

using namespace bh;
using namespace bh::x86_64;
using Catch::Matchers::Contains;

static_assert(sizeof(Elf64Header) == sizeof(Elf64_Ehdr) &&
              offsetof(Elf64Header, phnum) == offsetof(Elf64_Ehdr, e_phnum));
static_assert(sizeof(Elf64Phdr) == sizeof(Elf64_Phdr) && offsetof(Elf64Phdr, paddr) == offsetof(Elf64_Phdr, p_paddr) &&
              offsetof(Elf64Phdr, memsz) == offsetof(Elf64_Phdr, p_memsz));
static_assert(kPtLoad == PT_LOAD && kPtNote == PT_NOTE && kEmX86_64 == EM_X86_64 && kEtExec == ET_EXEC);
// The zero page's offsets, as Linux's UAPI header has them.
static_assert(bz::kSetupSects == offsetof(boot_params, hdr.setup_sects));
static_assert(bz::kSyssize == offsetof(boot_params, hdr.syssize));
static_assert(bz::kHeaderMagic == offsetof(boot_params, hdr.header));
static_assert(bz::kVersion == offsetof(boot_params, hdr.version));
static_assert(bz::kTypeOfLoader == offsetof(boot_params, hdr.type_of_loader));
static_assert(bz::kLoadflags == offsetof(boot_params, hdr.loadflags));
static_assert(bz::kRamdiskImage == offsetof(boot_params, hdr.ramdisk_image));
static_assert(bz::kRamdiskSize == offsetof(boot_params, hdr.ramdisk_size));
static_assert(bz::kCmdLinePtr == offsetof(boot_params, hdr.cmd_line_ptr));
static_assert(bz::kKernelAlignment == offsetof(boot_params, hdr.kernel_alignment));
static_assert(bz::kRelocatable == offsetof(boot_params, hdr.relocatable_kernel));
static_assert(bz::kXloadflags == offsetof(boot_params, hdr.xloadflags));
static_assert(bz::kCmdlineSize == offsetof(boot_params, hdr.cmdline_size));
static_assert(bz::kPrefAddress == offsetof(boot_params, hdr.pref_address));
static_assert(bz::kInitSize == offsetof(boot_params, hdr.init_size));
static_assert(bz::kJumpOffset == offsetof(boot_params, hdr.jump) + 1);
static_assert(bz::kAcpiRsdpAddr == offsetof(boot_params, acpi_rsdp_addr));
static_assert(bz::kExtRamdiskImage == offsetof(boot_params, ext_ramdisk_image));
static_assert(bz::kExtRamdiskSize == offsetof(boot_params, ext_ramdisk_size));
static_assert(bz::kExtCmdLinePtr == offsetof(boot_params, ext_cmd_line_ptr));
static_assert(bz::kE820Entries == offsetof(boot_params, e820_entries));
static_assert(bz::kE820Table == offsetof(boot_params, e820_table));
static_assert(bz::kE820EntryBytes == sizeof(boot_e820_entry) && bz::kZeroPageBytes == sizeof(boot_params));
static_assert(bz::kXlfKernel64 == XLF_KERNEL_64 && bz::kLoadedHigh == LOADED_HIGH);

namespace {

template <class T>
void put(std::vector<u8>& b, size_t at, T v) {
    if (b.size() < at + sizeof v) b.resize(at + sizeof v);
    std::memcpy(b.data() + at, &v, sizeof v);
}

// A vmlinux-like ELF: one PT_NOTE with the PVH entry (unless `note` is
// false) and two PT_LOAD segments at 16 MiB.
std::vector<u8> pvh_elf(bool note = true, u64 entry = 0x1000220) {
    std::vector<u8> b(0x3000, 0);
    Elf64_Ehdr h{};
    std::memcpy(h.e_ident, ELFMAG, SELFMAG);
    h.e_ident[EI_CLASS] = ELFCLASS64;
    h.e_ident[EI_DATA] = ELFDATA2LSB;
    h.e_type = ET_EXEC;
    h.e_machine = EM_X86_64;
    h.e_phoff = 64;
    h.e_phentsize = sizeof(Elf64_Phdr);
    h.e_phnum = 3;
    put(b, 0, h);
    Elf64_Phdr text{PT_LOAD, 5, 0x1000, 0xffffffff81000000ull, 0x1000000, 0x1000, 0x1000, 0x1000};
    Elf64_Phdr data{PT_LOAD, 6, 0x2000, 0xffffffff81200000ull, 0x1200000, 0x800, 0x100000, 0x1000};
    Elf64_Phdr notes{PT_NOTE, 4, 0x2800, 0, 0, 0x20, 0x20, 4};
    put(b, 64, text);
    put(b, 64 + 56, data);
    put(b, 64 + 112, notes);
    Elf64_Nhdr n{4, 8, note ? 18u : 17u};
    put(b, 0x2800, n);
    std::memcpy(b.data() + 0x280c, "Xen", 4);
    put(b, 0x2810, entry);
    return b;
}

std::vector<u8> bzimage(u16 version = 0x020f, u16 xloadflags = 1) {
    std::vector<u8> b(0x5000, 0);
    b[0x1f1] = 3; // setup sectors: the kernel starts at 0x800
    put<u32>(b, 0x202, 0x53726448);
    put<u16>(b, 0x206, version);
    b[0x201] = 0x6a; // jump: the header ends at 0x26c
    put<u32>(b, 0x230, 0x200000);
    put<u16>(b, 0x236, xloadflags);
    put<u32>(b, 0x238, 2047);
    put<u64>(b, 0x258, 0x1000000);
    put<u32>(b, 0x260, 0x2000000);
    put<u32>(b, 0x1f4, (0x5000 - 0x800) / 16); // syssize: the kernel's paragraphs
    return b;
}

Blob blob(const std::vector<u8>& v) { return {v.data(), v.size()}; }
Blob str(const char* s) { return {reinterpret_cast<const u8*>(s), std::strlen(s) + 1}; }
Blob list(const std::string& s) { return {reinterpret_cast<const u8*>(s.data()), s.size()}; }

std::string why_of(const std::vector<u8>& k) {
    X86Kernel out;
    char why[256] = {};
    CHECK_FALSE(parse_x86_kernel(blob(k), out, why, sizeof why));
    return why;
}

constexpr u64 kMiB = 1u << 20;

} // namespace

TEST_CASE("x86 Linux: a vmlinux with a PVH note boots through PVH at its segments' physical addresses",
          "[x86][linux]") {
    auto k = pvh_elf();
    X86Kernel out;
    char why[256];
    REQUIRE(parse_x86_kernel(blob(k), out, why, sizeof why));
    CHECK(out.kind == X86KernelKind::pvh_elf);
    CHECK(out.entry == GuestPhys(0x1000220));
    REQUIRE(out.segment_count == 2);
    CHECK(out.segments[0].load == GuestPhys(0x1000000));
    CHECK(out.segments[1].mem_size == 0x100000);
    CHECK(out.cmdline_max == 2048);
}

TEST_CASE("x86 Linux: a bzImage with a 64-bit entry boots at its preferred address + 0x200", "[x86][linux]") {
    auto k = bzimage();
    X86Kernel out;
    char why[256];
    REQUIRE(parse_x86_kernel(blob(k), out, why, sizeof why));
    CHECK(out.kind == X86KernelKind::bzimage);
    CHECK(out.segments[0].offset == 0x800);
    CHECK(out.segments[0].file_size == 0x4800);
    CHECK(out.segments[0].mem_size == 0x2000000); // init_size
    CHECK(out.entry == GuestPhys(0x1000200));
    CHECK(out.header_end == 0x26c);
    CHECK(out.cmdline_max == 2048);
}

TEST_CASE("x86 Linux: kernels that cannot boot are refused with the reason", "[x86][linux]") {
    SECTION("an ELF without the PVH note") { CHECK_THAT(why_of(pvh_elf(false)), Contains("without a PVH entry note")); }
    SECTION("a truncated vmlinux") {
        auto k = pvh_elf();
        k.resize(0x1800);
        CHECK_THAT(why_of(k), Contains("truncated"));
    }
    SECTION("program headers past the end") {
        auto k = pvh_elf();
        k.resize(100);
        CHECK_THAT(why_of(k), Contains("truncated"));
    }
    SECTION("a bzImage cut before its kernel") {
        auto k = bzimage();
        k.resize(0x700);
        CHECK_THAT(why_of(k), Contains("truncated"));
    }
    SECTION("a bzImage cut inside its kernel (shorter than syssize says)") {
        auto k = bzimage();
        k.resize(0x4fff);
        CHECK_THAT(why_of(k), Contains("truncated"));
    }
    SECTION("a bzImage without a 64-bit entry") {
        CHECK_THAT(why_of(bzimage(0x020b)), Contains("2.12 or later"));
        CHECK_THAT(why_of(bzimage(0x020f, 0)), Contains("XLF_KERNEL_64"));
    }
    SECTION("an arm64 Image or random bytes") {
        std::vector<u8> k(0x1000, 0x5a);
        CHECK_THAT(why_of(k), Contains("neither an ELF vmlinux with a PVH note nor a bzImage"));
    }
    SECTION("a gzip file") {
        std::vector<u8> k(0x1000, 0);
        k[0] = 0x1f;
        k[1] = 0x8b;
        CHECK_THAT(why_of(k), Contains("gzip-compressed"));
    }
    SECTION("a 32-bit ELF") {
        auto k = pvh_elf();
        k[EI_CLASS] = ELFCLASS32;
        CHECK_THAT(why_of(k), Contains("not a 64-bit x86 executable"));
    }
}

TEST_CASE("x86 Linux: the layout puts the initrd under the boot tables and refuses what does not fit", "[x86][linux]") {
    auto k = pvh_elf();
    std::vector<u8> initrd(3 * kMiB + 5, 1);
    LinuxBoot l;
    l.kernel = blob(k);
    l.initrd = blob(initrd);
    X86LinuxLayout at;
    char why[256] = {};
    SECTION("fits in 64 MiB from 0") {
        REQUIRE(x86_linux_layout(l, {GuestPhys(0), 64 * kMiB}, 0x8000, at, why, sizeof why));
        CHECK(at.ram_end == GuestPhys(64 * kMiB - 0x8000));
        CHECK(at.initrd.raw() % 4096 == 0);
        CHECK(at.initrd.raw() + initrd.size() <= at.ram_end.raw());
        CHECK(at.kernel_end == GuestPhys(0x1300000));
    }
    SECTION("memory not from 0") {
        CHECK_FALSE(x86_linux_layout(l, {GuestPhys(0x40000000), 64 * kMiB}, 0x8000, at, why, sizeof why));
        CHECK_THAT(std::string(why), Contains("must start at 0"));
    }
    SECTION("a kernel and initrd too large for the zone's RAM") {
        CHECK_FALSE(x86_linux_layout(l, {GuestPhys(0), 24 * kMiB}, 0x8000, at, why, sizeof why));
        CHECK_THAT(std::string(why), Contains("need more than the zone's 24576 KiB"));
        CHECK_FALSE(x86_linux_layout(l, {GuestPhys(0), 16 * kMiB}, 0x8000, at, why, sizeof why));
    }
    SECTION("a segment below 1 MiB") {
        Elf64_Phdr low{PT_LOAD, 5, 0x1000, 0, 0x9000, 0x1000, 0x1000, 0x1000};
        put(k, 64, low);
        l.kernel = blob(k);
        CHECK_FALSE(x86_linux_layout(l, {GuestPhys(0), 64 * kMiB}, 0x8000, at, why, sizeof why));
        CHECK_THAT(std::string(why), Contains("below 1 MiB"));
    }
}

// A kernel file read piecewise, as from a zone's RAM in several host runs:
// the parser sees the same kernel, and reads past the file fail.
TEST_CASE("x86 Linux: a kernel read in pieces parses as the whole file does", "[x86][linux]") {
    for (auto k : {pvh_elf(), bzimage()}) {
        struct Split {
            const std::vector<u8>* file;
            u64 cut;
        } split{&k, 1000}; // two "runs": [0, 1000) and the rest
        KernelSource src{k.size(), &split, [](const void* c, u64 offset, void* dst, u64 len) {
                             const Split& s = *static_cast<const Split*>(c);
                             u8* out = static_cast<u8*>(dst);
                             for (u64 i = 0; i < len; ++i) out[i] = (*s.file)[offset + i]; // byte by byte: any split
                             return true;
                         }};
        X86Kernel whole, pieces;
        char why[256] = {};
        REQUIRE(parse_x86_kernel(blob(k), whole, why, sizeof why));
        REQUIRE(parse_x86_kernel(src, pieces, why, sizeof why));
        CHECK(pieces.kind == whole.kind);
        CHECK(pieces.entry == whole.entry);
        CHECK(pieces.segment_count == whole.segment_count);
        CHECK(pieces.segments[0].load == whole.segments[0].load);
        CHECK(std::memcmp(pieces.setup_header, whole.setup_header, sizeof whole.setup_header) == 0);
        u8 byte;
        CHECK_FALSE(src.read(k.size(), &byte, 1));
        CHECK_FALSE(src.read(~u64(0), &byte, 2));
        // A source that cannot read is a refusal, never a crash.
        KernelSource broken{k.size(), nullptr, [](const void*, u64, void*, u64) { return false; }};
        CHECK_FALSE(parse_x86_kernel(broken, pieces, why, sizeof why));
    }
}

// BH_HC_ZONE_BOOT_LINUX: where a control domain may have loaded the files.
TEST_CASE("x86 Linux: files loaded into the zone must be clear of where the kernel runs", "[x86][linux]") {
    auto k = pvh_elf();
    std::vector<u8> initrd(3 * kMiB, 1);
    LinuxBoot l;
    l.kernel = blob(k);
    l.initrd = blob(initrd);
    X86LinuxLayout at;
    char why[256] = {};
    REQUIRE(x86_linux_layout(l, {GuestPhys(0), 64 * kMiB}, 0x8000, at, why, sizeof why));
    REQUIRE(at.kernel_start.raw() < at.kernel_end.raw());
    const Range<GuestPhys> kernel_ok{GuestPhys(32 * kMiB), k.size()};
    const Range<GuestPhys> initrd_there{at.initrd, initrd.size()};
    const Range<GuestPhys> initrd_elsewhere{GuestPhys(40 * kMiB), initrd.size()};
    CHECK(x86_staged_linux_ok(at, kernel_ok, initrd_there, why, sizeof why));
    CHECK(x86_staged_linux_ok(at, kernel_ok, initrd_elsewhere, why, sizeof why));
    CHECK(x86_staged_linux_ok(at, kernel_ok, {}, why, sizeof why)); // no initrd
    // Over where the kernel runs: the copy would overwrite its own source.
    CHECK_FALSE(x86_staged_linux_ok(at, {at.kernel_start, k.size()}, initrd_there, why, sizeof why));
    CHECK_THAT(std::string(why), Contains("overlaps where the kernel runs"));
    CHECK_FALSE(x86_staged_linux_ok(at, {at.kernel_end - kPageSize, k.size()}, initrd_there, why, sizeof why));
    CHECK_FALSE(x86_staged_linux_ok(at, kernel_ok, {at.kernel_start, initrd.size()}, why, sizeof why));
    // Over each other.
    CHECK_FALSE(x86_staged_linux_ok(at, kernel_ok, {kernel_ok.base + 4096, initrd.size()}, why, sizeof why));
    // Partly over its own place: the move would overwrite what it still reads.
    CHECK_FALSE(x86_staged_linux_ok(at, kernel_ok, {at.initrd - kPageSize, initrd.size()}, why, sizeof why));
    CHECK_THAT(std::string(why), Contains("overlaps its place"));
}

// BH_HC_ZONE_BOOT_LINUX's work, done a management step at a time: every
// byte of the plan exactly once, in order, whatever the step.
TEST_CASE("x86 Linux: a staged boot's plan, walked in windows, moves every piece once", "[x86][linux]") {
    auto k = pvh_elf();
    LinuxBoot l;
    l.kernel = blob(k);
    std::vector<u8> initrd(3 * kMiB + 5, 1);
    l.initrd = blob(initrd);
    X86LinuxLayout at;
    char why[256] = {};
    REQUIRE(x86_linux_layout(l, {GuestPhys(0), 64 * kMiB}, 0x8000, at, why, sizeof why));
    const X86Segment& seg = at.kernel.segments[0];
    SECTION("the initrd elsewhere moves; an ELF's rest is zeroed") {
        X86BootPlan p = x86_staged_boot_plan(at, {GuestPhys(40 * kMiB), initrd.size()});
        u64 segments = 0;
        for (u32 i = 0; i < at.kernel.segment_count; ++i) segments += at.kernel.segments[i].mem_size;
        CHECK(p.total == segments + initrd.size());
        CHECK(p.piece[0].kind == X86BootPiece::Kind::kernel_bytes);
        CHECK(p.piece[0].to == seg.load);
        CHECK(p.piece[p.count - 1].kind == X86BootPiece::Kind::initrd_bytes);
        CHECK(p.piece[p.count - 1].to == at.initrd);
        for (u64 step : {u64(4093), u64(1000003), u64(4) * kMiB, p.total}) {
            std::vector<u64> covered(p.count, 0);
            u64 expect_to_in_piece[X86BootPlan::kMaxPieces] = {};
            for (u64 from = 0; from < p.total; from += step) {
                X86BootPiece w[X86BootPlan::kMaxPieces];
                u32 n = x86_plan_window(p, from, from + step < p.total ? from + step : p.total, w);
                REQUIRE(n >= 1);
                u64 bytes = 0;
                for (u32 i = 0; i < n; ++i) {
                    bytes += w[i].size;
                    u32 piece = 0;
                    while (piece < p.count && !(w[i].to >= p.piece[piece].to &&
                                                w[i].to.raw() < p.piece[piece].to.raw() + p.piece[piece].size))
                        ++piece;
                    REQUIRE(piece < p.count);
                    CHECK(w[i].kind == p.piece[piece].kind);
                    // In order, no gap, no repeat.
                    CHECK(w[i].to.raw() - p.piece[piece].to.raw() == expect_to_in_piece[piece]);
                    if (w[i].kind != X86BootPiece::Kind::zeros)
                        CHECK(w[i].from - p.piece[piece].from == expect_to_in_piece[piece]);
                    expect_to_in_piece[piece] += w[i].size;
                    covered[piece] += w[i].size;
                }
                CHECK(bytes == (from + step < p.total ? step : p.total - from));
            }
            for (u32 i = 0; i < p.count; ++i) CHECK(covered[i] == p.piece[i].size);
        }
        X86BootPiece w[X86BootPlan::kMaxPieces];
        CHECK(x86_plan_window(p, p.total, p.total, w) == 0);
    }
    SECTION("an initrd at its place stays") {
        X86BootPlan p = x86_staged_boot_plan(at, {at.initrd, initrd.size()});
        CHECK(p.piece[p.count - 1].kind != X86BootPiece::Kind::initrd_bytes);
    }
}

TEST_CASE("x86 Linux: the command line carries the TSC rate and the workload in zone init's words", "[x86][linux]") {
    LinuxBoot l;
    l.bootargs = str("console=ttyS0 quiet");
    char out[2048];
    char why[256] = {};
    SECTION("no workload") {
        REQUIRE(x86_linux_cmdline(l, "z", 2000000, out, sizeof out, why, sizeof why));
        CHECK(std::string(out) == "console=ttyS0 quiet tsc_early_khz=2000000");
    }
    SECTION("a workload with arguments, environment and a directory") {
        l.command = str("/bin/sh");
        std::string args("-c\0echo \"$HOME\" \\o/\0", 20), env("A=1\0B=two words\0", 16);
        l.args = list(args);
        l.env = list(env);
        l.cwd = str("/tmp");
        l.stdin_mode = str("stream");
        REQUIRE(x86_linux_cmdline(l, "demo", 1000, out, sizeof out, why, sizeof why));
        CHECK(std::string(out) ==
              "console=ttyS0 quiet tsc_early_khz=1000 bulkhead.zone-name=demo bulkhead.stdin=stream "
              "bulkhead.cwd=\"/tmp\" bulkhead.env=\"A=1\" bulkhead.env=\"B=two words\" -- \"/bin/sh\" \"-c\" "
              "\"echo \\\"\\$HOME\\\" \\\\o/\"");
    }
    SECTION("an environment value Linux cannot pass whole") {
        l.command = str("true");
        std::string env("A=\"x\"\0", 6);
        l.env = list(env);
        CHECK(x86_linux_cmdline(l, "z", 1000, out, sizeof out, why, sizeof why) == 0);
        CHECK_THAT(std::string(why), Contains("may not contain"));
    }
    SECTION("too long for the kernel") {
        l.command = str("true");
        std::string arg(3000, 'x');
        arg.push_back(0);
        l.args = list(arg);
        CHECK(x86_linux_cmdline(l, "z", 1000, out, sizeof out, why, sizeof why) == 0);
        CHECK_THAT(std::string(why), Contains("needs more than the kernel's 2048 bytes"));
    }
}

TEST_CASE("x86 Linux: the PVH start block is Xen's hvm_start_info with the initrd and the memory map", "[x86][linux]") {
    auto k = pvh_elf();
    std::vector<u8> initrd(kMiB, 1);
    LinuxBoot l;
    l.kernel = blob(k);
    l.initrd = blob(initrd);
    X86LinuxLayout at;
    char why[256];
    Range<GuestPhys> ram{GuestPhys(0), 64 * kMiB};
    REQUIRE(x86_linux_layout(l, ram, 0x8000, at, why, sizeof why));
    std::vector<u8> info(4096, 0xee), lists(4096, 0xee);
    x86_pvh_start_info(at, ram, initrd.size(), kAcpiTables, info.data(), lists.data());
    hvm_start_info si;
    std::memcpy(&si, info.data(), sizeof si);
    CHECK(si.magic == XEN_HVM_START_MAGIC_VALUE);
    CHECK(si.version == 1);
    CHECK(si.cmdline_paddr == kCmdline.raw());
    CHECK(si.rsdp_paddr == 0xe0000);
    REQUIRE(si.nr_modules == 1);
    REQUIRE(si.modlist_paddr >= kBootLists.raw());
    hvm_modlist_entry m;
    std::memcpy(&m, lists.data() + (si.modlist_paddr - kBootLists.raw()), sizeof m);
    CHECK(m.paddr == at.initrd.raw());
    CHECK(m.size == kMiB);
    REQUIRE(si.memmap_entries == 4);
    hvm_memmap_table_entry e[4];
    std::memcpy(e, lists.data() + (si.memmap_paddr - kBootLists.raw()), sizeof e);
    CHECK((e[0].addr == 0 && e[0].size == 0xa0000 && e[0].type == XEN_HVM_MEMMAP_TYPE_RAM));
    CHECK((e[1].addr == 0xa0000 && e[1].type == XEN_HVM_MEMMAP_TYPE_RESERVED));
    CHECK((e[2].addr == 0x100000 && e[2].addr + e[2].size == 64 * kMiB - 0x8000 && e[2].type == 1));
    CHECK((e[3].addr == 64 * kMiB - 0x8000 && e[3].size == 0x8000 && e[3].type == 2));
}

TEST_CASE("x86 Linux: the zero page has the image's setup header and the loader's fields", "[x86][linux]") {
    auto k = bzimage();
    LinuxBoot l;
    l.kernel = blob(k);
    X86LinuxLayout at;
    char why[256];
    Range<GuestPhys> ram{GuestPhys(0), 128 * kMiB};
    REQUIRE(x86_linux_layout(l, ram, 0x8000, at, why, sizeof why));
    std::vector<u8> zp(4096, 0xee);
    x86_zero_page(at, ram, 0x12345, GuestPhys(0xe0000), zp.data());
    boot_params bp;
    std::memcpy(&bp, zp.data(), sizeof bp);
    CHECK(bp.hdr.header == 0x53726448);
    CHECK(bp.hdr.version == 0x020f);
    CHECK(bp.hdr.pref_address == 0x1000000);
    CHECK(bp.hdr.type_of_loader == 0xff);
    CHECK((bp.hdr.loadflags & LOADED_HIGH));
    CHECK(bp.hdr.cmd_line_ptr == kCmdline.raw());
    CHECK(bp.hdr.ramdisk_image == at.initrd.raw());
    CHECK(bp.hdr.ramdisk_size == 0x12345);
    CHECK(bp.acpi_rsdp_addr == 0xe0000);
    REQUIRE(bp.e820_entries == 4);
    CHECK(bp.e820_table[2].addr == 0x100000);
    CHECK(bp.e820_table[3].type == 2);
    // Past the header, nothing of the image leaks in.
    CHECK(zp[0x26c] == 0);
}

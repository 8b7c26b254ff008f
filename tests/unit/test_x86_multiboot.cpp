// SPDX-License-Identifier: GPL-2.0-only
// The x86-64 Multiboot2 boot-information parser on hand-built tag lists:
// GRUB's BIOS-style memory map, the EFI memory map it passes under UEFI,
// modules (the manifest by name), the ACPI RSDP copies and the command line.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "multiboot.hpp"

using namespace bh;
using bh::x86_64::BootInfo;
using bh::x86_64::multiboot_parse;

namespace {

// Builds a Multiboot2 information structure: total size, reserved, then
// 8-byte aligned tags, then the end tag.
class Mbi {
  public:
    Mbi() { bytes_.resize(8); }
    void tag(u32 type, const void* payload, u32 len) {
        u32 size = 8 + len;
        size_t at = bytes_.size();
        bytes_.resize(at + ((size + 7) & ~7u));
        std::memcpy(&bytes_[at], &type, 4);
        std::memcpy(&bytes_[at + 4], &size, 4);
        std::memcpy(&bytes_[at + 8], payload, len);
    }
    u64 finish() {
        u32 end[2] = {0, 8};
        tag_raw(end, sizeof end);
        u32 total = static_cast<u32>(bytes_.size());
        std::memcpy(&bytes_[0], &total, 4);
        return reinterpret_cast<u64>(bytes_.data());
    }

  private:
    void tag_raw(const void* p, size_t n) {
        size_t at = bytes_.size();
        bytes_.resize(at + n);
        std::memcpy(&bytes_[at], p, n);
    }
    std::vector<u8> bytes_;
};

struct E820 {
    u64 base, length;
    u32 type, reserved;
};
struct EfiDesc {
    u32 type, pad;
    u64 physical, virt, pages, attribute;
};

void add_mmap(Mbi& m, const std::vector<E820>& entries) {
    std::vector<u8> p(8 + entries.size() * sizeof(E820));
    u32 head[2] = {sizeof(E820), 0};
    std::memcpy(p.data(), head, 8);
    std::memcpy(p.data() + 8, entries.data(), entries.size() * sizeof(E820));
    m.tag(6, p.data(), static_cast<u32>(p.size()));
}

void add_efi_mmap(Mbi& m, const std::vector<EfiDesc>& descs) {
    std::vector<u8> p(8 + descs.size() * sizeof(EfiDesc));
    u32 head[2] = {sizeof(EfiDesc), 1};
    std::memcpy(p.data(), head, 8);
    std::memcpy(p.data() + 8, descs.data(), descs.size() * sizeof(EfiDesc));
    m.tag(17, p.data(), static_cast<u32>(p.size()));
}

void add_module(Mbi& m, u32 start, u32 end, const char* cmdline) {
    std::vector<u8> p(8 + std::strlen(cmdline) + 1);
    std::memcpy(p.data(), &start, 4);
    std::memcpy(p.data() + 4, &end, 4);
    std::memcpy(p.data() + 8, cmdline, std::strlen(cmdline) + 1);
    m.tag(3, p.data(), static_cast<u32>(p.size()));
}

} // namespace

TEST_CASE("x86 multiboot: the BIOS memory map, usable ranges page-aligned, sorted and merged", "[x86][multiboot]") {
    Mbi m;
    add_mmap(m, {{0x100000, 0x7ee0000, 1, 0},           // usable
                 {0, 0x9fc00, 1, 0},                    // usable, below the previous
                 {0x9fc00, 0x400, 2, 0},                // reserved
                 {0x7fe0000, 0x20000, 2, 0},            // reserved
                 {0x100000000, 0x40000000, 1, 0},       // usable above 4 GiB
                 {0x7ee0000 + 0x100000, 0x100, 1, 0}}); // less than a page: dropped
    BootInfo b;
    REQUIRE(multiboot_parse(m.finish(), b));
    CHECK_FALSE(b.memory_from_efi);
    REQUIRE(b.memory_count == 3);
    CHECK(b.memory[0].base == HostPhys(0));
    CHECK(b.memory[0].size == 0x9f000);
    CHECK(b.memory[1].base == HostPhys(0x100000));
    CHECK(b.memory[1].size == 0x7ee0000);
    CHECK(b.memory[2].base == HostPhys(0x100000000));
}

TEST_CASE("x86 multiboot: under UEFI the EFI memory map gives the usable types, adjacent ones merged",
          "[x86][multiboot]") {
    Mbi m;
    add_efi_mmap(m, {{7, 0, 0x100000, 0, 0x100, 0},   // conventional [1 MiB, 2 MiB)
                     {2, 0, 0x200000, 0, 0x10, 0},    // loader data, adjacent: merged
                     {4, 0, 0x210000, 0, 0x10, 0},    // boot services data, adjacent
                     {9, 0, 0x220000, 0, 0x10, 0},    // ACPI reclaim: not usable
                     {6, 0, 0x300000, 0, 0x10, 0},    // runtime services data: not usable
                     {3, 0, 0x400000, 0, 0x100, 0}}); // boot services code
    BootInfo b;
    REQUIRE(multiboot_parse(m.finish(), b));
    CHECK(b.memory_from_efi);
    REQUIRE(b.memory_count == 2);
    CHECK(b.memory[0].base == HostPhys(0x100000));
    CHECK(b.memory[0].size == 0x120000);
    CHECK(b.memory[1].base == HostPhys(0x400000));
    CHECK(b.memory[1].size == 0x100000);
}

TEST_CASE("x86 multiboot: the module named manifest wins, the RSDP copy is found", "[x86][multiboot]") {
    Mbi m;
    add_mmap(m, {{0x100000, 0x1000000, 1, 0}});
    add_module(m, 0x500000, 0x501000, "other");
    add_module(m, 0x600000, 0x600800, "manifest");
    add_module(m, 0x700000, 0x700100, "later");
    char rsdp[36] = "RSD PTR ";
    m.tag(15, rsdp, sizeof rsdp);
    BootInfo b;
    u64 mbi = m.finish();
    REQUIRE(multiboot_parse(mbi, b));
    CHECK(b.manifest == reinterpret_cast<const void*>(0x600000));
    CHECK(b.manifest_size == 0x800);
    REQUIRE(b.rsdp != nullptr);
    CHECK(std::memcmp(b.rsdp, "RSD PTR ", 8) == 0);
    CHECK(b.mbi.base == HostPhys(mbi));
}

TEST_CASE("x86 multiboot: no memory map is refused", "[x86][multiboot]") {
    Mbi m;
    add_module(m, 0x600000, 0x600800, "manifest");
    BootInfo b;
    CHECK_FALSE(multiboot_parse(m.finish(), b));
}

TEST_CASE("x86 multiboot: the command line and its words", "[x86][multiboot]") {
    Mbi m;
    add_mmap(m, {{0x100000, 0x1000000, 1, 0}});
    const char line[] = "vmx-no-vpid other";
    m.tag(1, line, sizeof line);
    BootInfo b;
    REQUIRE(multiboot_parse(m.finish(), b));
    CHECK(std::strcmp(b.cmdline, line) == 0);
    CHECK(bh::x86_64::cmdline_has(b.cmdline, "vmx-no-vpid"));
    CHECK(bh::x86_64::cmdline_has(b.cmdline, "other"));
    CHECK_FALSE(bh::x86_64::cmdline_has(b.cmdline, "vmx-no"));
    CHECK_FALSE(bh::x86_64::cmdline_has(b.cmdline, "vpid"));
    CHECK_FALSE(bh::x86_64::cmdline_has("", "vmx-no-vpid"));
    CHECK(bh::x86_64::cmdline_has("  vmx-no-vpid  ", "vmx-no-vpid"));
    BootInfo none;
    Mbi plain;
    add_mmap(plain, {{0x100000, 0x1000000, 1, 0}});
    REQUIRE(multiboot_parse(plain.finish(), none));
    CHECK(none.cmdline[0] == '\0');
}

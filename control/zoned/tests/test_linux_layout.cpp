// SPDX-License-Identifier: GPL-2.0-only
// Where DeviceHypervisor puts a Linux zone's kernel and initrd, and the
// BOOT_LINUX descriptor it hands the hypervisor; each refusal says why.
#include <bulkhead/zoned/device_errors.hpp>
#include <bulkhead/zoned/linux_layout.hpp>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>

using namespace bh::zoned;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t kArm64Base = 0x40000000;
constexpr std::uint64_t kX86Tables = 0x8000; // the hypervisor's start-up page tables

LinuxLayout arm64(std::span<const std::uint8_t> image, std::uint64_t initrd, std::uint64_t ram) {
    return plan_linux_layout(ZoneArch::arm64, image, initrd, ram);
}
LinuxLayout x86(std::span<const std::uint8_t> kernel, std::uint64_t initrd, std::uint64_t ram) {
    return plan_linux_layout(ZoneArch::x86_64, kernel, initrd, ram);
}

template <typename T>
void put(std::vector<std::uint8_t>& b, std::size_t at, T v) {
    std::memcpy(b.data() + at, &v, sizeof v);
}

// An x86-64 vmlinux: one PT_LOAD at 16 MiB of `memsz` bytes and, unless
// `pvh` is false, a PT_NOTE with Xen's PHYS32_ENTRY note.
std::vector<std::uint8_t> vmlinux(std::uint64_t memsz, std::size_t file = 8192, bool pvh = true) {
    std::vector<std::uint8_t> b(file);
    const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(b.data(), ident, sizeof ident);
    put<std::uint16_t>(b, 16, 2);  // ET_EXEC
    put<std::uint16_t>(b, 18, 62); // EM_X86_64
    put<std::uint64_t>(b, 32, 64); // phoff
    put<std::uint16_t>(b, 54, 56); // phentsize
    put<std::uint16_t>(b, 56, 2);  // phnum
    put<std::uint32_t>(b, 64, 1);  // PT_LOAD
    put<std::uint64_t>(b, 64 + 8, 4096);
    put<std::uint64_t>(b, 64 + 24, 16 * MiB);
    put<std::uint64_t>(b, 64 + 32, 2048);
    put<std::uint64_t>(b, 64 + 40, memsz);
    put<std::uint32_t>(b, 120, 4); // PT_NOTE at 512, 20 bytes
    put<std::uint64_t>(b, 120 + 8, 512);
    put<std::uint64_t>(b, 120 + 32, 20);
    put<std::uint32_t>(b, 512, 4);
    put<std::uint32_t>(b, 516, 4);
    put<std::uint32_t>(b, 520, pvh ? 18 : 17);
    std::memcpy(b.data() + 524, "Xen", 4);
    put<std::uint32_t>(b, 528, 0x1000000);
    return b;
}

// A bzImage: 4 setup sectors, `syssize` paragraphs, preferring 16 MiB.
std::vector<std::uint8_t> bzimage(std::uint32_t init_size, std::size_t file, std::uint32_t syssize,
                                  std::uint16_t version = 0x020f) {
    std::vector<std::uint8_t> b(file);
    b[0x1f1] = 4;
    put<std::uint32_t>(b, 0x1f4, syssize);
    put<std::uint32_t>(b, 0x202, 0x53726448); // "HdrS"
    put<std::uint16_t>(b, 0x206, version);
    put<std::uint16_t>(b, 0x236, 1); // XLF_KERNEL_64
    put<std::uint64_t>(b, 0x258, 16 * MiB);
    put<std::uint32_t>(b, 0x260, init_size);
    return b;
}

std::vector<std::uint8_t> image(std::uint64_t text_offset, std::uint64_t image_size, std::size_t file = 4096) {
    std::vector<std::uint8_t> b(file);
    std::memcpy(b.data() + 8, &text_offset, 8);
    std::memcpy(b.data() + 16, &image_size, 8);
    std::memcpy(b.data() + 56, "ARM\x64", 4);
    return b;
}

std::uint64_t u64_at(const std::vector<std::uint8_t>& d, std::size_t at) {
    std::uint64_t v;
    std::memcpy(&v, d.data() + at, 8);
    return v;
}
std::uint32_t u32_at(const std::vector<std::uint8_t>& d, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, d.data() + at, 4);
    return v;
}

} // namespace

TEST_CASE("the kernel goes at RAM base + text_offset, the initrd at the top below the device tree") {
    LinuxLayout l = arm64(image(0x80000, 8 * MiB), 3 * MiB + 5, 256 * MiB);
    CHECK(l.kernel_ipa == kArm64Base + 0x80000);
    CHECK(l.initrd_ipa % 4096 == 0);
    CHECK(l.initrd_ipa + 3 * MiB + 5 <= kArm64Base + 256 * MiB - 0x10000);
    CHECK(l.initrd_ipa + 3 * MiB + 5 + 4096 > kArm64Base + 256 * MiB - 0x10000);
    CHECK(arm64(image(0, 8 * MiB), 0, 64 * MiB).initrd_ipa == 0);
}

TEST_CASE("a file that is not an arm64 Image, or a zone too small for it, is refused with the reason") {
    auto not_image = image(0, MiB);
    not_image[56] = 'X';
    CHECK_THROWS_WITH(arm64(not_image, 0, 64 * MiB), Catch::Contains("not an arm64 Linux Image"));
    CHECK_THROWS_WITH(arm64(std::vector<std::uint8_t>(10), 0, 64 * MiB), Catch::Contains("not an arm64 Linux Image"));
    CHECK_THROWS_WITH(arm64(image(0, 100 * MiB), 0, 64 * MiB), Catch::Contains("more --memory"));
    CHECK_THROWS_WITH(arm64(image(0, 40 * MiB), 30 * MiB, 64 * MiB), Catch::Contains("more --memory"));
    CHECK_THROWS_WITH(arm64(image(0, 100, 4096), 0, 64 * MiB), Catch::Contains("smaller than its file"));
}

TEST_CASE("x86-64: the kernel file goes above where the kernel runs, the initrd at the top below the tables") {
    // A PVH vmlinux running at [16 MiB, 33 MiB).
    auto elf = vmlinux(17 * MiB, 6 * MiB);
    LinuxLayout l = x86(elf, 3 * MiB + 5, 128 * MiB);
    CHECK(l.kernel_ipa == 33 * MiB);
    CHECK(l.initrd_ipa % 4096 == 0);
    CHECK(l.initrd_ipa + 3 * MiB + 5 <= 128 * MiB - kX86Tables);
    CHECK(l.initrd_ipa + 3 * MiB + 5 + 4096 > 128 * MiB - kX86Tables);
    CHECK(x86(elf, 0, 128 * MiB).initrd_ipa == 0);
    // A bzImage with init_size 20 MiB + 5: its file from 36 MiB + a page.
    auto bz = bzimage(20 * MiB + 5, 5 * 512 + 4096, 4096 / 16);
    l = x86(bz, MiB, 64 * MiB);
    CHECK(l.kernel_ipa == 36 * MiB + 4096);
    CHECK(l.initrd_ipa == 63 * MiB - kX86Tables);
}

TEST_CASE("x86-64: kernels it cannot boot and zones too small are refused with the reason") {
    CHECK_THROWS_WITH(x86(image(0, MiB), 0, 64 * MiB), Catch::Contains("not an x86-64 Linux kernel"));
    CHECK_THROWS_WITH(x86(std::vector<std::uint8_t>(3), 0, 64 * MiB), Catch::Contains("not an x86-64 Linux kernel"));
    CHECK_THROWS_WITH(x86(vmlinux(MiB, 8192, false), 0, 64 * MiB), Catch::Contains("without a PVH entry note"));
    auto elf32 = vmlinux(MiB);
    elf32[4] = 1;
    CHECK_THROWS_WITH(x86(elf32, 0, 64 * MiB), Catch::Contains("not a 64-bit x86-64 one"));
    auto cut = vmlinux(MiB);
    cut.resize(100); // the program headers are gone
    CHECK_THROWS_WITH(x86(cut, 0, 64 * MiB), Catch::Contains("truncated"));
    auto outside = vmlinux(MiB);
    put<std::uint64_t>(outside, 64 + 32, 1 << 20); // the segment's bytes past the end
    CHECK_THROWS_WITH(x86(outside, 0, 64 * MiB), Catch::Contains("truncated"));
    CHECK_THROWS_WITH(x86(bzimage(MiB, 4096, 1 << 20), 0, 64 * MiB), Catch::Contains("truncated"));
    CHECK_THROWS_WITH(x86(bzimage(MiB, 4096, 1, 0x020b), 0, 64 * MiB), Catch::Contains("without a 64-bit entry"));
    // Runs to 33 MiB, then its 6 MiB file, 4 MiB to start in, the initrd.
    CHECK_THROWS_WITH(x86(vmlinux(17 * MiB, 6 * MiB), 0, 36 * MiB), Catch::Contains("give the zone more --memory"));
    CHECK_THROWS_WITH(x86(vmlinux(17 * MiB, 6 * MiB), 30 * MiB, 64 * MiB), Catch::Contains("need 70 MiB"));
    CHECK_NOTHROW(x86(vmlinux(17 * MiB, 6 * MiB), 30 * MiB, 70 * MiB));
    CHECK_THROWS_WITH(x86(vmlinux(200 * MiB), 0, 64 * MiB), Catch::Contains("more --memory"));
    auto wraps = bzimage(MiB, 4096, 1);
    put<std::uint64_t>(wraps, 0x258, ~std::uint64_t{0} - 4096); // pref_address + init_size wraps
    CHECK_THROWS_WITH(x86(wraps, 0, 64 * MiB), Catch::Contains("past the end of memory"));
}

TEST_CASE("the boot descriptor carries bootargs, the workload and its environment, NUL-separated") {
    LinuxLayout l{kArm64Base + 0x80000, kArm64Base + 200 * MiB};
    auto d = linux_boot_descriptor(l, 1234, 99, "console=hvc0", {"/bin/sh", "-c", "exit 3"}, {"A=1"});
    REQUIRE(d.size() == 56 + 13 + 8 + 10 + 4);
    CHECK(u64_at(d, 0) == l.kernel_ipa);
    CHECK(u64_at(d, 8) == 1234);
    CHECK(u64_at(d, 16) == l.initrd_ipa);
    CHECK(u64_at(d, 24) == 99);
    CHECK(u32_at(d, 32) == 13);
    CHECK(u32_at(d, 36) == 8);
    CHECK(u32_at(d, 40) == 10);
    CHECK(u32_at(d, 44) == 4);
    CHECK(std::string(reinterpret_cast<const char*>(d.data()) + 56, d.size() - 56) ==
          std::string("console=hvc0\0/bin/sh\0-c\0exit 3\0A=1\0", 35));
    CHECK_THROWS_WITH(linux_boot_descriptor(l, 1, 0, std::string(5000, 'x'), {}, {}), Catch::Contains("at most 4096"));
}

TEST_CASE("the driver's errnos become HvErrc with the zone named and what to do") {
    CHECK(hv_errc_for(EEXIST) == HvErrc::bad_state);
    CHECK(hv_errc_for(EBUSY) == HvErrc::bad_state); // the hypervisor's BAD_STATE
    CHECK(hv_errc_for(EAGAIN) == HvErrc::busy);     // its BUSY: zoned retries
    CHECK(hv_errc_for(ENOMEM) == HvErrc::no_memory);
    CHECK(hv_errc_for(ENOENT) == HvErrc::not_found);
    CHECK(hv_errc_for(EINVAL) == HvErrc::invalid_argument);
    CHECK(hv_errc_for(EIO) == HvErrc::io);
    HypervisorError e = device_error(ENOMEM, "web", "cannot create it");
    CHECK(e.code() == HvErrc::no_memory);
    CHECK_THAT(e.what(), Catch::Contains("zone 'web'") && Catch::Contains("less --memory"));
}

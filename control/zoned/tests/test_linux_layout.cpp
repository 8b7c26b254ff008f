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
    LinuxLayout l = plan_linux_layout(image(0x80000, 8 * MiB), 3 * MiB + 5, 256 * MiB);
    CHECK(l.kernel_ipa == kZoneRamBase + 0x80000);
    CHECK(l.initrd_ipa % 4096 == 0);
    CHECK(l.initrd_ipa + 3 * MiB + 5 <= kZoneRamBase + 256 * MiB - 0x10000);
    CHECK(l.initrd_ipa + 3 * MiB + 5 + 4096 > kZoneRamBase + 256 * MiB - 0x10000);
    CHECK(plan_linux_layout(image(0, 8 * MiB), 0, 64 * MiB).initrd_ipa == 0);
}

TEST_CASE("a file that is not an arm64 Image, or a zone too small for it, is refused with the reason") {
    auto not_image = image(0, MiB);
    not_image[56] = 'X';
    CHECK_THROWS_WITH(plan_linux_layout(not_image, 0, 64 * MiB), Catch::Contains("not an arm64 Linux Image"));
    CHECK_THROWS_WITH(plan_linux_layout(std::vector<std::uint8_t>(10), 0, 64 * MiB),
                      Catch::Contains("not an arm64 Linux Image"));
    CHECK_THROWS_WITH(plan_linux_layout(image(0, 100 * MiB), 0, 64 * MiB), Catch::Contains("more --memory"));
    CHECK_THROWS_WITH(plan_linux_layout(image(0, 40 * MiB), 30 * MiB, 64 * MiB), Catch::Contains("more --memory"));
    CHECK_THROWS_WITH(plan_linux_layout(image(0, 100, 4096), 0, 64 * MiB), Catch::Contains("smaller than its file"));
}

TEST_CASE("the boot descriptor carries bootargs, the workload and its environment, NUL-separated") {
    LinuxLayout l{kZoneRamBase + 0x80000, kZoneRamBase + 200 * MiB};
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

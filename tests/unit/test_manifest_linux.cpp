// SPDX-License-Identifier: GPL-2.0-only
// Zones that boot a Linux kernel instead of images.
#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "manifest_helpers.hpp"

using namespace bh;
using namespace bh::test;
using Catch::Contains;

namespace {

// An arm64 Image header (Documentation/arm64/booting.rst): text_offset and
// image_size 0 (a kernel before 3.17: 0x80000, the file's size), the
// "ARM\x64" magic at byte 56.
constexpr std::array<u8, 64> image_header(u64 text_offset = 0, u64 image_size = 0) {
    std::array<u8, 64> h{'M', 'Z'};
    for (int i = 0; i < 8; ++i) {
        h[8 + i] = static_cast<u8>(text_offset >> (8 * i));
        h[16 + i] = static_cast<u8>(image_size >> (8 * i));
    }
    h[56] = 'A', h[57] = 'R', h[58] = 'M', h[59] = 0x64;
    return h;
}
constexpr std::array<u8, 64> kKernelHeader = image_header();
const u8* const kKernel = kKernelHeader.data();

// A zone booting Linux; `extra` adds properties to the linux node.
template <class F>
std::vector<u8> linux_zone(u64 memory, F extra) {
    FdtBuilder f = manifest();
    zone(f, "linux-vm", memory, 2);
    f.node("linux").bytes("kernel", kKernel, kKernelHeader.size());
    extra(f);
    f.end().end();
    return done(f);
}

} // namespace

TEST_CASE("manifest: a linux zone", "[manifest]") {
    const u8 initrd[32] = {7};
    const char args[] = "-c\0echo hi"; // a string list: two strings
    auto blob = linux_zone(64 * MiB, [&](FdtBuilder& f) {
        f.bytes("initrd", initrd, sizeof initrd).str("bootargs", "console=hvc0 quiet");
        f.node("workload").str("command", "/bin/sh").bytes("args", args, sizeof args).str("cwd", "/").end();
    });
    auto p = parse(blob);
    INFO(p->err.message);
    REQUIRE(p->ok);
    const ManifestZone& z = p->m.zones[0];
    CHECK(z.has_linux);
    CHECK(z.image_count == 0);
    const LinuxBoot& l = z.linux_boot;
    REQUIRE(l.kernel.present());
    CHECK(l.kernel.size == kKernelHeader.size());
    CHECK(std::memcmp(l.kernel.data, kKernel, kKernelHeader.size()) == 0);
    CHECK(l.kernel.data > blob.data());
    CHECK(l.kernel.data + l.kernel.size <= blob.data() + blob.size());
    CHECK(l.initrd.size == sizeof initrd);
    CHECK(std::string(reinterpret_cast<const char*>(l.bootargs.data)) == "console=hvc0 quiet");
    CHECK(std::string(reinterpret_cast<const char*>(l.command.data)) == "/bin/sh");
    CHECK(l.args.size == sizeof args);
    CHECK_FALSE(l.env.present());
    CHECK(std::string(reinterpret_cast<const char*>(l.cwd.data)) == "/");
}

TEST_CASE("manifest: linux zone rejections", "[manifest]") {
    auto nothing = [](FdtBuilder&) {};
    SECTION("no kernel") {
        FdtBuilder f = manifest();
        zone(f, "vm").node("linux").str("bootargs", "x").end().end();
        CHECK_THAT(reject(done(f)), Contains("zone 'vm': the linux node has no 'kernel'"));
    }
    SECTION("an empty kernel") {
        FdtBuilder f = manifest();
        zone(f, "vm").node("linux").flag("kernel").end().end();
        CHECK_THAT(reject(done(f)), Contains("the linux node has no 'kernel'"));
    }
    SECTION("bootargs not NUL-terminated") {
        auto blob = linux_zone(64 * MiB, [](FdtBuilder& f) { f.bytes("bootargs", "quiet", 5); });
        CHECK_THAT(reject(blob), Contains("property 'bootargs' must be a string"));
    }
    SECTION("empty bootargs property") {
        auto blob = linux_zone(64 * MiB, [](FdtBuilder& f) { f.flag("bootargs"); });
        CHECK_THAT(reject(blob), Contains("property 'bootargs' must be a string"));
    }
    SECTION("workload without command") {
        auto blob = linux_zone(64 * MiB, [](FdtBuilder& f) { f.node("workload").str("cwd", "/").end(); });
        CHECK_THAT(reject(blob), Contains("the workload node has no 'command'"));
    }
    SECTION("workload env not a string") {
        auto blob = linux_zone(64 * MiB, [](FdtBuilder& f) {
            f.node("workload").str("command", "/bin/true").bytes("env", "A=1", 3).end();
        });
        CHECK_THAT(reject(blob), Contains("property 'env' must be a string"));
    }
    SECTION("kernel, initrd and 4 MiB of room must fit") {
        CHECK(parse(linux_zone(4 * MiB + 64 * 1024, nothing))->ok);
        CHECK_THAT(reject(linux_zone(4 * MiB, nothing)),
                   Contains("zone 'linux-vm': the kernel (0 KiB) and initrd (0 KiB) need 4097 KiB with the 4 MiB a "
                            "kernel needs to start; memory-size is 4096 KiB"));
        const std::vector<u8> initrd(64 * 1024, 1);
        auto blob =
            linux_zone(4 * MiB + 64 * 1024, [&](FdtBuilder& f) { f.bytes("initrd", initrd.data(), initrd.size()); });
        CHECK_THAT(reject(blob), Contains("initrd (64 KiB) need 4161 KiB"));
    }
    SECTION("two linux nodes") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB);
        f.node("linux").bytes("kernel", kKernel, kKernelHeader.size()).end();
        f.node("linux").bytes("kernel", kKernel, kKernelHeader.size()).end().end();
        CHECK_THAT(reject(done(f)), Contains("two linux nodes; a zone boots one kernel"));
    }
    SECTION("images and linux together") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB);
        image(f, 0x40000000);
        f.node("linux").bytes("kernel", kKernel, kKernelHeader.size()).end().end();
        CHECK_THAT(reject(done(f)), Contains("a zone runs either images or a linux kernel, not both"));
    }
    SECTION("a linux node with a unit address") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB).node("linux@0").bytes("kernel", kKernel, kKernelHeader.size()).end().end();
        CHECK_THAT(reject(done(f)), Contains("unknown node 'linux@0' in the zone (did you mean 'linux'?)"));
    }
}

TEST_CASE("manifest: a linux zone takes no boot-argument", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "vm", 64 * MiB)
        .u64("boot-argument", 1)
        .node("linux")
        .bytes("kernel", kKernel, kKernelHeader.size())
        .end()
        .end();
    CHECK_THAT(reject(done(f)), Contains("zone 'vm': boot-argument is for image zones"));
}

// What used to fail only when the zone was built (prepare_linux_zone) now
// refuses the manifest, with the reason.
TEST_CASE("manifest: a kernel the zone cannot boot is refused at validation", "[manifest]") {
    auto with_kernel = [](const std::vector<u8>& kernel, u64 memory = 64 * MiB) {
        FdtBuilder f = manifest();
        zone(f, "vm", memory).node("linux").bytes("kernel", kernel.data(), kernel.size()).end().end();
        return done(f);
    };
    SECTION("not an arm64 Image") {
        std::vector<u8> elf(4096, 0);
        elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F';
        CHECK_THAT(reject(with_kernel(elf)),
                   Contains("zone 'vm': the kernel is not an arm64 Image (no \"ARM\\x64\" magic at byte 56)"));
        CHECK_THAT(reject(with_kernel(std::vector<u8>(63, 0))), Contains("not an arm64 Image"));
    }
    SECTION("a gzip-compressed Image") {
        std::vector<u8> gz(4096, 0);
        gz[0] = 0x1f, gz[1] = 0x8b;
        CHECK_THAT(reject(with_kernel(gz)), Contains("it is gzip-compressed: give the uncompressed Image"));
    }
    SECTION("an Image whose header asks for more than the zone has") {
        auto h = image_header(0, 70 * MiB); // the kernel's own size, BSS included
        CHECK_THAT(reject(with_kernel({h.begin(), h.end()})),
                   Contains("zone 'vm': the kernel (71680 KiB from 0x40000000, as its header says), the initrd "
                            "(0 KiB) and the device tree (64 KiB) need more than the zone's 65536 KiB"));
        CHECK(parse(with_kernel({h.begin(), h.end()}, 128 * MiB))->ok);
    }
    SECTION("bootargs and workload strings that do not fit in the zone's device tree") {
        const std::string env(57 * 1024, 'x');
        auto blob = linux_zone(64 * MiB, [&](FdtBuilder& f) {
            f.node("workload").str("command", "/bin/true").str("env", env.c_str()).end();
        });
        CHECK_THAT(reject(blob), Contains("the workload's strings take 58379 bytes; at most 57344 fit"));
    }
    SECTION("an arm64 Image on x86-64") {
        auto blob = with_kernel({kKernelHeader.begin(), kKernelHeader.end()});
        CHECK_THAT(
            reject(blob, 4, x86_64::kZonePlatform),
            Contains("zone 'vm': the kernel (64 bytes) is neither an ELF vmlinux with a PVH note nor a bzImage"));
    }
}

TEST_CASE("manifest: the workload's stdin", "[manifest]") {
    auto with_stdin = [](const char* mode) {
        return linux_zone(
            64 * MiB, [&](FdtBuilder& f) { f.node("workload").str("command", "/bin/cat").str("stdin", mode).end(); });
    };
    // The parsed manifest points into its blob: keep each alive.
    auto stream = with_stdin("stream"), console = with_stdin("console");
    auto p = parse(stream);
    REQUIRE(p->ok);
    CHECK(p->m.zones[0].linux_boot.stdin_stream());
    p = parse(console);
    REQUIRE(p->ok);
    CHECK_FALSE(p->m.zones[0].linux_boot.stdin_stream());
    CHECK_THAT(reject(with_stdin("pipe")),
               Contains("zone 'linux-vm': the workload's stdin must be \"console\" or \"stream\""));

    SECTION("a stream needs the host console's input") {
        FdtBuilder f = manifest();
        zone(f, "first");
        image(f, 0x40000000).end();
        zone(f, "reader", 64 * MiB).node("linux").bytes("kernel", kKernel, kKernelHeader.size());
        f.node("workload").str("command", "/bin/cat").str("stdin", "stream").end().end().end();
        CHECK_THAT(reject(done(f)), Contains("zone 'reader': the workload's stdin \"stream\" needs the host console's "
                                             "input, which goes to zone 'first' (give this zone console-input)"));
        FdtBuilder g = manifest();
        zone(g, "first");
        image(g, 0x40000000).end();
        zone(g, "reader", 64 * MiB).flag("console-input").node("linux").bytes("kernel", kKernel, kKernelHeader.size());
        g.node("workload").str("command", "/bin/cat").str("stdin", "stream").end().end().end();
        CHECK(parse(done(g))->ok);
    }
}

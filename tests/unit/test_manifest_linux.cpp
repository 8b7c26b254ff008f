// SPDX-License-Identifier: GPL-2.0-only
// Zones that boot a Linux kernel instead of images.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "manifest_helpers.hpp"

using namespace bh;
using namespace bh::test;
using Catch::Contains;

namespace {

const u8 kKernel[64] = {'M', 'Z', 0, 0, 0x12, 0x34};

// A zone booting Linux; `extra` adds properties to the linux node.
template <class F>
std::vector<u8> linux_zone(u64 memory, F extra) {
    FdtBuilder f = manifest();
    zone(f, "linux-vm", memory, 2);
    f.node("linux").bytes("kernel", kKernel, sizeof kKernel);
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
    CHECK(l.kernel.size == sizeof kKernel);
    CHECK(std::memcmp(l.kernel.data, kKernel, sizeof kKernel) == 0);
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
                   Contains("the kernel and initrd do not fit in the zone's memory"));
        const std::vector<u8> initrd(64 * 1024, 1);
        auto blob =
            linux_zone(4 * MiB + 64 * 1024, [&](FdtBuilder& f) { f.bytes("initrd", initrd.data(), initrd.size()); });
        CHECK_THAT(reject(blob), Contains("do not fit"));
    }
    SECTION("two linux nodes") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB);
        f.node("linux").bytes("kernel", kKernel, sizeof kKernel).end();
        f.node("linux").bytes("kernel", kKernel, sizeof kKernel).end().end();
        CHECK_THAT(reject(done(f)), Contains("more than one linux node"));
    }
    SECTION("images and linux together") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB);
        image(f, 0x40000000);
        f.node("linux").bytes("kernel", kKernel, sizeof kKernel).end().end();
        CHECK_THAT(reject(done(f)), Contains("a zone runs either images or a linux kernel, not both"));
    }
    SECTION("a linux node with a unit address") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB).node("linux@0").bytes("kernel", kKernel, sizeof kKernel).end().end();
        CHECK_THAT(reject(done(f)), Contains("unknown node 'linux@0' in the zone (did you mean 'linux'?)"));
    }
}

TEST_CASE("manifest: a linux zone takes no boot-argument", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "vm", 64 * MiB).u64("boot-argument", 1).node("linux").bytes("kernel", kKernel, sizeof kKernel).end().end();
    CHECK_THAT(reject(done(f)), Contains("zone 'vm': boot-argument is for image zones"));
}

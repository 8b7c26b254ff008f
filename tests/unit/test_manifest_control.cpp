// SPDX-License-Identifier: GPL-2.0-only
// The control-domain property: one privileged zone whose RAM is mapped at
// its host-physical address and which gets the node's devices.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "manifest_helpers.hpp"

using namespace bh;
using namespace bh::test;
using Catch::Contains;

namespace {

// Just an arm64 Image header: the manifest checks the kernel's magic.
constexpr std::array<u8, 64> kImage = [] {
    std::array<u8, 64> h{};
    h[56] = 'A', h[57] = 'R', h[58] = 'M', h[59] = 0x64;
    return h;
}();
const u8* const kKernel = kImage.data();

// A control-domain zone `name` booting Linux; `extra` adds zone properties.
template <class F>
FdtBuilder& control_zone(FdtBuilder& f, const std::string& name, F extra) {
    zone(f, name, 64 * MiB).flag("control-domain");
    extra(f);
    return f.node("linux").bytes("kernel", kKernel, kImage.size()).end().end();
}

std::vector<u8> one_control_zone(void (*extra)(FdtBuilder&)) {
    FdtBuilder f = manifest();
    control_zone(f, "dom0", extra);
    return done(f);
}

} // namespace

TEST_CASE("manifest: a control domain is privileged and placed at boot", "[manifest][control-domain]") {
    FdtBuilder f = manifest();
    control_zone(f, "dom0", [](FdtBuilder&) {});
    zone(f, "plain");
    image(f, 0x40000000).end();
    auto p = parse(done(f));
    INFO(p->err.message);
    REQUIRE(p->ok);
    const ManifestZone& z = p->m.zones[0];
    CHECK(z.control_domain);
    CHECK(z.privileged); // implied
    CHECK_FALSE(z.pinned);
    CHECK_FALSE(p->m.zones[1].control_domain);
    CHECK_FALSE(p->m.zones[1].privileged);
}

TEST_CASE("manifest: a pinned control domain's RAM is at its host address", "[manifest][control-domain]") {
    SECTION("linux") {
        auto p = parse(one_control_zone([](FdtBuilder& f) { f.u64("host-address", 0x50000000); }));
        INFO(p->err.message);
        REQUIRE(p->ok);
        CHECK(p->m.zones[0].pinned);
        CHECK(p->m.zones[0].memory_base.raw() == 0x50000000);
        CHECK(p->m.zones[0].host_address.raw() == 0x50000000);
    }
    SECTION("images, loaded inside that RAM") {
        FdtBuilder f = manifest();
        zone(f, "dom0", 2 * MiB).flag("control-domain").u64("host-address", 0x60000000);
        image(f, 0x60000000).end();
        auto p = parse(done(f));
        INFO(p->err.message);
        REQUIRE(p->ok);
        CHECK(p->m.zones[0].entry.raw() == 0x60000000);
    }
    SECTION("an image at the default base no longer fits") {
        FdtBuilder f = manifest();
        zone(f, "dom0", 2 * MiB).flag("control-domain").u64("host-address", 0x60000000);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("does not fit inside the zone's memory [0x60000000, 0x60200000)"));
    }
}

TEST_CASE("manifest: control-domain rejections", "[manifest][control-domain]") {
    SECTION("two control domains") {
        FdtBuilder f = manifest();
        control_zone(f, "first", [](FdtBuilder&) {});
        control_zone(f, "second", [](FdtBuilder&) {});
        CHECK(reject(done(f)) ==
              "manifest: zones 'first' and 'second' are both marked control-domain: at most one zone may be");
    }
    SECTION("memory-base") {
        auto msg = reject(one_control_zone([](FdtBuilder& f) { f.u64("memory-base", 0x40000000); }));
        CHECK_THAT(msg, Contains("zone 'dom0': a control domain's RAM is at its host-physical address: drop "
                                 "memory-base (host-address pins it)"));
    }
    SECTION("images without host-address") {
        FdtBuilder f = manifest();
        zone(f, "dom0").flag("control-domain");
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("zone 'dom0': a control domain without host-address must boot Linux"));
    }
    SECTION("host-address not 2 MiB aligned") {
        auto msg = reject(one_control_zone([](FdtBuilder& f) { f.u64("host-address", 0x50001000); }));
        CHECK_THAT(msg, Contains("zone 'dom0': a control domain's host-address is its guest-physical base: it "
                                 "must be a multiple of 2 MiB"));
    }
    SECTION("host-address inside the device window") {
        auto msg = reject(one_control_zone([](FdtBuilder& f) { f.u64("host-address", 0x0a000000); }));
        CHECK_THAT(msg, Contains("overlaps the device window [0x8000000, 0x40000000)"));
    }
    SECTION("too much memory") {
        FdtBuilder f = manifest();
        zone(f, "dom0", 65 * 1024 * MiB).flag("control-domain");
        f.node("linux").bytes("kernel", kKernel, kImage.size()).end().end();
        CHECK_THAT(reject(done(f)), Contains("more than the 64 GiB a zone may have"));
    }
    SECTION("a misspelt property is not silently ignored") {
        FdtBuilder f = manifest();
        zone(f, "dom0", 64 * MiB).flag("control-domian");
        f.node("linux").bytes("kernel", kKernel, kImage.size()).end().end();
        CHECK_THAT(reject(done(f)), Contains("unknown property 'control-domian' in the zone (did you mean "
                                             "'control-domain'?)"));
    }
}

// SPDX-License-Identifier: GPL-2.0-only
// Manifests that parse, and what the parser makes of them.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "manifest_helpers.hpp"

using namespace bh;
using namespace bh::test;
using Catch::Contains;

TEST_CASE("manifest: two zones with defaults applied", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha", 2 * MiB, 2);
    image(f, 0x40000000).end();
    f.node("beta").u64("memory-base", 0x80000000).u32("memory-size", 4 * MiB).u32("vcpus", 3);
    image(f, 0x80010000, 100).end();
    auto blob = done(f);
    auto p = parse(blob, 2);
    INFO(p->err.message);
    REQUIRE(p->ok);
    REQUIRE(p->m.zone_count == 2);

    const ManifestZone& a = p->m.zones[0];
    CHECK(std::string(a.name) == "alpha");
    CHECK(a.memory_base == aarch64::kZonePlatform.default_ram_base);
    CHECK(a.memory_base == GuestPhys(0x40000000));
    CHECK(a.memory_size == 2 * MiB);
    CHECK_FALSE(a.pinned);
    CHECK(a.vcpus == 2);
    CHECK(a.cpus[0] == 0);
    CHECK(a.cpus[1] == 1);
    CHECK_FALSE(a.privileged);
    CHECK(a.fault_policy == FaultPolicy::abort);
    REQUIRE(a.image_count == 1);
    CHECK(a.images[0].load == GuestPhys(0x40000000));
    CHECK(a.images[0].size == sizeof kCode);
    CHECK(a.entry == GuestPhys(0x40000000));
    // Image data points into the blob itself.
    CHECK(a.images[0].data >= blob.data());
    CHECK(a.images[0].data + a.images[0].size <= blob.data() + blob.size());
    CHECK(std::memcmp(a.images[0].data, kCode, sizeof kCode) == 0);

    const ManifestZone& b = p->m.zones[1];
    CHECK(std::string(b.name) == "beta");
    CHECK(b.memory_base == GuestPhys(0x80000000));
    CHECK(b.memory_size == 4 * MiB); // one cell is accepted as well as two
    CHECK(b.vcpus == 3);
    // Round robin over the online CPUs.
    CHECK(b.cpus[0] == 0);
    CHECK(b.cpus[1] == 1);
    CHECK(b.cpus[2] == 0);
    CHECK(b.entry == GuestPhys(0x80010000));
    CHECK(b.images[0].size == 100);
}

TEST_CASE("manifest: zero online CPUs counts as one", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha", 2 * MiB, 3);
    image(f, 0x40000000).end();
    auto p = parse(done(f), 0);
    REQUIRE(p->ok);
    CHECK(p->m.zones[0].cpus[0] == 0);
    CHECK(p->m.zones[0].cpus[1] == 0);
    CHECK(p->m.zones[0].cpus[2] == 0);
}

TEST_CASE("manifest: privileged and fault-policy", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "ctl").flag("privileged").str("fault-policy", "stop");
    image(f, 0x40000000).end();
    zone(f, "guest").str("fault-policy", "abort");
    image(f, 0x40000000).end();
    auto p = parse(done(f));
    INFO(p->err.message);
    REQUIRE(p->ok);
    CHECK(p->m.zones[0].privileged);
    CHECK(p->m.zones[0].fault_policy == FaultPolicy::stop);
    CHECK_FALSE(p->m.zones[1].privileged);
    CHECK(p->m.zones[1].fault_policy == FaultPolicy::abort);
}

TEST_CASE("manifest: host-address pins a zone's memory", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "pinned", 2 * MiB).u64("host-address", 0x48000000);
    image(f, 0x40000000).end();
    zone(f, "pinned32", 2 * MiB).u32("host-address", 0x48200000); // adjacent: no overlap
    image(f, 0x40000000).end();
    zone(f, "floating");
    image(f, 0x40000000).end();
    auto p = parse(done(f));
    INFO(p->err.message);
    REQUIRE(p->ok);
    CHECK(p->m.zones[0].pinned);
    CHECK(p->m.zones[0].host_address == HostPhys(0x48000000));
    CHECK(p->m.zones[1].pinned);
    CHECK(p->m.zones[1].host_address == HostPhys(0x48200000));
    CHECK_FALSE(p->m.zones[2].pinned);
}

TEST_CASE("manifest: cpus places each vCPU", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha", 2 * MiB, 4).cells("cpus", {3, 3, 0, 1});
    image(f, 0x40000000).end();
    auto p = parse(done(f), 4);
    INFO(p->err.message);
    REQUIRE(p->ok);
    const ManifestZone& z = p->m.zones[0];
    CHECK(z.cpus[0] == 3);
    CHECK(z.cpus[1] == 3);
    CHECK(z.cpus[2] == 0);
    CHECK(z.cpus[3] == 1);
}

TEST_CASE("manifest: several images and an explicit entry", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha", 4 * MiB).u64("entry", 0x40200000);
    image(f, 0x40000000, 4096, "image@0");
    image(f, 0x40001000, 16, "image@1"); // adjacent to the first: fine
    image(f, 0x40200000, 64, "image@2");
    image(f, 0x403ffff0, 16, "image@3"); // ends exactly at the end of RAM
    f.end();
    auto blob = done(f);
    auto p = parse(blob);
    INFO(p->err.message);
    REQUIRE(p->ok);
    const ManifestZone& z = p->m.zones[0];
    REQUIRE(z.image_count == 4);
    CHECK(z.images[0].load == GuestPhys(0x40000000));
    CHECK(z.images[0].size == 4096);
    CHECK(z.images[1].load == GuestPhys(0x40001000));
    CHECK(z.images[2].size == 64);
    CHECK(z.images[3].load == GuestPhys(0x403ffff0));
    CHECK(z.entry == GuestPhys(0x40200000));
    CHECK(std::memcmp(z.images[2].data, kCode, sizeof kCode) == 0);
}

TEST_CASE("manifest: boundaries that are accepted", "[manifest]") {
    SECTION("64 GiB of memory") {
        FdtBuilder f = manifest();
        zone(f, "big", 64 * GiB);
        image(f, 0x40000000).end();
        auto p = parse(done(f));
        REQUIRE(p->ok);
        CHECK(p->m.zones[0].memory_size == 64 * GiB);
    }
    SECTION("8 vCPUs") {
        FdtBuilder f = manifest();
        zone(f, "wide", 2 * MiB, 8);
        image(f, 0x40000000).end();
        auto p = parse(done(f), 8);
        REQUIRE(p->ok);
        for (u32 i = 0; i < 8; ++i) CHECK(p->m.zones[0].cpus[i] == i);
    }
    SECTION("memory ending exactly at the device window") {
        FdtBuilder f = manifest();
        zone(f, "low", 0x08000000).u64("memory-base", 0);
        image(f, 0x1000).end();
        REQUIRE(parse(done(f))->ok);
    }
    SECTION("memory ending exactly at 512 GiB") {
        FdtBuilder f = manifest();
        zone(f, "high", 2 * MiB).u64("memory-base", (u64(1) << 39) - 2 * MiB);
        image(f, (u64(1) << 39) - 2 * MiB).end();
        REQUIRE(parse(done(f))->ok);
    }
    SECTION("a 31-character name") {
        REQUIRE(parse(simple(std::string(31, 'a')))->ok);
        REQUIRE(parse(simple("a-z_0-9"))->ok);
    }
    SECTION("entry in the last word of RAM") {
        FdtBuilder f = manifest();
        zone(f, "alpha").u64("entry", 0x40200000 - 4);
        image(f, 0x40000000).end();
        REQUIRE(parse(done(f))->ok);
    }
    SECTION("16 zones") {
        FdtBuilder f = manifest();
        for (int i = 0; i < 16; ++i) {
            zone(f, "z" + std::to_string(i));
            image(f, 0x40000000).end();
        }
        auto p = parse(done(f));
        REQUIRE(p->ok);
        CHECK(p->m.zone_count == 16);
        CHECK(std::string(p->m.zones[15].name) == "z15");
    }
}

TEST_CASE("manifest: boot-argument is vCPU 0's start argument", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "seeded").u64("boot-argument", 0x1234567890abcdefull);
    image(f, 0x40000000).end();
    zone(f, "plain");
    image(f, 0x40000000).end();
    auto p = parse(done(f));
    INFO(p->err.message);
    REQUIRE(p->ok);
    CHECK(p->m.zones[0].boot_argument == 0x1234567890abcdefull);
    CHECK(p->m.zones[1].boot_argument == 0);
}

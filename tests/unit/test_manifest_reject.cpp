// SPDX-License-Identifier: GPL-2.0-only
// Every manifest rejection, each with its message.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <bulkhead/manifest_schema.hpp>

#include "manifest_helpers.hpp"

using namespace bh;
using namespace bh::test;
using Catch::Contains;

TEST_CASE("manifest: truncated blobs are rejected", "[manifest]") {
    const std::vector<u8> blob = simple();
    REQUIRE(parse(blob)->ok);
    const usize header = sizeof(fdt_header);
    for (usize len :
         {usize(1), usize(8), header - 1, header, header + 1, blob.size() / 2, blob.size() - 8, blob.size() - 1}) {
        CAPTURE(len);
        // A copy of exactly `len` bytes, so that ASan catches any read past it.
        std::vector<u8> cut(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(len));
        std::string msg = reject(cut);
        if (len < header)
            CHECK_THAT(msg, Contains("blob is truncated (smaller than a header)"));
        else
            CHECK_THAT(msg, Contains("blob is truncated: its header says " + std::to_string(blob.size()) +
                                     " bytes, only " + std::to_string(len) + " are present"));
    }
    SECTION("zero bytes") {
        u8 byte = 0;
        Manifest m;
        ManifestError err;
        CHECK_FALSE(parse_manifest(&byte, 0, 1, aarch64::kZonePlatform, m, err));
        CHECK_THAT(std::string(err.message), Contains("smaller than a header"));
    }
}

TEST_CASE("manifest: not a device tree at all", "[manifest]") {
    SECTION("no blob") {
        Manifest m;
        ManifestError err;
        CHECK_FALSE(parse_manifest(nullptr, 4096, 1, aarch64::kZonePlatform, m, err));
        CHECK_THAT(std::string(err.message), Contains("none was given"));
    }
    SECTION("text") {
        std::string text(256, 'x');
        std::vector<u8> blob(text.begin(), text.end());
        CHECK_THAT(reject(blob), Contains("not a valid device tree blob: FDT_ERR_BADMAGIC"));
    }
    SECTION("a header whose totalsize is absurd") {
        std::vector<u8> blob = simple();
        reinterpret_cast<fdt_header*>(blob.data())->totalsize = cpu_to_fdt32(0x7fffffff);
        CHECK_THAT(reject(blob), Contains("blob is truncated: its header says 2147483647 bytes"));
        reinterpret_cast<fdt_header*>(blob.data())->totalsize = cpu_to_fdt32(0xffffffff);
        CHECK_THAT(reject(blob), Contains("not a valid device tree blob: FDT_ERR_TRUNCATED"));
    }
    SECTION("a header whose blocks lie outside it") {
        std::vector<u8> blob = simple();
        reinterpret_cast<fdt_header*>(blob.data())->off_dt_struct = cpu_to_fdt32(0x10000);
        CHECK_THAT(reject(blob), Contains("not a valid device tree blob"));
    }
}

TEST_CASE("manifest: root and /zones", "[manifest]") {
    SECTION("wrong root compatible") {
        FdtBuilder f;
        f.str("compatible", "bulkhead,manifest-v2").node("zones");
        zone(f, "alpha");
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("root node is not compatible with \"bulkhead,manifest-v1\""));
    }
    SECTION("no root compatible") {
        FdtBuilder f;
        f.node("zones");
        zone(f, "alpha");
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("root node is not compatible"));
    }
    SECTION("no /zones") {
        FdtBuilder f;
        f.str("compatible", "bulkhead,manifest-v1").node("chosen").end();
        CHECK_THAT(reject(f.finish()), Contains("manifest: no /zones node"));
    }
    SECTION("empty /zones") {
        FdtBuilder f = manifest();
        CHECK_THAT(reject(done(f)), Contains("manifest: /zones names no zone"));
    }
    SECTION("more than 16 zones") {
        FdtBuilder f = manifest();
        for (int i = 0; i < 17; ++i) {
            zone(f, "z" + std::to_string(i));
            image(f, 0x40000000).end();
        }
        CHECK_THAT(reject(done(f)), Contains("manifest: /zones names 17 zones; at most 16"));
    }
}

TEST_CASE("manifest: zone names", "[manifest]") {
    CHECK_THAT(reject(simple("Alpha")), Contains("zone 'Alpha': the name may hold only a-z, 0-9, '-' and '_'"));
    CHECK_THAT(reject(simple("alpha@1")), Contains("the name may hold only"));
    CHECK_THAT(reject(simple("al pha")), Contains("the name may hold only"));
    CHECK_THAT(reject(simple(std::string(32, 'a'))),
               Contains("zone '" + std::string(32, 'a') + "': the name has 32 characters; at most 31"));
}

TEST_CASE("manifest: memory", "[manifest]") {
    auto with = [](u64 size, bool set_base, u64 base, u64 load) {
        FdtBuilder f = manifest();
        zone(f, "alpha", size);
        if (set_base) f.u64("memory-base", base);
        image(f, load).end();
        return done(f);
    };
    SECTION("missing memory-size") {
        FdtBuilder f = manifest();
        f.node("alpha").u32("vcpus", 1);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': required property 'memory-size' is missing"));
    }
    SECTION("memory-size of three bytes") {
        FdtBuilder f = manifest();
        const u8 three[3] = {0, 0x20, 0};
        f.node("alpha").bytes("memory-size", three, 3).u32("vcpus", 1);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("property 'memory-size' must be one or two cells"));
    }
    SECTION("zero") {
        CHECK_THAT(reject(with(0, false, 0, 0x40000000)), Contains("zone 'alpha': memory-size is zero"));
    }
    SECTION("not a multiple of 4 KiB") {
        CHECK_THAT(reject(with(2 * MiB + 512, false, 0, 0x40000000)),
                   Contains("memory-size 0x200200 is not a multiple of 4 KiB"));
    }
    SECTION("more than 64 GiB") {
        CHECK_THAT(reject(with(64 * GiB + 4096, false, 0, 0x40000000)),
                   Contains("memory-size 65536 MiB is more than the 64 GiB a zone may have"));
    }
    SECTION("memory-base not 2 MiB aligned") {
        CHECK_THAT(reject(with(2 * MiB, true, 0x40100000, 0x40100000)),
                   Contains("memory-base 0x40100000 is not a multiple of 2 MiB"));
    }
    SECTION("overlapping the device window from below") {
        CHECK_THAT(reject(with(0x08200000, true, 0, 0x1000)),
                   Contains("overlaps the device window [0x8000000, 0x40000000) of arm64 zones"));
    }
    SECTION("overlapping the device window from inside") {
        CHECK_THAT(reject(with(2 * MiB, true, 0x3fe00000, 0x3fe00000)),
                   Contains("overlaps the device window [0x8000000, 0x40000000)"));
    }
    SECTION("starting at 512 GiB") {
        CHECK_THAT(reject(with(2 * MiB, true, u64(1) << 39, u64(1) << 39)),
                   Contains("does not end below 0x8000000000, the end of a zone's guest-physical space"));
    }
    SECTION("crossing 512 GiB") {
        CHECK_THAT(reject(with(4 * MiB, true, (u64(1) << 39) - 2 * MiB, (u64(1) << 39) - 2 * MiB)),
                   Contains("does not end below 0x8000000000"));
    }
    SECTION("a base so large that base + size wraps") {
        CHECK_THAT(reject(with(4 * MiB, true, ~u64(0) - 2 * MiB + 1, 0x40000000)),
                   Contains("does not end below 0x8000000000"));
    }
    SECTION("host-address not page aligned") {
        FdtBuilder f = manifest();
        zone(f, "alpha").u64("host-address", 0x48000800);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("host-address 0x48000800 is not 4 KiB aligned"));
    }
    SECTION("two pinned zones sharing host memory") {
        FdtBuilder f = manifest();
        zone(f, "alpha", 4 * MiB).u64("host-address", 0x48000000);
        image(f, 0x40000000).end();
        zone(f, "beta", 2 * MiB).u64("host-address", 0x48200000 + 0x1000 * 511);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': host memory overlaps that of zone 'beta'"));
    }
}

TEST_CASE("manifest: vCPUs", "[manifest]") {
    auto with_vcpus = [](u32 n) {
        FdtBuilder f = manifest();
        zone(f, "alpha", 2 * MiB, n);
        image(f, 0x40000000).end();
        return done(f);
    };
    SECTION("missing") {
        FdtBuilder f = manifest();
        f.node("alpha").u64("memory-size", 2 * MiB);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': required property 'vcpus' is missing"));
    }
    SECTION("zero") { CHECK_THAT(reject(with_vcpus(0)), Contains("zone 'alpha': vcpus is zero")); }
    SECTION("nine") { CHECK_THAT(reject(with_vcpus(9)), Contains("zone 'alpha': vcpus is 9; at most 8")); }
    SECTION("huge") { CHECK_THAT(reject(with_vcpus(0xffffffff)), Contains("vcpus is 4294967295; at most 8")); }
    SECTION("cpus shorter than vcpus") {
        FdtBuilder f = manifest();
        zone(f, "alpha", 2 * MiB, 2).cells("cpus", {0});
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': cpus lists 1 CPU(s) for 2 vCPU(s)"));
    }
    SECTION("cpus longer than vcpus") {
        FdtBuilder f = manifest();
        zone(f, "alpha", 2 * MiB, 1).cells("cpus", {0, 1});
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("cpus lists 2 CPU(s) for 1 vCPU(s)"));
    }
    SECTION("cpu index not online") {
        FdtBuilder f = manifest();
        zone(f, "alpha", 2 * MiB, 2).cells("cpus", {1, 4});
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f), 4), Contains("zone 'alpha': cpus names physical CPU 4, but only 4 are online"));
    }
}

TEST_CASE("manifest: fault-policy values", "[manifest]") {
    for (const char* bad : {"Abort", "halt", "", "stop "}) {
        CAPTURE(bad);
        FdtBuilder f = manifest();
        zone(f, "alpha").str("fault-policy", bad);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("fault-policy must be \"abort\" or \"stop\""));
    }
    SECTION("not NUL-terminated") {
        FdtBuilder f = manifest();
        zone(f, "alpha").bytes("fault-policy", "stop", 4);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("fault-policy must be"));
    }
}

TEST_CASE("manifest: images and entry", "[manifest]") {
    SECTION("no image") {
        FdtBuilder f = manifest();
        zone(f, "alpha").end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': no image or linux node to run"));
    }
    SECTION("image past the end of RAM") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, 0x40200000 - 8, 16).end();
        CHECK_THAT(reject(done(f)), Contains("an image of 16 bytes at 0x401ffff8 does not fit inside the zone's memory "
                                             "[0x40000000, 0x40200000)"));
    }
    SECTION("image below RAM") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, 0x3ffffff0, 64).end();
        CHECK_THAT(reject(done(f)), Contains("an image of 64 bytes at 0x3ffffff0 does not fit inside"));
    }
    SECTION("image whose end wraps") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, ~u64(0) - 4, 16).end();
        CHECK_THAT(reject(done(f)), Contains("does not fit inside"));
    }
    SECTION("overlapping images") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, 0x40000000, 4096, "image@0");
        image(f, 0x40000ff0, 64, "image@1").end();
        CHECK_THAT(reject(done(f)),
                   Contains("zone 'alpha': two images overlap: [0x40000000, 0x40001000) and [0x40000ff0, 0x40001030)"));
    }
    SECTION("an image inside another") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, 0x40000000, 4096, "image@0");
        image(f, 0x40000100, 16, "image@1").end();
        CHECK_THAT(reject(done(f)), Contains("two images overlap"));
    }
    SECTION("image without data") {
        FdtBuilder f = manifest();
        zone(f, "alpha").node("image").u64("load-address", 0x40000000).end().end();
        CHECK_THAT(reject(done(f)), Contains("an image has no 'data' property"));
    }
    SECTION("image with empty data") {
        FdtBuilder f = manifest();
        zone(f, "alpha").node("image").u64("load-address", 0x40000000).flag("data").end().end();
        CHECK_THAT(reject(done(f)), Contains("an image's data is empty"));
    }
    SECTION("image without load-address") {
        FdtBuilder f = manifest();
        zone(f, "alpha").node("image").bytes("data", kCode, sizeof kCode).end().end();
        CHECK_THAT(reject(done(f)), Contains("required property 'load-address' is missing"));
    }
    SECTION("more than four images") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        for (int i = 0; i < 5; ++i) image(f, 0x40000000 + i * 0x1000, 16, "image@" + std::to_string(i));
        f.end();
        CHECK_THAT(reject(done(f)), Contains("zone 'alpha': 5 images; at most 4"));
    }
    SECTION("a node that is not an image") {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        image(f, 0x40000000).node("images").end().end();
        CHECK_THAT(reject(done(f)), Contains("unknown node 'images' in the zone (did you mean 'image'?)"));
    }
    SECTION("entry outside RAM") {
        FdtBuilder f = manifest();
        zone(f, "alpha").u64("entry", 0x40200000);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)),
                   Contains("zone 'alpha': entry 0x40200000 lies outside the zone's memory [0x40000000, 0x40200000)"));
    }
    SECTION("entry's instruction straddling the end of RAM") {
        FdtBuilder f = manifest();
        zone(f, "alpha").u64("entry", 0x40200000 - 2);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("entry 0x401ffffe lies outside"));
    }
}

TEST_CASE("manifest: the error names the zone at fault", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "good");
    image(f, 0x40000000).end();
    zone(f, "bad", 2 * MiB, 0);
    image(f, 0x40000000).end();
    CHECK_THAT(reject(done(f)), Contains("manifest: zone 'bad': vcpus is zero"));
}

TEST_CASE("manifest: an unaligned entry is rejected", "[manifest][bug]") {
    // Regression, fixed (hypervisor/core/manifest.cpp, entry check): entry is only
    // checked to lie in RAM, not to be 4-byte aligned, so vCPU 0 would take a
    // PC alignment fault on its first instruction. BH_HC_ZONE_SET_ENTRY
    // already refuses such a pc.
    FdtBuilder f = manifest();
    zone(f, "alpha").u64("entry", 0x40000002);
    image(f, 0x40000000).end();
    CHECK_THAT(reject(done(f)), Contains("entry"));
}

TEST_CASE("manifest: duplicate zone names are rejected", "[manifest][bug]") {
    // Regression, fixed (hypervisor/core/manifest.cpp): docs/zone-manifest.md says
    // names are unique because dtc refuses duplicates, but blobs built any
    // other way (libfdt, as here) are not checked, so two zones can share a
    // name and their console lines become indistinguishable.
    FdtBuilder f = manifest();
    zone(f, "twin");
    image(f, 0x40000000).end();
    zone(f, "twin");
    image(f, 0x40000000).end();
    CHECK_THAT(reject(done(f)), Contains("twin"));
}

TEST_CASE("manifest: a zero watchdog is rejected", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha").u64("watchdog-ms", 0);
    image(f, 0x40000000).end();
    CHECK_THAT(reject(done(f)), Contains("zone 'alpha': watchdog-ms is 0; it must be 1 to 604800000 (7 days)"));
}

TEST_CASE("manifest: two console-input zones are rejected", "[manifest]") {
    FdtBuilder f = manifest();
    zone(f, "alpha").flag("console-input");
    image(f, 0x40000000).end();
    zone(f, "beta").flag("console-input");
    image(f, 0x40000000).end();
    CHECK_THAT(reject(done(f)), Contains("manifest: 2 zones have console-input; at most one may"));
}

// x86-64's platform rules, caught while the manifest is validated rather
// than when the zone is built.
TEST_CASE("manifest: x86-64 zone platform rules", "[manifest]") {
    const ZonePlatform& x86 = x86_64::kZonePlatform;
    SECTION("RAM may not hide the interrupt-controller window") {
        FdtBuilder f = manifest();
        zone(f, "hole", 0x200000).u64("memory-base", 0xfec00000);
        image(f, 0xfec00000).end();
        CHECK_THAT(reject(done(f), 4, x86), Contains("zone 'hole': memory [0xfec00000, 0xfee00000) overlaps the device "
                                                     "window [0xfec00000, 0x100000000) of x86-64 zones"));
        // On arm64 the same RAM is fine.
        FdtBuilder g = manifest();
        zone(g, "hole", 0x200000).u64("memory-base", 0xfec00000);
        image(g, 0xfec00000).end();
        CHECK(parse(done(g))->ok);
    }
    SECTION("an image may not overlap the start-up page tables at the top of RAM") {
        FdtBuilder f = manifest();
        zone(f, "top", 0x200000);
        image(f, 0x40000000 + 0x200000 - 0x8000 - 8).end(); // its last 8 bytes reach into them
        auto blob = done(f);
        CHECK_THAT(
            reject(blob, 4, x86),
            Contains("zone 'top': an image overlaps the 32 KiB at the top of memory that x86-64 zones start with"));
        CHECK(parse(blob)->ok); // arm64 has no such area
    }
    SECTION("RAM must hold twice the start-up area") {
        FdtBuilder f = manifest();
        zone(f, "tiny", 0x8000);
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f), 4, x86),
                   Contains("zone 'tiny': memory-size 32 KiB is less than twice the 32 KiB start-up area"));
    }
    SECTION("a zone that respects them") {
        FdtBuilder f = manifest();
        zone(f, "fine", 0x200000);
        image(f, 0x40000000).end();
        CHECK(parse(done(f), 4, x86)->ok);
    }
}

// A misspelt optional property or node must not silently cost a zone its
// privilege, fault policy or watchdog: every unknown name is refused, with
// the closest known one as a suggestion.
TEST_CASE("manifest: unknown properties and nodes are refused with a suggestion", "[manifest]") {
    auto zone_with = [](auto extra) {
        FdtBuilder f = manifest();
        zone(f, "alpha");
        extra(f);
        image(f, 0x40000000).end();
        return done(f);
    };
    CHECK_THAT(reject(zone_with([](FdtBuilder& f) { f.flag("privilged"); })),
               Contains("zone 'alpha': unknown property 'privilged' in the zone (did you mean 'privileged'?)"));
    CHECK_THAT(reject(zone_with([](FdtBuilder& f) { f.str("fault_policy", "stop"); })),
               Contains("unknown property 'fault_policy' in the zone (did you mean 'fault-policy'?)"));
    CHECK_THAT(reject(zone_with([](FdtBuilder& f) { f.u32("watchdog-msec", 100); })),
               Contains("unknown property 'watchdog-msec' in the zone (did you mean 'watchdog-ms'?)"));
    CHECK_THAT(reject(zone_with([](FdtBuilder& f) { f.u32("colour", 3); })),
               Contains("unknown property 'colour' in the zone"));
    CHECK_THAT(reject(zone_with([](FdtBuilder& f) { f.u32("colour", 3); })), !Contains("did you mean"));

    SECTION("in a linux zone") {
        FdtBuilder f = manifest();
        zone(f, "vm", 64 * MiB).node("linux").bytes("kernel", kCode, sizeof kCode).str("bootarg", "quiet").end().end();
        CHECK_THAT(reject(done(f)),
                   Contains("zone 'vm': unknown property 'bootarg' in the linux node (did you mean 'bootargs'?)"));
        FdtBuilder g = manifest();
        zone(g, "vm", 64 * MiB)
            .node("linux")
            .bytes("kernel", kCode, sizeof kCode)
            .bytes("initrdd", kCode, 4)
            .end()
            .end();
        CHECK_THAT(reject(done(g)), Contains("unknown property 'initrdd' in the linux node (did you mean 'initrd'?)"));
        FdtBuilder h = manifest();
        zone(h, "vm", 64 * MiB).node("linux").bytes("kernel", kCode, sizeof kCode);
        h.node("workloads").str("command", "/bin/true").end().end().end();
        CHECK_THAT(reject(done(h)), Contains("unknown node 'workloads' in the linux node (did you mean 'workload'?)"));
    }
    SECTION("a node that is neither image nor linux") {
        FdtBuilder f = manifest();
        zone(f, "alpha").node("linx").end();
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("unknown node 'linx' in the zone (did you mean 'linux'?)"));
    }
    SECTION("in an image node") {
        FdtBuilder f = manifest();
        zone(f, "alpha").node("image").u64("load_address", 0x40000000).bytes("data", kCode, sizeof kCode).end().end();
        CHECK_THAT(reject(done(f)),
                   Contains("unknown property 'load_address' in the image node (did you mean 'load-address'?)"));
    }
    SECTION("at the top") {
        FdtBuilder f;
        f.str("compatible", "bulkhead,manifest-v1");
        f.node("zone").end();
        f.node("zones");
        zone(f, "alpha");
        image(f, 0x40000000).end();
        CHECK_THAT(reject(done(f)), Contains("manifest: unknown node 'zone' in the root node (did you mean 'zones'?)"));
    }
}

TEST_CASE("manifest: name distance", "[manifest]") {
    CHECK(name_distance("privileged", "privileged") == 0);
    CHECK(name_distance("privileged", "privilged") == 1);
    CHECK(name_distance("watchdog-ms", "watchdog-msec") == 2);
    CHECK(name_distance("entry", "etnry") == 1); // two neighbours swapped
    CHECK(name_distance("", "abc") == 3);
}

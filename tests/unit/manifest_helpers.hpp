// SPDX-License-Identifier: GPL-2.0-only
// Helpers for the manifest tests: valid manifests built with libfdt, and
// parsing that expects success or a rejection.
#pragma once

#include <catch2/catch.hpp>

#include <arch/aarch64_platform.hpp>
#include <arch/x86_64_platform.hpp>
#include <bulkhead/manifest.hpp>

#include <memory>
#include <string>
#include <vector>

#include "fdt_builder.hpp"
#include "sizes.hpp"

namespace bh::test {

inline const u8 kCode[16] = {0x00, 0x00, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4};

// Root with the right compatible and /zones opened.
inline FdtBuilder manifest() {
    FdtBuilder f;
    f.str("compatible", "bulkhead,manifest-v1");
    f.node("zones");
    return f;
}

// Closes /zones and the root.
inline std::vector<u8> done(FdtBuilder& f) {
    f.end();
    return f.finish();
}

// Opens a zone node with its two required properties; the caller adds more
// properties, then images, then end()s it.
inline FdtBuilder& zone(FdtBuilder& f, const std::string& name, u64 memory = 2 * MiB, u32 vcpus = 1) {
    return f.node(name).u64("memory-size", memory).u32("vcpus", vcpus);
}

inline FdtBuilder& image(FdtBuilder& f, u64 load, usize len = sizeof kCode, const std::string& node = "image") {
    std::vector<u8> data(len);
    for (usize i = 0; i < len; ++i) data[i] = kCode[i % sizeof kCode];
    return f.node(node).u64("load-address", load).bytes("data", data.data(), len).end();
}

// A complete manifest of one zone: memory at the default base, one image at its start.
inline std::vector<u8> simple(const std::string& name = "alpha") {
    FdtBuilder f = manifest();
    zone(f, name);
    image(f, 0x40000000).end();
    return done(f);
}

struct Parsed {
    bool ok = false;
    Manifest m;
    ManifestError err;
};

// Parsed against the arm64 zone platform unless another is given.
inline std::unique_ptr<Parsed> parse(const std::vector<u8>& blob, u32 cpus = 4,
                                     const ZonePlatform& platform = aarch64::kZonePlatform) {
    auto p = std::make_unique<Parsed>();
    p->ok = parse_manifest(blob.data(), blob.size(), cpus, platform, p->m, p->err);
    return p;
}

// Parses a blob that must be rejected and returns the message.
inline std::string reject(const std::vector<u8>& blob, u32 cpus = 4,
                          const ZonePlatform& platform = aarch64::kZonePlatform) {
    auto p = parse(blob, cpus, platform);
    REQUIRE_FALSE(p->ok);
    std::string msg = p->err.message;
    REQUIRE(msg.rfind("manifest: ", 0) == 0);
    return msg;
}

} // namespace bh::test

// SPDX-License-Identifier: GPL-2.0-only
// Console bytes travel base64-encoded inside JSON.
#include <catch2/catch.hpp>

#include <bulkhead/control/base64.hpp>

using namespace bh::control;

TEST_CASE("base64: RFC 4648 vectors", "[common][base64]") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, coded] : vectors) {
        CHECK(base64_encode(plain) == coded);
        CHECK(base64_decode(coded) == std::string(plain));
    }
}

TEST_CASE("base64: every byte value round-trips", "[common][base64]") {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t len = 0; len <= all.size(); len += 37) {
        std::string part = all.substr(0, len);
        CHECK(base64_decode(base64_encode(part)) == part);
    }
}

TEST_CASE("base64: malformed input is refused", "[common][base64]") {
    for (const char* bad : {"Zg=", "Z===", "Zg==Zg==", "Zm9v!", "A=B=", "====", "Zm 9"}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad).has_value());
    }
}

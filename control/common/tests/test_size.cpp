// SPDX-License-Identifier: GPL-2.0-only
// Memory sizes as zonectl --memory takes them and prints them.
#include <catch2/catch.hpp>

#include <bulkhead/control/size.hpp>

using namespace bh::control;

TEST_CASE("size: suffixes are binary, a bare number is bytes", "[common][size]") {
    CHECK(parse_size("256M") == 256ULL << 20);
    CHECK(parse_size("256m") == 256ULL << 20);
    CHECK(parse_size("256MiB") == 256ULL << 20);
    CHECK(parse_size("256MB") == 256ULL << 20);
    CHECK(parse_size("1G") == 1ULL << 30);
    CHECK(parse_size("64K") == 64ULL << 10);
    CHECK(parse_size("2T") == 2ULL << 40);
    CHECK(parse_size("4096") == 4096);
    CHECK(parse_size("4096B") == 4096);
    CHECK(parse_size("1.5G") == 3ULL << 29);
    CHECK(parse_size("0.5M") == 512ULL << 10);
    CHECK(parse_size("0") == 0);
}

TEST_CASE("size: what is not a size", "[common][size]") {
    for (const char* bad : {"", "M", "-1M", "1X", "1MM", "1 M", "1.M5", "1.", ".", "0.3", "1.0000001K", "1Mi",
                            "99999999999999999999", "20000000000000000000K", "17E"}) {
        INFO(bad);
        CHECK_FALSE(parse_size(bad).has_value());
    }
    CHECK(parse_size("1.") == std::nullopt);
}

TEST_CASE("size: formatting", "[common][size]") {
    CHECK(format_size(256ULL << 20) == "256M");
    CHECK(format_size(1ULL << 30) == "1G");
    CHECK(format_size(1536ULL << 20) == "1536M");
    CHECK(format_size(1000) == "1000");
    CHECK(format_size(0) == "0");
    for (std::uint64_t v : {1ULL, 4096ULL, 3ULL << 29, 12345ULL << 10, 1ULL << 62})
        CHECK(parse_size(format_size(v)) == v);
    CHECK(human_size(256ULL << 20) == "256 MiB");
    CHECK(human_size(3ULL << 29) == "1.5 GiB");
    CHECK(human_size(100) == "100 B");
}

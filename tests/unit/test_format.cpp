// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <bulkhead/log.hpp>
#include <bulkhead/status.hpp>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

using namespace bh;

// Where bh::format implements a printf feature, it must agree with the C library.
#define SAME_AS_PRINTF(...)                                                                                            \
    do {                                                                                                               \
        char ours[160], libc[160];                                                                                     \
        usize n = format(ours, sizeof ours, __VA_ARGS__);                                                              \
        int m = std::snprintf(libc, sizeof libc, __VA_ARGS__);                                                         \
        INFO("format: " #__VA_ARGS__);                                                                                 \
        CHECK(std::string(ours) == std::string(libc));                                                                 \
        CHECK(n == usize(m));                                                                                          \
    } while (0)

TEST_CASE("format: conversions agree with printf", "[format]") {
    SAME_AS_PRINTF("plain text");
    SAME_AS_PRINTF("%s|%s", "abc", "");
    SAME_AS_PRINTF("%c%c%c", 'x', 'y', '!');
    SAME_AS_PRINTF("%d %d %d %d", 0, 42, -42, INT_MAX);
    SAME_AS_PRINTF("%d", INT_MIN);
    SAME_AS_PRINTF("%i %i", -1, 7);
    SAME_AS_PRINTF("%u %u", 0u, UINT_MAX);
    SAME_AS_PRINTF("%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
    SAME_AS_PRINTF("%#x %#llx", 0x2au, 0xffffffff00000000ull);
    SAME_AS_PRINTF("%llx %llu %lld", ~0ull, ~0ull, LLONG_MIN);
    SAME_AS_PRINTF("%lu %ld %lx", ULONG_MAX, LONG_MIN, 0x123456789abcdefUL);
    SAME_AS_PRINTF("%zu %zx", size_t(12345), size_t(0xabc));
    SAME_AS_PRINTF("[%08x] [%8x] [%2x] [%016llx]", 0xbeefu, 0xbeefu, 0xbeefu, 0x1234ull);
    SAME_AS_PRINTF("[%05d] [%05d] [%03d] [%010d]", 42, -42, -12345, INT_MIN);
    SAME_AS_PRINTF("[%5u] [%1u] [%05u]", 7u, 123u, 0u);
    SAME_AS_PRINTF("[%8s] [%2s]", "abc", "abcdef");
    SAME_AS_PRINTF("100%% sure %%d");
    SAME_AS_PRINTF("%s=%d, %s=%#x", "a", 1, "b", 0x10u);
}

TEST_CASE("format: %p, NULL strings and unknown conversions", "[format]") {
    char buf[64];
    const char* volatile null_str = nullptr;
    CHECK(format(buf, sizeof buf, "%s", null_str) == 6);
    CHECK(std::string(buf) == "(null)");
    format(buf, sizeof buf, "%p", reinterpret_cast<void*>(0x1234abcd));
    CHECK(std::string(buf) == "0x1234abcd");
    format(buf, sizeof buf, "%p", static_cast<void*>(nullptr));
    CHECK(std::string(buf) == "0x0");
    const char* padded = "%016p"; // not a literal: printf forbids '0' with %p, bh::format pads the digits
    format(buf, sizeof buf, padded, reinterpret_cast<void*>(0xabc));
    CHECK(std::string(buf) == "0x0000000000000abc");
    // An unsupported conversion is printed as it stands rather than consuming an argument.
    const char* f = "a%qb";
    format(buf, sizeof buf, f);
    CHECK(std::string(buf) == "a%qb");
    // A lone % at the end stops formatting.
    f = "abc%";
    CHECK(format(buf, sizeof buf, f) == 3);
    CHECK(std::string(buf) == "abc");
    f = "abc%08l";
    CHECK(format(buf, sizeof buf, f) == 3);
    CHECK(std::string(buf) == "abc");
}

TEST_CASE("format: INT_MIN and LLONG_MIN", "[format]") {
    char buf[64];
    format(buf, sizeof buf, "%d", INT_MIN);
    CHECK(std::string(buf) == "-2147483648");
    format(buf, sizeof buf, "%ld", LONG_MIN);
    CHECK(std::string(buf) == "-9223372036854775808");
    format(buf, sizeof buf, "%lld", LLONG_MIN);
    CHECK(std::string(buf) == "-9223372036854775808");
    // %d reads an int even when a 64-bit value was intended: only the low half counts.
    format(buf, sizeof buf, "%d %d", -1, 5);
    CHECK(std::string(buf) == "-1 5");
}

TEST_CASE("format: truncation", "[format]") {
    char buf[16];
    SECTION("always NUL-terminated, returns what was written") {
        std::memset(buf, 'Z', sizeof buf);
        CHECK(format(buf, 6, "hello world") == 5);
        CHECK(std::string(buf) == "hello");
        CHECK(buf[6] == 'Z'); // nothing written past size
    }
    SECTION("exact fit") {
        CHECK(format(buf, 6, "%s", "hello") == 5);
        CHECK(std::string(buf) == "hello");
        CHECK(format(buf, 5, "%s", "hello") == 4);
        CHECK(std::string(buf) == "hell");
    }
    SECTION("truncated inside a number") {
        CHECK(format(buf, 4, "%d", -123456) == 3);
        CHECK(std::string(buf) == "-12");
        CHECK(format(buf, 8, "x=%#010x", 0x1u) == 7);
        CHECK(std::string(buf) == "x=0x000");
    }
    SECTION("size one: just the terminator") {
        buf[0] = 'Z';
        CHECK(format(buf, 1, "abc %d", 5) == 0);
        CHECK(buf[0] == '\0');
    }
    SECTION("size zero: nothing written") {
        buf[0] = 'Z';
        CHECK(format(buf, 0, "abc") == 0);
        CHECK(buf[0] == 'Z');
        CHECK(format(nullptr, 0, "abc %s", "def") == 0);
    }
    SECTION("huge width is clipped, not overrun") {
        std::memset(buf, 'Z', sizeof buf);
        CHECK(format(buf, 10, "%0200d", 7) == 9);
        CHECK(std::string(buf) == "000000000");
        CHECK(buf[10] == 'Z');
    }
}

TEST_CASE("format: space padding of negative numbers", "[format][bug]") {
    // Regression, fixed (hypervisor/core/format.cpp, case 'd'): the sign is written
    // before the space padding, "-  42" instead of printf's "  -42".
    //
    char buf[32];
    format(buf, sizeof buf, "[%5d]", -42);
    CHECK(std::string(buf) == "[  -42]");
}

TEST_CASE("format: status names", "[format]") {
    CHECK(std::string(status_name(Status::ok)) == "ok");
    CHECK(std::string(status_name(Status::no_memory)) == "out of memory");
    CHECK(std::string(status_name(Status::busy)) == "busy");
    CHECK(std::string(status_name(static_cast<Status>(-99))) == "unknown status");
    CHECK(static_cast<long>(Status::invalid_argument) == BH_ERR_INVALID_ARGUMENT);
    CHECK(static_cast<long>(Status::not_supported) == -1);
}

// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <bulkhead/tag_allocator.hpp>

#include <set>
#include <thread>
#include <vector>

using namespace bh;

TEST_CASE("tag allocator: lowest free tag, never 0, within the limit", "[tags]") {
    TagAllocator<256> t;
    CHECK(t.alloc(4) == 1);
    CHECK(t.alloc(4) == 2);
    CHECK(t.alloc(4) == 3);
    CHECK(t.alloc(4) == 0); // the CPU has tags 0-3 only; 0 is not given
    t.free(2);
    CHECK(t.in_use() == 2);
    CHECK(t.alloc(4) == 2); // reused
    t.free(0);              // harmless
    t.free(999);            // harmless
    CHECK(t.in_use() == 3);
    CHECK(t.alloc(1000) == 4); // a limit above the capacity is the capacity
}

TEST_CASE("tag allocator: all tags, then none", "[tags]") {
    TagAllocator<128> t;
    for (u32 i = 1; i < 128; ++i) REQUIRE(t.alloc(128) == i);
    CHECK(t.alloc(128) == 0);
    t.free(64);
    CHECK(t.alloc(128) == 64);
}

TEST_CASE("tag allocator: no tag is handed out twice across threads", "[tags]") {
    TagAllocator<256> t;
    std::vector<std::vector<u32>> got(4);
    std::vector<std::thread> ts;
    for (int k = 0; k < 4; ++k)
        ts.emplace_back([&, k] {
            for (int i = 0; i < 60; ++i) got[k].push_back(t.alloc(256));
        });
    for (auto& th : ts) th.join();
    std::set<u32> all;
    for (auto& v : got)
        for (u32 x : v) {
            CHECK(x != 0);
            all.insert(x);
        }
    CHECK(all.size() == 240);
}

// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <bulkhead/spinlock.hpp>

#include <cstring>
#include <thread>
#include <type_traits>
#include <vector>

using namespace bh;

TEST_CASE("spinlock: lock, unlock, is_locked", "[spinlock]") {
    Spinlock l{LockLevel::zone};
    CHECK_FALSE(l.is_locked());
    l.lock();
    CHECK(l.is_locked());
    l.unlock();
    CHECK_FALSE(l.is_locked());
    // Tickets keep working after many rounds.
    for (int i = 0; i < 1000; ++i) {
        l.lock();
        l.unlock();
    }
    CHECK_FALSE(l.is_locked());
    {
        LockGuard g(l);
        CHECK(l.is_locked());
    }
    CHECK_FALSE(l.is_locked());
}

TEST_CASE("spinlock: ticket counters wrap around", "[spinlock]") {
    // The lock is two u32 counters (next ticket, now serving); start both
    // just below 2^32 so that taking the lock makes them wrap.
    static_assert(sizeof(Spinlock) == 3 * sizeof(u32) && !std::is_copy_constructible_v<Spinlock>);
    Spinlock l{LockLevel::zone};
    const u32 near_wrap[2] = {0xfffffffeu, 0xfffffffeu};
    std::memcpy(static_cast<void*>(&l), near_wrap, sizeof near_wrap);
    CHECK_FALSE(l.is_locked());
    for (int i = 0; i < 4; ++i) {
        l.lock(); // would spin forever if a wrapped ticket were mishandled
        CHECK(l.is_locked());
        l.unlock();
        CHECK_FALSE(l.is_locked());
    }
    u32 now[2];
    std::memcpy(now, static_cast<const void*>(&l), sizeof now);
    CHECK(now[0] == 2);
    CHECK(now[1] == 2);
}

TEST_CASE("spinlock: mutual exclusion between threads", "[spinlock]") {
    Spinlock l{LockLevel::zone};
    long counter = 0; // deliberately not atomic: only the lock protects it
    constexpr int kThreads = 4, kRounds = 50000;
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < kRounds; ++i) {
                LockGuard g(l);
                long v = counter;
                counter = v + 1;
            }
        });
    for (auto& t : ts) t.join();
    CHECK(counter == long(kThreads) * kRounds);
    CHECK_FALSE(l.is_locked());
}

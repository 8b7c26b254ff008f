// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <bulkhead/intrusive_list.hpp>

#include <vector>

using namespace bh;

namespace {

struct Item {
    int id = 0;
    int prio = 0;
    ListNode run;   // run queue
    ListNode other; // a second list the same object can be on
};

using RunQueue = IntrusiveList<Item, &Item::run>;
using OtherList = IntrusiveList<Item, &Item::other>;

template <class L>
std::vector<int> ids(L& l) {
    std::vector<int> v;
    l.for_each([&](Item& i) { v.push_back(i.id); });
    return v;
}

} // namespace

TEST_CASE("intrusive list: empty", "[list]") {
    RunQueue q;
    CHECK(q.empty());
    CHECK(q.size() == 0);
    CHECK(q.front() == nullptr);
    CHECK(q.pop_front() == nullptr);
    CHECK(ids(q).empty());
}

TEST_CASE("intrusive list: FIFO order", "[list]") {
    Item it[4];
    RunQueue q;
    for (int i = 0; i < 4; ++i) {
        it[i].id = i;
        q.push_back(it[i]);
        CHECK(q.size() == unsigned(i + 1));
    }
    CHECK_FALSE(q.empty());
    CHECK(ids(q) == std::vector<int>{0, 1, 2, 3});
    CHECK(q.front() == &it[0]);
    for (int i = 0; i < 4; ++i) {
        Item* p = q.pop_front();
        REQUIRE(p == &it[i]);
        CHECK_FALSE(p->run.linked());
        CHECK_FALSE(q.contains(*p));
    }
    CHECK(q.empty());
    CHECK(q.size() == 0);
    // Popped items can go back in.
    q.push_back(it[2]);
    q.push_back(it[0]);
    CHECK(ids(q) == std::vector<int>{2, 0});
}

TEST_CASE("intrusive list: push_front", "[list]") {
    Item it[3];
    RunQueue q;
    for (int i = 0; i < 3; ++i) it[i].id = i;
    q.push_front(it[0]);
    q.push_front(it[1]);
    q.push_back(it[2]);
    CHECK(ids(q) == std::vector<int>{1, 0, 2});
    CHECK(q.front() == &it[1]);
    CHECK(q.size() == 3);
}

TEST_CASE("intrusive list: remove", "[list]") {
    Item it[5];
    RunQueue q;
    for (int i = 0; i < 5; ++i) {
        it[i].id = i;
        q.push_back(it[i]);
    }
    q.remove(it[2]); // middle
    CHECK(ids(q) == std::vector<int>{0, 1, 3, 4});
    q.remove(it[0]); // front
    CHECK(ids(q) == std::vector<int>{1, 3, 4});
    q.remove(it[4]); // back
    CHECK(ids(q) == std::vector<int>{1, 3});
    CHECK(q.size() == 2);
    CHECK_FALSE(it[2].run.linked());
    CHECK(it[1].run.linked());
    CHECK(q.contains(it[3]));
    CHECK_FALSE(q.contains(it[4]));
    // Removing an unlinked item changes nothing, the count included.
    q.remove(it[2]);
    q.remove(it[2]);
    CHECK(q.size() == 2);
    CHECK(ids(q) == std::vector<int>{1, 3});
    // Back then forth: the list is consistent in both directions.
    q.push_back(it[0]);
    q.remove(it[1]);
    q.remove(it[3]);
    CHECK(ids(q) == std::vector<int>{0});
    CHECK(q.pop_front() == &it[0]);
    CHECK(q.empty());
}

TEST_CASE("intrusive list: insert_sorted keeps FIFO order among equal keys", "[list]") {
    Item it[7];
    int prio[7] = {5, 1, 5, 3, 1, 9, 5};
    RunQueue q;
    auto key = [](const Item& i) { return i.prio; };
    for (int i = 0; i < 7; ++i) {
        it[i].id = i;
        it[i].prio = prio[i];
        q.insert_sorted(it[i], key);
    }
    CHECK(ids(q) == std::vector<int>{1, 4, 3, 0, 2, 6, 5});
    CHECK(q.size() == 7);
    // A re-queued item goes behind its equals.
    q.remove(it[0]);
    q.insert_sorted(it[0], key);
    CHECK(ids(q) == std::vector<int>{1, 4, 3, 2, 6, 0, 5});
    // Lowest key first; a new lowest goes to the front.
    Item lowest;
    lowest.id = 42;
    lowest.prio = -1;
    q.insert_sorted(lowest, key);
    CHECK(q.front() == &lowest);
}

TEST_CASE("intrusive list: for_each may remove the current item", "[list]") {
    Item it[6];
    RunQueue q;
    for (int i = 0; i < 6; ++i) {
        it[i].id = i;
        q.push_back(it[i]);
    }
    std::vector<int> seen;
    q.for_each([&](Item& i) {
        seen.push_back(i.id);
        if (i.id % 2 == 0) q.remove(i);
    });
    CHECK(seen == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(ids(q) == std::vector<int>{1, 3, 5});
    CHECK(q.size() == 3);
    q.for_each([&](Item& i) { q.remove(i); });
    CHECK(q.empty());
    CHECK(q.size() == 0);
}

TEST_CASE("intrusive list: one object on two lists", "[list]") {
    Item it[3];
    RunQueue q;
    OtherList o;
    for (int i = 0; i < 3; ++i) {
        it[i].id = i;
        q.push_back(it[i]);
        o.push_front(it[i]);
    }
    CHECK(ids(q) == std::vector<int>{0, 1, 2});
    CHECK(ids(o) == std::vector<int>{2, 1, 0});
    q.remove(it[1]);
    CHECK(ids(q) == std::vector<int>{0, 2});
    CHECK(ids(o) == std::vector<int>{2, 1, 0});
    CHECK(o.contains(it[1]));
    CHECK_FALSE(q.contains(it[1]));
}

TEST_CASE("intrusive list: remove through a list the item is not on", "[list][bug]") {
    // Regression, fixed (intrusive_list.hpp, remove): remove() only checks that the
    // node is linked, not that it is linked into *this* list. When two lists
    // share one node member -- PerCpu::runq and PerCpu::sleepers both use
    // Vcpu::node, and scheduler.cpp detach() calls runq.remove(v) then
    // sleepers.remove(v) -- removing a sleeper through runq unlinks it from
    // sleepers but decrements runq's count (wrapping below zero) and leaves
    // sleepers' count too high. Fix: record the owning list in ListNode
    // (set in insert_before, checked in remove), or have callers remove
    // from the list the vCPU's state says it is on.
    Item a, b;
    a.id = 1;
    b.id = 2;
    RunQueue runq, sleepers;
    runq.push_back(a);
    sleepers.push_back(b);
    runq.remove(b);
    sleepers.remove(b);
    CHECK(runq.size() == 1);
    CHECK(sleepers.size() == 0);
    CHECK(ids(runq) == std::vector<int>{1});
}

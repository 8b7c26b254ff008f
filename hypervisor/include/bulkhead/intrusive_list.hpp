// SPDX-License-Identifier: GPL-2.0-only
// Doubly linked intrusive list: no allocation, O(1) insert and removal,
// which is what run queues and sleeper lists on the exit path need.
#pragma once

namespace bh {

struct ListNode {
    ListNode* prev = nullptr;
    ListNode* next = nullptr;
    void* owner = nullptr;      // the object that embeds this node
    const void* list = nullptr; // the list it is on
    bool linked() const { return next != nullptr; }
};

template <class T, ListNode T::*Node>
class IntrusiveList {
  public:
    constexpr IntrusiveList() : head_{&head_, &head_, nullptr} {}
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return head_.next == &head_; }
    unsigned size() const { return size_; }

    void push_back(T& item) { insert_before(head_, item); }
    void push_front(T& item) { insert_before(*head_.next, item); }

    // Inserts keeping the list sorted by key(item) ascending; equal keys keep FIFO order.
    template <class Key>
    void insert_sorted(T& item, Key key) {
        ListNode* pos = head_.next;
        while (pos != &head_ && !(key(item) < key(*owner(pos)))) pos = pos->next;
        insert_before(*pos, item);
    }

    T* front() { return empty() ? nullptr : owner(head_.next); }
    T* pop_front() {
        T* t = front();
        if (t) remove(*t);
        return t;
    }
    bool contains(const T& item) const {
        for (const ListNode* n = head_.next; n != &head_; n = n->next)
            if (n == &(item.*Node)) return true;
        return false;
    }
    // Removes the item if it is on this list; otherwise does nothing (items
    // that can be on one of several lists sharing a node may be removed from
    // each without knowing which).
    void remove(T& item) {
        ListNode& n = item.*Node;
        if (!n.linked() || n.list != this) return;
        n.prev->next = n.next;
        n.next->prev = n.prev;
        n.prev = n.next = nullptr;
        n.list = nullptr;
        --size_;
    }
    template <class F>
    void for_each(F f) {
        for (ListNode* n = head_.next; n != &head_;) {
            ListNode* next = n->next; // f may remove the item
            f(*owner(n));
            n = next;
        }
    }

  private:
    static T* owner(ListNode* n) { return static_cast<T*>(n->owner); }
    void insert_before(ListNode& pos, T& item) {
        ListNode& n = item.*Node;
        n.owner = &item;
        n.list = this;
        n.next = &pos;
        n.prev = pos.prev;
        pos.prev->next = &n;
        pos.prev = &n;
        ++size_;
    }

    ListNode head_;
    unsigned size_ = 0;
};

} // namespace bh

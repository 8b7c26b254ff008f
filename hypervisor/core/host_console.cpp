// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/atomic.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/spinlock.hpp>

#include <arch/console.hpp>

namespace bh::host_console {
namespace {

// 256 KiB: half a minute of output at 115200 baud, and room for two zones'
// whole console bursts (LogBudget).
constexpr u64 kSize = u64(256) << 10;
char ring[kSize];
Atomic<u64> head{0}; // bytes ever appended (changed under `lock`)
Atomic<u64> tail{0}; // bytes ever written to the UART (changed under `lock`)
Spinlock lock{LockLevel::console};
Atomic<bool> draining{false};

void put(const char* s, usize n) {
    u64 h = head.load(MemoryOrder::relaxed);
    for (usize i = 0; i < n; ++i) ring[(h + i) % kSize] = s[i];
    head.store(h + n);
}

// Writes until the ring is empty, the UART is full (unless `wait`), or
// `budget` bytes went out.
void write_out(bool wait, u64 budget) {
    while (budget) {
        u64 from, to;
        {
            LockGuard g(lock);
            from = tail.load(MemoryOrder::relaxed);
            to = head.load(MemoryOrder::relaxed);
        }
        if (from == to) return;
        // The contiguous part up to the ring's end.
        u64 n = to - from;
        u64 off = from % kSize;
        if (n > kSize - off) n = kSize - off;
        if (n > budget) n = budget;
        usize done = arch::console_write_some(ring + off, n, wait);
        {
            LockGuard g(lock);
            tail.store(from + done);
        }
        if (done < n && !wait) return; // the UART is full: later
        budget -= done;
    }
}

} // namespace

bool write_line(const char* prefix, const char* text, usize len, Priority p) {
    usize plen = 0;
    while (prefix[plen]) ++plen;
    bool newline = len == 0 || text[len - 1] != '\n';
    u64 need = plen + len + (newline ? 1 : 0);
    for (;;) {
        {
            LockGuard g(lock);
            if (head.load(MemoryOrder::relaxed) - tail.load(MemoryOrder::relaxed) + need <= kSize) {
                put(prefix, plen);
                put(text, len);
                if (newline) put("\n", 1);
                break;
            }
        }
        if (p == Priority::zone || need > kSize) return false;
        flush(); // the hypervisor's own lines are never lost: make room
    }
    drain();
    return true;
}

void drain(u64 max_bytes) {
    // A peek without the lock: a stale answer only delays output to the next call.
    if (head.load() == tail.load()) return;
    if (draining.exchange(true)) return;
    write_out(false, max_bytes);
    draining.store(false);
}

void flush() {
    while (draining.exchange(true)) arch::cpu_relax();
    write_out(true, ~u64(0));
    draining.store(false);
}

u64 pending() {
    LockGuard g(lock);
    return head.load() - tail.load();
}

} // namespace bh::host_console

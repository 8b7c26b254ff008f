// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/atomic.hpp>
#include <bulkhead/console_input.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {
namespace {
// The arch's receive interrupt is masked, waiting for room. Whoever clears
// it (exchange) unmasks: exactly once per hold.
Atomic<bool> held{false};
} // namespace

bool console_input_room() {
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    Zone* z = t.console_zone(g.held());
    return !z || z->has_ended() || z->console.received_count() < ZoneConsole::kRxFifo;
}

void console_input(char c) {
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    if (Zone* z = t.console_zone(g.held()); z && !z->has_ended()) (void)z->console.receive(c);
}

void console_input_hold() {
    held.store(true);
    // Room that appeared between the check and the store found `held`
    // false: look again, so that no wake-up is lost.
    if (console_input_room()) console_input_release();
}

void console_input_taken() {
    if (held.load(MemoryOrder::relaxed)) console_input_release();
}

void console_input_release() {
    if (held.exchange(false)) arch::console_input_resume();
}

} // namespace bh

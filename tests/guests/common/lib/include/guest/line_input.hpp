// SPDX-License-Identifier: GPL-2.0-only
// A line typed on the host console, as the console-input tests of both
// architectures collect it from their UART's receive interrupt and check it.
#pragma once

#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

namespace bh::test {

class LineInput {
  public:
    // One received character; a carriage return or newline ends a non-empty line.
    void feed(char c) {
        if (c == '\r' || c == '\n') {
            if (len_) done_ = 1;
        } else if (len_ + 1 < sizeof line_) {
            line_[len_] = c;
            len_ = len_ + 1;
        }
    }
    bool done() const { return done_ != 0; }

    // Tells the runner to type, then waits (interrupts on) for the line; a
    // 100 Hz tick bounds the wait even if no input ever comes.
    void await_line(u64 max_ms) {
        print("console-input: ready, type a line\n");
        timer::start_periodic(timer::frequency() / 100);
        u64 give_up = timer::counter() + timer::ms_to_ticks(max_ms);
        while (!done() && timer::counter() < give_up) wfi();
        timer::stop_periodic();
    }

    // Reports and checks the line against `expected` after `interrupts`.
    void check(const char* expected, u32 interrupts) {
        line_[len_] = '\0';
        print("console-input: got '%s' after %u interrupt(s)\n", line_, interrupts);
        test::check(done(), "no complete line arrived");
        test::check(interrupts > 0, "the receive interrupt never fired");
        u32 n = 0;
        while (expected[n]) ++n;
        bool same = n == len_;
        for (u32 i = 0; same && i < n; ++i) same = line_[i] == expected[i];
        test::check(same, "expected '%s'", expected);
    }

  private:
    char line_[64] = {};
    volatile u32 len_ = 0;
    volatile u32 done_ = 0;
};

} // namespace bh::test

// SPDX-License-Identifier: GPL-2.0-only
// bulkhead-fake-zone STATE_DIR HANDLE: one fake zone, started by
// FakeHypervisor::start() (fake_spawn.cpp) with its console's listening
// socket on fd 3 and its `alive` lock on fd 4. It runs the zone's workload
// script, serving the console to one backend at a time (the next is
// accepted once that one has gone, as a real zone's I/O fd serves one
// backend; zoned re-attaches to a backend that outlived it), records how the zone
// ended, and then stays until the console output it still holds has been
// read, as a real zone's console ring keeps bytes until its backend takes
// them or the zone is destroyed.
#include "console_server.hpp"

#include <bulkhead/zoned/fake_script.hpp>
#include <bulkhead/zoned/fake_state.hpp>

#include <chrono>
#include <cstdio>
#include <signal.h>
#include <unistd.h>

using namespace bh::zoned;
using namespace bh::zoned::fake;

namespace {

constexpr int kListenFd = 3;
constexpr int kAliveFd = 4;
constexpr std::size_t kConsoleRing = 64 * 1024; // output held before the workload waits

using Clock = std::chrono::steady_clock;

void run_workload(Script& script, ConsoleServer& console, ZoneEnd& end) {
    for (;;) {
        while (console.pending() > kConsoleRing) console.poll_once(-1); // a full ring: the zone waits
        Step step = script.next();
        switch (step.kind) {
        case Step::Kind::output:
            console.write(step.text);
            console.poll_once(0);
            break;
        case Step::Kind::sleep:
            if (!step.seconds) {
                for (;;) console.poll_once(-1); // until stopped
            } else {
                auto deadline = Clock::now() + std::chrono::duration<double>(*step.seconds);
                for (auto now = Clock::now(); now < deadline; now = Clock::now()) {
                    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
                    console.poll_once(static_cast<int>(left));
                }
            }
            break;
        case Step::Kind::echo_input:
            while (!console.echo_input_until_eot()) console.poll_once(-1);
            break;
        case Step::Kind::end: end = step.end; return;
        }
    }
}

void record_end(FakeState& state, ZoneHandle handle, const ZoneEnd& end) {
    auto guard = state.lock();
    auto zone = state.find(handle);
    if (!zone) return;                                                                           // destroyed meanwhile
    if (zone->status.state != HvState::running && zone->status.state != HvState::paused) return; // stopped first
    bool crashed = end.reason == bh::control::ExitReason::psci_reset ||
                   end.reason == bh::control::ExitReason::bad_state || end.reason == bh::control::ExitReason::fault;
    zone->status = HvStatus{crashed ? HvState::crashed : HvState::exited, end.reason, end.code};
    state.save(*zone);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: bulkhead-fake-zone STATE_DIR HANDLE (started by zoned's fake hypervisor)\n");
        return 2;
    }
    ::signal(SIGPIPE, SIG_IGN);
    try {
        FakeState state(argv[1]);
        ZoneHandle handle = std::stoull(argv[2]);
        std::optional<FakeZone> zone;
        {
            auto guard = state.lock();
            zone = state.find(handle);
        }
        if (!zone) return 1;
        ConsoleServer console(kListenFd);
        Script script(zone->argv, zone->env);
        ZoneEnd end;
        run_workload(script, console, end);
        record_end(state, handle, end);
        state.post_event(handle);
        while (console.pending() > 0) console.poll_once(-1);
        // Dead before the console's socket closes: whoever finds it closed
        // (a backend connecting just now) also finds the zone gone, and
        // takes its console as ended rather than broken.
        ::close(kAliveFd);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-fake-zone: %s\n", e.what());
        return 1; // the zone shows as crashed: its process died without an end
    }
}

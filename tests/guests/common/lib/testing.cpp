// SPDX-License-Identifier: GPL-2.0-only
// Verdicts and zone exit, for every architecture. Exactly one verdict line per zone: the first vCPU
// to decide prints it and ends the zone; any other vCPU that tries to decide
// afterwards just parks, because the zone is going away.
#include <guest/console.hpp>
#include <guest/format.hpp>
#include <guest/hypercall.hpp>
#include <guest/platform.hpp>
#include <guest/testing.hpp>

namespace bh::test {
namespace {

const char* volatile current_name = "unnamed";
volatile u32 failure_count;
platform::Lock verdict_lock;
volatile u32 decided_by; // vCPU index + 1 of the vCPU that printed the verdict

const char* verdict_text(Verdict v) {
    switch (v) {
    case Verdict::success: return "SUCCESS";
    case Verdict::skip: return "SKIP";
    case Verdict::failure: return "FAILURE";
    case Verdict::error: return "ERROR";
    case Verdict::crash: return "CRASH";
    }
    return "ERROR";
}

[[noreturn]] void park() {
    for (;;) wfi();
}

[[noreturn]] void verdict(Verdict v, u64 code) {
    u32 me = this_vcpu() + 1;
    if (decided_by == me) exit_zone(code); // crashed while printing the verdict
    verdict_lock.lock();
    bool first = decided_by == 0;
    if (first) decided_by = me;
    verdict_lock.unlock();
    if (!first) park();
    print("BULKHEAD-TEST %s: %s\n", current_name, verdict_text(v));
    exit_zone(code);
}

[[noreturn]] void with_reason(Verdict v, u64 code, const char* fmt, va_list ap) {
    char buf[160];
    vformat(buf, sizeof buf, fmt, ap);
    print("%s: %s\n", v == Verdict::skip ? "skipped" : "reason", buf);
    verdict(v, code);
}

} // namespace

void begin(const char* test_name) { current_name = test_name; }
const char* name() { return current_name; }
u32 failures() { return failure_count; }

bool check(bool ok, const char* fmt, ...) {
    if (ok) return true;
    failure_count = failure_count + 1; // racy across vCPUs, but never back to 0
    char buf[192];
    va_list ap;
    va_start(ap, fmt);
    vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    print("FAIL: %s\n", buf);
    return false;
}

void finish() {
    if (failure_count == 0) verdict(Verdict::success, 0);
    print("%u expectation(s) failed\n", failure_count);
    verdict(Verdict::failure, kExitFailure);
}

void success() { verdict(Verdict::success, 0); }

void skip(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    with_reason(Verdict::skip, 0, fmt, ap);
}

void fail(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    with_reason(Verdict::failure, kExitFailure, fmt, ap);
}

void error(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    with_reason(Verdict::error, kExitError, fmt, ap);
}

void crash() { verdict(Verdict::crash, kExitCrash); }

void exit_zone(u64 code) {
    hc::zone_exit(code);
    platform::power_off_bare(); // no hypervisor took the exit
    park();
}

} // namespace bh::test

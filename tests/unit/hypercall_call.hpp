// SPDX-License-Identifier: GPL-2.0-only
// Making a hypercall in a unit test the way a zone makes it: through
// handle_hypercall, re-executed with the updated arguments while the
// hypervisor asks for a restart (long management calls work in steps).
#pragma once

#include <catch2/catch.hpp>

#include <bulkhead/hypercall.hpp>

namespace bh::test {

struct Call {
    HypercallResult result;
    unsigned restarts = 0;
};

inline HypercallArgs args(u64 fn, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0) {
    HypercallArgs a;
    a.fn = fn;
    a.arg[0] = a0;
    a.arg[1] = a1;
    a.arg[2] = a2;
    a.arg[3] = a3;
    return a;
}

inline Call call(Vcpu& caller, u64 fn, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0) {
    HypercallArgs a = args(fn, a0, a1, a2, a3);
    Call c;
    for (;;) {
        c.result = handle_hypercall(caller, a);
        if (!c.result.restart) return c;
        REQUIRE(c.result.again.fn == fn);
        a = c.result.again;
        ++c.restarts;
        REQUIRE(c.restarts < 10000);
    }
}

inline Status status(const Call& c) { return c.result.status; }

} // namespace bh::test

// SPDX-License-Identifier: GPL-2.0-only
// Typed wrappers for the Bulkhead hypercalls on x86-64: VMMCALL (AMD SVM)
// or VMCALL (Intel VMX), as CPUID leaf 0x40000001 says, with the function
// ID in RAX, arguments in RDI, RSI, RDX, R10, R8, R9; status in RAX,
// results in RDI, RSI, RDX, R10 (docs/hypercalls.md).
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <guest/types.hpp>

namespace bh {

struct HcResult {
    i64 status;
    u64 r1, r2, r3, r4;
};
using SmcccResult = HcResult; // the name the arm64 test sources use

// The raw call; fn may be any value (unknown-ID tests).
HcResult hypercall(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0, u64 a5 = 0, u64 a6 = 0);

} // namespace bh

namespace bh::hc {

struct ZoneSelf {
    i64 status;
    u64 handle, vcpu, vcpus, memory_bytes;
};

struct ZoneStatus {
    i64 status;
    u64 state, exit_reason, exit_code, first_frame;
};

inline HcResult call(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0) { return hypercall(fn, a1, a2, a3, a4); }

inline HcResult version() { return call(BH_HC_VERSION); }
inline ZoneSelf zone_self() {
    HcResult r = call(BH_HC_ZONE_SELF);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}
inline i64 yield() { return call(BH_HC_YIELD).status; }
inline i64 zone_exit(u64 code) { return call(BH_HC_ZONE_EXIT, code).status; }
inline HcResult zone_create(const char* name, u64 name_len, u64 memory_bytes, u64 vcpus) {
    return call(BH_HC_ZONE_CREATE, reinterpret_cast<uptr>(name), name_len, memory_bytes, vcpus);
}
inline i64 zone_load(u64 handle, u64 dest_ipa, const void* src, u64 len) {
    return call(BH_HC_ZONE_LOAD, handle, dest_ipa, reinterpret_cast<uptr>(src), len).status;
}
inline i64 zone_set_entry(u64 handle, u64 vcpu, u64 pc, u64 x0) {
    return call(BH_HC_ZONE_SET_ENTRY, handle, vcpu, pc, x0).status;
}
inline i64 zone_start(u64 handle) { return call(BH_HC_ZONE_START, handle).status; }
inline i64 zone_stop(u64 handle) { return call(BH_HC_ZONE_STOP, handle).status; }
inline i64 zone_destroy(u64 handle) { return call(BH_HC_ZONE_DESTROY, handle).status; }
inline ZoneStatus zone_status(u64 handle) {
    HcResult r = call(BH_HC_ZONE_STATUS, handle);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}

inline constexpr u64 manifest_handle(u32 slot) { return (u64(1) << 16) | slot; }

// True when CPUID leaf 0x40000000 carries Bulkhead's signature.
bool in_zone();

} // namespace bh::hc

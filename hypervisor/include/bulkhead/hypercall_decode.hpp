// SPDX-License-Identifier: GPL-2.0-only
// Hypercall decoding: turns raw argument registers into typed requests,
// rejecting anything out of range before any state is touched
// (decode-then-commit). Pure functions, unit-tested on the host.
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {

struct HypercallArgs {
    u64 fn = 0;
    u64 arg[6] = {};
};

struct HypercallResult {
    Status status = Status::ok;
    u64 ret[4] = {};
    // The call is not finished (a step of long work is done): the arch
    // leaves the vCPU on its hypercall instruction with `again` in the
    // argument registers, so the zone re-executes it after whatever
    // interrupts and other vCPUs are due (Xen's hypercall continuations).
    bool restart = false;
    HypercallArgs again;
};

enum class Hypercall : u8 {
    version,
    zone_self,
    yield,
    zone_exit,
    vcpu_on,
    zone_create,
    zone_load,
    zone_set_entry,
    zone_start,
    zone_stop,
    zone_destroy,
    zone_status,
    host_info,
    event_next,
    ioreq_serve,
    ioreq_next,
    ioreq_complete,
    zone_irq,
    zone_map,
    zone_unmap,
    zone_pause,
    zone_resume,
    zone_boot_linux,
    unknown,
};

// Which call a function ID names; `unknown` for IDs outside the table.
Hypercall classify_hypercall(u64 fn);
// True for calls only privileged zones may make.
bool is_management_call(Hypercall h);

// A zone handle: slot in the zone table plus the slot's generation, so that
// a handle to a destroyed zone never names its successor.
struct ZoneHandle {
    u32 slot = 0;
    u32 generation = 0;
    static constexpr u64 kSlotBits = 16;
    constexpr u64 raw() const { return (u64(generation) << kSlotBits) | slot; }
    static constexpr ZoneHandle from_raw(u64 raw) {
        return {static_cast<u32>(raw & ((u64(1) << kSlotBits) - 1)), static_cast<u32>(raw >> kSlotBits)};
    }
};

struct ZoneCreateRequest {
    GuestPhys name_ipa;
    u64 name_len = 0;
    u64 memory_bytes = 0;
    u32 vcpus = 0;
    GuestPhys ram_base; // the platform's default, or its Linux zones' (BH_ZONE_CREATE_LINUX)
};

struct ZoneLoadRequest {
    ZoneHandle zone;
    GuestPhys dest;
    GuestPhys src;
    u64 length = 0;
};

struct ZoneSetEntryRequest {
    ZoneHandle zone;
    u32 vcpu = 0;
    GuestPhys pc;
    u64 x0 = 0;
};

// Starts another vCPU of the caller's own zone (x86 zones' CPU_ON; arm64
// zones may use it or PSCI).
struct VcpuOnRequest {
    u32 vcpu = 0;
    GuestPhys entry;
    u64 arg = 0;
};

// How a zone ends itself: the code and the reason it is recorded under.
struct ZoneExitRequest {
    u64 code = 0;
    u32 reason = BH_EXIT_CALL;
};

inline constexpr u64 kMaxLoadLength = u64(1) << 30;

[[nodiscard]] Status decode_zone_exit(const HypercallArgs& a, ZoneExitRequest& out);
// The log's words for a ZONE_EXIT reason.
const char* zone_exit_reason_text(u32 reason);
[[nodiscard]] Status decode_zone_create(const HypercallArgs& a, ZoneCreateRequest& out);
[[nodiscard]] Status decode_zone_load(const HypercallArgs& a, ZoneLoadRequest& out);
[[nodiscard]] Status decode_zone_set_entry(const HypercallArgs& a, ZoneSetEntryRequest& out);
[[nodiscard]] Status decode_vcpu_on(const HypercallArgs& a, VcpuOnRequest& out);
[[nodiscard]] Status decode_zone_handle(const HypercallArgs& a, ZoneHandle& out);
// Validates a zone name already copied out of guest memory.
[[nodiscard]] Status validate_zone_name(const char* name, u64 len);

} // namespace bh

// SPDX-License-Identifier: GPL-2.0-only
// Typed wrappers for the Bulkhead hypercalls (ABI: bulkhead/abi/hypercall.h),
// for every architecture: the raw call is the arch's guest/hypercall_raw.hpp.
// Each returns the raw status so that tests can check error codes exactly.
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <guest/hypercall_raw.hpp>

namespace bh::hc {

struct ZoneSelf {
    i64 status;
    u64 handle, vcpu, vcpus, memory_bytes;
};

struct ZoneStatus {
    i64 status;
    u64 state, exit_reason, exit_code, first_frame;
};

struct HostInfo {
    i64 status;
    u64 cpus, free_bytes, total_bytes, zones;
};

inline SmcccResult version() { return call(BH_HC_VERSION); }

inline ZoneSelf zone_self() {
    SmcccResult r = call(BH_HC_ZONE_SELF);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}

inline i64 yield() { return call(BH_HC_YIELD).status; }

// Ends the whole zone. Returns only where there is no hypervisor (bare QEMU).
inline i64 zone_exit(u64 code) { return call(BH_HC_ZONE_EXIT, code).status; }
// Starts vCPU `vcpu` of the caller's zone at `entry` with `arg` in x0 / RDI.
inline i64 vcpu_on(u64 vcpu, u64 entry, u64 arg) { return call(BH_HC_VCPU_ON, vcpu, entry, arg).status; }

inline SmcccResult zone_create(const char* name, u64 name_len, u64 memory_bytes, u64 vcpus) {
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
// `desc` is a struct bh_linux_boot followed by its strings, `len` bytes in all.
inline i64 zone_boot_linux(u64 handle, const void* desc, u64 len) {
    return call(BH_HC_ZONE_BOOT_LINUX, handle, reinterpret_cast<uptr>(desc), len).status;
}
inline i64 zone_pause(u64 handle) { return call(BH_HC_ZONE_PAUSE, handle).status; }
inline i64 zone_resume(u64 handle) { return call(BH_HC_ZONE_RESUME, handle).status; }

inline ZoneStatus zone_status(u64 handle) {
    SmcccResult r = call(BH_HC_ZONE_STATUS, handle);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}

inline HostInfo host_info() {
    SmcccResult r = call(BH_HC_HOST_INFO);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}

// The control plane: serving a zone's virtio-mmio slots (docs/hypercalls.md).
struct Event {
    i64 status;
    u64 kind, handle, detail, code;
};
inline Event event_next() {
    SmcccResult r = call(BH_HC_EVENT_NEXT);
    return {r.status, r.r1, r.r2, r.r3, r.r4};
}
inline i64 ioreq_serve(u64 handle, u64 slot) { return call(BH_HC_IOREQ_SERVE, handle, slot).status; }
// Copies the next request into the 32 bytes at `buffer`; r1 = its id.
inline SmcccResult ioreq_next(u64 handle, void* buffer) {
    return call(BH_HC_IOREQ_NEXT, handle, reinterpret_cast<uptr>(buffer));
}
inline i64 ioreq_complete(u64 handle, u64 id, u64 value) {
    return call(BH_HC_IOREQ_COMPLETE, handle, id, value).status;
}
inline i64 zone_irq(u64 handle, u64 line) { return call(BH_HC_ZONE_IRQ, handle, line).status; }
inline i64 zone_map(u64 handle, u64 at) { return call(BH_HC_ZONE_MAP, handle, at).status; }
inline i64 zone_unmap(u64 handle) { return call(BH_HC_ZONE_UNMAP, handle).status; }

// Handles of zones created from the manifest: slot i, generation 1.
inline constexpr u64 manifest_handle(u32 slot) { return (u64(1) << 16) | slot; }

// True when a Bulkhead hypervisor answers (arm64: false on bare QEMU, whose
// firmware returns NOT_SUPPORTED for the vendor range; x86-64: CPUID leaf
// 0x40000000 carries Bulkhead's signature).
bool in_zone();

} // namespace bh::hc

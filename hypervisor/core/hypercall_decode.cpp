// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/manifest.hpp>

#include <arch/zone_platform.hpp>

namespace bh {

Hypercall classify_hypercall(u64 fn) {
    // The function ID is w0; bits in the upper half make the call unknown
    // rather than silently aliasing another call.
    if (fn >> 32) return Hypercall::unknown;
    if ((fn & 0xffff0000u) != BH_HC_BASE) return Hypercall::unknown;
    switch (fn & 0xffffu) {
    case 0x00: return Hypercall::version;
    case 0x01: return Hypercall::zone_self;
    case 0x02: return Hypercall::yield;
    case 0x03: return Hypercall::zone_exit;
    case 0x04: return Hypercall::vcpu_on;
    case 0x10: return Hypercall::zone_create;
    case 0x11: return Hypercall::zone_load;
    case 0x12: return Hypercall::zone_set_entry;
    case 0x13: return Hypercall::zone_start;
    case 0x14: return Hypercall::zone_stop;
    case 0x15: return Hypercall::zone_destroy;
    case 0x16: return Hypercall::zone_status;
    case 0x17: return Hypercall::host_info;
    case 0x18: return Hypercall::event_next;
    case 0x19: return Hypercall::ioreq_serve;
    case 0x1a: return Hypercall::ioreq_next;
    case 0x1b: return Hypercall::ioreq_complete;
    case 0x1c: return Hypercall::zone_irq;
    case 0x1d: return Hypercall::zone_map;
    case 0x1e: return Hypercall::zone_unmap;
    case 0x1f: return Hypercall::zone_pause;
    case 0x20: return Hypercall::zone_resume;
    case 0x21: return Hypercall::zone_boot_linux;
    default: return Hypercall::unknown;
    }
}

bool is_management_call(Hypercall h) {
    switch (h) {
    case Hypercall::zone_create:
    case Hypercall::zone_load:
    case Hypercall::zone_set_entry:
    case Hypercall::zone_start:
    case Hypercall::zone_stop:
    case Hypercall::zone_destroy:
    case Hypercall::zone_status:
    case Hypercall::host_info:
    case Hypercall::event_next:
    case Hypercall::ioreq_serve:
    case Hypercall::ioreq_next:
    case Hypercall::ioreq_complete:
    case Hypercall::zone_irq:
    case Hypercall::zone_map:
    case Hypercall::zone_unmap:
    case Hypercall::zone_pause:
    case Hypercall::zone_resume:
    case Hypercall::zone_boot_linux: return true;
    default: return false;
    }
}

Status decode_zone_handle(const HypercallArgs& a, ZoneHandle& out) {
    if (a.arg[0] == 0 || (a.arg[0] >> 48)) return Status::invalid_argument;
    out = ZoneHandle::from_raw(a.arg[0]);
    if (out.generation == 0) return Status::invalid_argument;
    return Status::ok;
}

Status decode_zone_exit(const HypercallArgs& a, ZoneExitRequest& out) {
    ZoneExitRequest r;
    r.code = a.arg[0];
    switch (a.arg[1]) {
    case BH_EXIT_CODE_PLAIN: r.reason = BH_EXIT_CALL; break;
    case BH_EXIT_CODE_STATUS: r.reason = BH_EXIT_WORKLOAD; break;
    case BH_EXIT_CODE_SIGNAL: r.reason = BH_EXIT_WORKLOAD_SIGNAL; break;
    default: return Status::invalid_argument;
    }
    // A status is 0-255 and a signal 1-64 on every Unix the zones run.
    if (r.reason == BH_EXIT_WORKLOAD && r.code > 255) return Status::invalid_argument;
    if (r.reason == BH_EXIT_WORKLOAD_SIGNAL && (r.code == 0 || r.code > 64)) return Status::invalid_argument;
    out = r;
    return Status::ok;
}

const char* zone_exit_reason_text(u32 reason) {
    switch (reason) {
    case BH_EXIT_WORKLOAD: return "workload exit status";
    case BH_EXIT_WORKLOAD_SIGNAL: return "workload killed by a signal";
    default: return "ZONE_EXIT";
    }
}

Status decode_zone_create(const HypercallArgs& a, ZoneCreateRequest& out) {
    ZoneCreateRequest r;
    r.name_ipa = GuestPhys(a.arg[0]);
    r.name_len = a.arg[1];
    r.memory_bytes = a.arg[2];
    if (r.name_len == 0 || r.name_len > BH_ZONE_NAME_MAX) return Status::invalid_argument;
    if (r.memory_bytes == 0 || !is_aligned(r.memory_bytes, kPageSize) ||
        r.memory_bytes > arch::kZonePlatform.max_memory)
        return Status::invalid_argument;
    u64 vcpus = a.arg[3] & BH_ZONE_CREATE_VCPUS_MASK, flags = a.arg[3] & ~u64(BH_ZONE_CREATE_VCPUS_MASK);
    if (vcpus == 0 || vcpus > BH_ZONE_VCPUS_MAX || (flags & ~u64(BH_ZONE_CREATE_LINUX)))
        return Status::invalid_argument;
    r.vcpus = static_cast<u32>(vcpus);
    r.ram_base =
        flags & BH_ZONE_CREATE_LINUX ? arch::kZonePlatform.linux_ram_base : arch::kZonePlatform.default_ram_base;
    out = r;
    return Status::ok;
}

Status decode_zone_load(const HypercallArgs& a, ZoneLoadRequest& out) {
    ZoneLoadRequest r;
    if (Status s = decode_zone_handle(a, r.zone); s != Status::ok) return s;
    r.dest = GuestPhys(a.arg[1]);
    r.src = GuestPhys(a.arg[2]);
    r.length = a.arg[3];
    if (r.length == 0 || r.length > kMaxLoadLength) return Status::invalid_argument;
    if (r.dest.raw() >= arch::kZonePlatform.guest_phys_limit ||
        r.length > arch::kZonePlatform.guest_phys_limit - r.dest.raw())
        return Status::invalid_argument;
    if (r.src.raw() >= arch::kZonePlatform.guest_phys_limit ||
        r.length > arch::kZonePlatform.guest_phys_limit - r.src.raw())
        return Status::invalid_argument;
    out = r;
    return Status::ok;
}

Status decode_zone_set_entry(const HypercallArgs& a, ZoneSetEntryRequest& out) {
    ZoneSetEntryRequest r;
    if (Status s = decode_zone_handle(a, r.zone); s != Status::ok) return s;
    if (a.arg[1] >= BH_ZONE_VCPUS_MAX) return Status::invalid_argument;
    r.vcpu = static_cast<u32>(a.arg[1]);
    r.pc = GuestPhys(a.arg[2]);
    if (!r.pc.aligned(arch::kZonePlatform.entry_alignment) || r.pc.raw() >= arch::kZonePlatform.guest_phys_limit)
        return Status::invalid_argument;
    r.x0 = a.arg[3];
    out = r;
    return Status::ok;
}

Status decode_vcpu_on(const HypercallArgs& a, VcpuOnRequest& out) {
    VcpuOnRequest r;
    if (a.arg[0] >= BH_ZONE_VCPUS_MAX) return Status::invalid_argument;
    r.vcpu = static_cast<u32>(a.arg[0]);
    r.entry = GuestPhys(a.arg[1]);
    if (!r.entry.aligned(arch::kZonePlatform.entry_alignment) || r.entry.raw() >= arch::kZonePlatform.guest_phys_limit)
        return Status::invalid_argument;
    r.arg = a.arg[2];
    out = r;
    return Status::ok;
}

Status validate_zone_name(const char* name, u64 len) {
    if (len == 0 || len > BH_ZONE_NAME_MAX) return Status::invalid_argument;
    for (u64 i = 0; i < len; ++i) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return Status::invalid_argument;
    }
    return Status::ok;
}

} // namespace bh

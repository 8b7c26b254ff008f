// SPDX-License-Identifier: GPL-2.0-only
// ACPI 6.5: RSDP (5.2.5), RSDT/XSDT (5.2.7, 5.2.8), MADT (5.2.12).
#include "acpi.hpp"

#include <arch/acpi_layout.hpp>
#include <arch/x86.hpp>
#include <bulkhead/log.hpp>

namespace bh::x86_64 {
namespace {

using namespace acpi; // the layouts (acpi_layout.hpp)

bool checksum_ok(const void* p, u64 len) { return acpi::checksum_of(p, len) == 0; }

const Rsdp* scan(u64 start, u64 end) {
    for (u64 a = start; a + 20 <= end; a += 16) {
        const Rsdp* r = reinterpret_cast<const Rsdp*>(a);
        if (__builtin_memcmp(r->signature, "RSD PTR ", 8) == 0 && checksum_ok(r, kRsdpV1Length)) return r;
    }
    return nullptr;
}

const Rsdp* find_rsdp(const void* hint) {
    if (hint) return static_cast<const Rsdp*>(hint);
    u64 ebda = u64(*x86::low_ptr<const u16>(0x40e)) << 4; // BIOS data area
    if (const Rsdp* r = ebda ? scan(ebda, ebda + 1024) : nullptr) return r;
    return scan(0xe0000, 0x100000);
}

const SdtHeader* find_table(const Rsdp* rsdp, const char* sig) {
    bool x = rsdp->revision >= 2 && rsdp->xsdt;
    const SdtHeader* root = reinterpret_cast<const SdtHeader*>(x ? rsdp->xsdt : u64(rsdp->rsdt));
    if (!root || !checksum_ok(root, root->length)) return nullptr;
    u64 entries = (root->length - sizeof(SdtHeader)) / (x ? 8 : 4);
    const u8* p = reinterpret_cast<const u8*>(root + 1);
    for (u64 i = 0; i < entries; ++i) {
        u64 addr = 0;
        __builtin_memcpy(&addr, p + i * (x ? 8 : 4), x ? 8 : 4);
        const SdtHeader* t = reinterpret_cast<const SdtHeader*>(addr);
        if (t && __builtin_memcmp(t->signature, sig, 4) == 0 && checksum_ok(t, t->length)) return t;
    }
    return nullptr;
}

void add_cpu(Madt& m, u32 apic_id, u32 flags) {
    if (!(flags & (kLapicEnabled | kLapicOnlineCapable))) return;
    if (!(flags & kLapicEnabled)) return; // hot-pluggable, absent now
    if (m.cpu_count == kMaxCpus) {
        ++m.cpus_ignored;
        return;
    }
    m.apic_ids[m.cpu_count++] = apic_id;
}

} // namespace

bool acpi_read_madt(const void* hint, Madt& m) {
    const Rsdp* rsdp = find_rsdp(hint);
    if (!rsdp) {
        log("boot: no ACPI RSDP (neither from the boot loader nor in the BIOS areas)");
        return false;
    }
    const SdtHeader* madt = find_table(rsdp, "APIC");
    if (!madt) {
        log("boot: ACPI has no valid MADT");
        return false;
    }
    const u8* p = reinterpret_cast<const u8*>(madt);
    m.lapic_base = *reinterpret_cast<const u32*>(p + sizeof(SdtHeader));
    for (u64 off = sizeof(SdtHeader) + 8; off + 2 <= madt->length;) {
        u8 type = p[off], len = p[off + 1];
        if (len < 2 || off + len > madt->length) break;
        const u8* e = p + off;
        u32 v32;
        switch (type) {
        case kMadtLapic:
            __builtin_memcpy(&v32, e + 4, 4);
            add_cpu(m, e[3], v32);
            break;
        case kMadtX2apic: {
            u32 id, flags;
            __builtin_memcpy(&id, e + 4, 4);
            __builtin_memcpy(&flags, e + 8, 4);
            add_cpu(m, id, flags);
            break;
        }
        case kMadtIoApic:
            if (m.ioapic_count < Madt::kMaxIoApics) {
                __builtin_memcpy(&v32, e + 4, 4);
                m.ioapic_base[m.ioapic_count] = v32;
                __builtin_memcpy(&m.ioapic_gsi_base[m.ioapic_count], e + 8, 4);
                ++m.ioapic_count;
            }
            break;
        case kMadtSourceOverride: // bus 0 (ISA), source IRQ, GSI, flags
            if (e[2] == 0 && e[3] < 16) {
                __builtin_memcpy(&m.isa_gsi[e[3]], e + 4, 4);
                __builtin_memcpy(&m.isa_flags[e[3]], e + 8, 2);
            }
            break;
        case kMadtLapicOverride: __builtin_memcpy(&m.lapic_base, e + 4, 8); break;
        default: break;
        }
        off += len;
    }
    if (m.cpu_count == 0) {
        log("boot: the MADT lists no enabled CPU");
        return false;
    }
    return true;
}

} // namespace bh::x86_64

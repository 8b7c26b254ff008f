// SPDX-License-Identifier: GPL-2.0-only
// x86-64 4-level page-table formats (4 KiB granule) for the generic
// PageTable: the hypervisor's own map and the zones' second stage, which is
// AMD's nested paging (NPT: ordinary long-mode entries) or Intel's EPT. The
// back end is chosen at boot from CPUID, so the second-stage format reads
// one switch; both encodings are checked below against the manuals.
// Pure bit definitions, so host unit tests use them as they are.
#pragma once

#include <bulkhead/mem_attr.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct X86Common {
    static constexpr unsigned kLeafShift = 12;
    static constexpr unsigned kLevels = 4;      // PML4, PDPT, PD, PT: levels 0..3
    static constexpr unsigned kInputBits = 48;  // 4-level paging
    static constexpr unsigned kOutputBits = 52; // MAXPHYADDR's architectural limit
    static constexpr u64 kOutputMask = 0x000ffffffffff000ull;
    static constexpr u64 kLarge = 1u << 7; // PS: a 1 GiB or 2 MiB leaf

    static constexpr bool is_table(u64 d, unsigned level) { return level < 3 && !(d & kLarge); }
    static constexpr HostPhys output(u64 d) { return HostPhys(d & kOutputMask); }
    // 2 MiB leaves only: 1 GiB pages are optional (CPUID pdpe1gb) and zones'
    // RAM is allocated in 2 MiB chunks anyway.
    static constexpr bool block_allowed(unsigned level) { return level == 2; }
    static void publish(u64& slot, u64 d) { __atomic_store_n(&slot, d, __ATOMIC_RELEASE); }
};

// Long-mode paging entries (AMD APM vol. 2 5.3, Intel SDM vol. 3 4.5).
struct LongModeBits {
    static constexpr u64 kPresent = 1u << 0, kWrite = 1u << 1, kUser = 1u << 2, kPwt = 1u << 3, kPcd = 1u << 4;
    static constexpr u64 kNx = 1ull << 63;
};

// The hypervisor's map: supervisor-only; device memory uncached (PCD|PWT
// selects PAT entry 3, UC, in the power-on PAT).
struct HostFormat : X86Common, LongModeBits {
    using Input = Virt;
    static constexpr bool is_valid(u64 d) { return d & kPresent; }
    static constexpr u64 table(HostPhys t) { return (t.raw() & kOutputMask) | kPresent | kWrite; }
    static constexpr u64 leaf(HostPhys pa, MemAttr a, unsigned level) {
        u64 d = (pa.raw() & kOutputMask) | kPresent | (level < 3 ? kLarge : 0);
        if (a.write) d |= kWrite;
        if (a.type == MemType::device) d |= kPcd | kPwt;
        if (!a.exec) d |= kNx;
        return d;
    }
    static constexpr MemAttr attr(u64 d) {
        return {(d & kPcd) ? MemType::device : MemType::normal, true, (d & kWrite) != 0, (d & kNx) == 0};
    }
};

// EPT entries (Intel SDM vol. 3 29.3.2): read, write, execute permissions
// and the memory type in bits 5:3 (6 = write-back, 0 = uncacheable).
struct EptBits {
    static constexpr u64 kRead = 1u << 0, kWrite = 1u << 1, kExec = 1u << 2;
    static constexpr u64 kTypeWb = 6u << 3, kTypeUc = 0u << 3, kTypeMask = 7u << 3;
};

// A zone's second stage. NPT (AMD APM vol. 2 15.25.5): guest accesses count
// as user accesses, so every entry has U set. EPT when `ept` is on.
struct Stage2Format : X86Common {
    using Input = GuestPhys;
    static inline bool ept = false; // set once at boot, before any zone exists

    static constexpr u64 npt_table(HostPhys t) {
        return (t.raw() & kOutputMask) | LongModeBits::kPresent | LongModeBits::kWrite | LongModeBits::kUser;
    }
    static constexpr u64 npt_leaf(HostPhys pa, MemAttr a, unsigned level) {
        u64 d = (pa.raw() & kOutputMask) | LongModeBits::kPresent | LongModeBits::kUser | (level < 3 ? kLarge : 0);
        if (a.write) d |= LongModeBits::kWrite;
        if (a.type == MemType::device) d |= LongModeBits::kPcd | LongModeBits::kPwt;
        if (!a.exec) d |= LongModeBits::kNx;
        return d;
    }
    static constexpr MemAttr npt_attr(u64 d) {
        return {(d & LongModeBits::kPcd) ? MemType::device : MemType::normal, true, (d & LongModeBits::kWrite) != 0,
                (d & LongModeBits::kNx) == 0};
    }
    static constexpr u64 ept_table(HostPhys t) {
        return (t.raw() & kOutputMask) | EptBits::kRead | EptBits::kWrite | EptBits::kExec;
    }
    static constexpr u64 ept_leaf(HostPhys pa, MemAttr a, unsigned level) {
        u64 d = (pa.raw() & kOutputMask) | (level < 3 ? kLarge : 0);
        d |= a.type == MemType::device ? EptBits::kTypeUc : EptBits::kTypeWb;
        if (a.read) d |= EptBits::kRead;
        if (a.write) d |= EptBits::kWrite;
        if (a.exec) d |= EptBits::kExec;
        return d;
    }
    static constexpr MemAttr ept_attr(u64 d) {
        return {(d & EptBits::kTypeMask) == EptBits::kTypeWb ? MemType::normal : MemType::device,
                (d & EptBits::kRead) != 0, (d & EptBits::kWrite) != 0, (d & EptBits::kExec) != 0};
    }

    static bool is_valid(u64 d) { return ept ? (d & 7) != 0 : (d & LongModeBits::kPresent) != 0; }
    static u64 table(HostPhys t) { return ept ? ept_table(t) : npt_table(t); }
    static u64 leaf(HostPhys pa, MemAttr a, unsigned level) {
        return ept ? ept_leaf(pa, a, level) : npt_leaf(pa, a, level);
    }
    static MemAttr attr(u64 d) { return ept ? ept_attr(d) : npt_attr(d); }
};

static_assert(HostFormat::leaf(HostPhys(0x200000), MemAttr::ram(), 2) == 0x200083, "host 2 MiB RAM page: P, RW, PS");
static_assert(HostFormat::leaf(HostPhys(0xfee00000), MemAttr::device(), 3) == (0xfee0001bull | (1ull << 63)),
              "host LAPIC page: P, RW, PWT, PCD, NX");
static_assert(Stage2Format::npt_leaf(HostPhys(0x40000000), MemAttr::ram(), 2) == 0x40000087,
              "NPT 2 MiB RAM page: P, RW, US, PS");
static_assert(Stage2Format::npt_table(HostPhys(0x1000)) == 0x1007, "NPT table: P, RW, US");
static_assert(Stage2Format::ept_leaf(HostPhys(0x40000000), MemAttr::ram(), 2) == 0x400000b7,
              "EPT 2 MiB RAM page: RWX, WB, large");
static_assert(Stage2Format::ept_leaf(HostPhys(0x1000), MemAttr::device(), 3) == 0x1003, "EPT device page: RW, UC");
static_assert(Stage2Format::ept_table(HostPhys(0x1000)) == 0x1007, "EPT table: RWX");

} // namespace bh::x86_64

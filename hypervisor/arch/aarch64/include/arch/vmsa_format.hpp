// SPDX-License-Identifier: GPL-2.0-only
// VMSAv8-64 descriptor formats (4 KiB granule) for the generic PageTable:
// the EL2 stage-1 map of the hypervisor and each zone's stage-2 map.
// Pure bit definitions, so host unit tests use them as they are.
#pragma once

#include <bulkhead/mem_attr.hpp>
#include <bulkhead/types.hpp>

namespace bh::aarch64 {

struct VmsaCommon {
    static constexpr unsigned kLeafShift = 12;
    static constexpr unsigned kLevels = 3;      // levels 1..3
    static constexpr unsigned kInputBits = 39;  // 512 GiB: T0SZ = 25, starting at level 1
    static constexpr unsigned kOutputBits = 48; // descriptors hold output address bits [47:12]

    static constexpr u64 kValid = 1u << 0;
    static constexpr u64 kTableOrPage = 1u << 1;
    static constexpr u64 kAccessFlag = 1u << 10;
    static constexpr u64 kShInner = 3u << 8;
    static constexpr u64 kOutputMask = 0x0000fffffffff000ull;

    static constexpr bool is_valid(u64 d) { return d & kValid; }
    static constexpr bool is_table(u64 d, unsigned level) { return level < 3 && (d & kTableOrPage); }
    static constexpr HostPhys output(u64 d) { return HostPhys(d & kOutputMask); }
    static constexpr bool block_allowed(unsigned level) { return level == 1 || level == 2; }
    static constexpr u64 table(HostPhys t) { return (t.raw() & kOutputMask) | kValid | kTableOrPage; }
    static constexpr u64 type_bits(unsigned level) { return level == 3 ? (kValid | kTableOrPage) : kValid; }
    static void publish(u64& slot, u64 d) { __atomic_store_n(&slot, d, __ATOMIC_RELEASE); }
};

// Stage 2: attributes are encoded directly, not through a MAIR.
struct Stage2Format : VmsaCommon {
    using Input = GuestPhys;
    static constexpr u64 kMemAttrNormalWb = 0xfu << 2;
    static constexpr u64 kMemAttrDeviceNgnre = 0x1u << 2;
    static constexpr u64 kMemAttrMask = 0xfu << 2;
    static constexpr u64 kS2apRead = 1u << 6;
    static constexpr u64 kS2apWrite = 1u << 7;
    static constexpr u64 kXnAll = 2ull << 53;

    static constexpr u64 leaf(HostPhys pa, MemAttr a, unsigned level) {
        u64 d = (pa.raw() & kOutputMask) | type_bits(level) | kAccessFlag;
        d |= a.type == MemType::normal ? (kMemAttrNormalWb | kShInner) : kMemAttrDeviceNgnre;
        if (a.read) d |= kS2apRead;
        if (a.write) d |= kS2apWrite;
        if (!a.exec) d |= kXnAll;
        return d;
    }
    static constexpr MemAttr attr(u64 d) {
        MemAttr a;
        a.type = (d & kMemAttrMask) == kMemAttrNormalWb ? MemType::normal : MemType::device;
        a.read = d & kS2apRead;
        a.write = d & kS2apWrite;
        a.exec = (d & kXnAll) == 0;
        return a;
    }
};

// EL2 stage 1 (non-VHE): attributes through MAIR_EL2 indices.
struct El2Format : VmsaCommon {
    using Input = Virt;
    static constexpr unsigned kMairDevice = 0; // MAIR_EL2 Attr0 = 0x00, Device-nGnRnE
    static constexpr unsigned kMairNormal = 1; // MAIR_EL2 Attr1 = 0xff, Normal WB RA WA
    static constexpr u64 kMair = 0xffull << 8;
    static constexpr u64 kApRes1 = 1u << 6;
    static constexpr u64 kApReadOnly = 1u << 7;
    static constexpr u64 kXn = 1ull << 54;

    static constexpr u64 leaf(HostPhys pa, MemAttr a, unsigned level) {
        u64 d = (pa.raw() & kOutputMask) | type_bits(level) | kAccessFlag | kApRes1;
        d |= a.type == MemType::normal ? ((u64(kMairNormal) << 2) | kShInner) : (u64(kMairDevice) << 2);
        if (!a.write) d |= kApReadOnly;
        if (!a.exec) d |= kXn;
        return d;
    }
    static constexpr MemAttr attr(u64 d) {
        MemAttr a;
        a.type = ((d >> 2) & 7) == kMairNormal ? MemType::normal : MemType::device;
        a.read = true;
        a.write = !(d & kApReadOnly);
        a.exec = !(d & kXn);
        return a;
    }
};

static_assert(Stage2Format::leaf(HostPhys(0x40000000), MemAttr::ram(), 1) == 0x400007fd,
              "stage-2 1 GiB RAM block: AF, SH=IS, S2AP=RW, MemAttr=WB, block");
static_assert(Stage2Format::leaf(HostPhys(0x1000), MemAttr::device(), 3) == (0x1000 | 0x4c7 | (2ull << 53)),
              "stage-2 device page: AF, S2AP=RW, MemAttr=nGnRE, XN");

} // namespace bh::aarch64

// SPDX-License-Identifier: GPL-2.0-only
// Trap-and-emulate GICv3 distributor and redistributors: the registers
// Linux's GICv3 driver and the test zones touch. Anything else reads as
// zero and ignores writes, as reserved GIC registers do.
#include "vgic.hpp"

#include "passthrough.hpp"

#include <bulkhead/percpu.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {
namespace {

using arch::kVgicSpis;

enum : u64 {
    kCtlr = 0x0000,
    kTyper = 0x0004,
    kIidr = 0x0008,
    kIgroupr = 0x0080,
    kIsenabler = 0x0100,
    kIcenabler = 0x0180,
    kIspendr = 0x0200,
    kIcpendr = 0x0280,
    kIsactiver = 0x0300,
    kIcactiver = 0x0380,
    kIpriorityr = 0x0400,
    kIcfgr = 0x0c00,
    kIrouter = 0x6000,
    kPidr2 = 0xffe8,
    kGicrIidr = 0x0004,
    kGicrTyper = 0x0008,
    kGicrWaker = 0x0014,
    kSgiBase = 0x10000,
};
constexpr u32 kIidrValue = 0x0100143b; // implementer ARM (0x43b), revision 1
constexpr u32 kPidr2Gicv3 = 0x3b;
constexpr u32 kCtlrAre = 1u << 4, kCtlrDs = 1u << 6;

// Which 32-bit word of a bit-per-interrupt register bank, or -1.
int bank_word(u64 off, u64 base) {
    if (off < base || off >= base + 0x80) return -1;
    return static_cast<int>((off - base) / 4);
}

Vcpu& spi_target(Zone& z, u32 spi) {
    u32 target = static_cast<u32>(z.arch.dist.irouter[spi] & 0xff);
    return z.vcpus[target < z.vcpu_count ? target : 0];
}

// An SPI may sit in any vCPU's list registers (its routing may have
// changed since): reads OR them, clears go to each.
void spi_set_pending(Zone& z, u32 word, u32 bits) {
    while (bits) {
        unsigned b = static_cast<unsigned>(__builtin_ctz(bits));
        bits &= bits - 1;
        u32 spi = (word - 1) * 32 + b;
        if (spi < kVgicSpis) vgic_raise(spi_target(z, spi), 32 + spi);
    }
}

void spi_set_active(Zone& z, u32 word, u32 bits) {
    while (bits) {
        unsigned b = static_cast<unsigned>(__builtin_ctz(bits));
        bits &= bits - 1;
        u32 spi = (word - 1) * 32 + b;
        if (spi < kVgicSpis) vgic_set_active(spi_target(z, spi), word, 1u << b, true);
    }
}

// The control domain's host SPIs are enabled and disabled at the physical
// GIC with their virtual ones, so a device the zone has masked cannot keep
// interrupting the CPU; routed to the CPU of the vCPU the SPI targets then.
void mirror_enables(Zone& z, unsigned word, u32 bits, bool enable) {
    u32 host = bits & static_cast<u32>(z.arch.passthrough_spis >> (32 * (word - 1)));
    while (host) {
        unsigned b = static_cast<unsigned>(__builtin_ctz(host));
        host &= host - 1;
        u32 spi = (word - 1) * 32 + b;
        passthrough_enable(32 + spi, enable, bh::cpu(spi_target(z, spi).home_cpu).hw_id);
    }
}

// Byte-wise priority registers, accessed as 8 or 32 bits.
void priority_access(u8* prio, u32 count, u64 index, DeviceAccess& a) {
    u32 n = a.size >= 4 ? 4 : a.size;
    if (!a.write) a.value = 0;
    for (u32 i = 0; i < n; ++i) {
        if (index + i >= count) break;
        if (a.write)
            prio[index + i] = static_cast<u8>(a.value >> (8 * i));
        else
            a.value |= u64(prio[index + i]) << (8 * i);
    }
}

void distributor(Vcpu& v, DeviceAccess& a) {
    Zone& z = *v.zone;
    arch::VgicDistState& d = z.arch.dist;
    LockGuard g(d.lock);
    u64 off = a.offset;
    u64 r = 0;
    int w;
    if (off == kCtlr) {
        if (a.write) d.ctlr = static_cast<u32>(a.value) & 3;
        r = d.ctlr | kCtlrAre | kCtlrDs;
    } else if (off == kTyper) {
        r = (9u << 19) | ((z.vcpu_count - 1) << 5) | (kVgicSpis / 32);
    } else if (off == kIidr) {
        r = kIidrValue;
    } else if ((w = bank_word(off, kIgroupr)) >= 0) {
        r = w >= 1 && w <= static_cast<int>(kVgicSpis / 32) ? ~0u : 0;
    } else if ((w = bank_word(off, kIsenabler)) >= 0 || (w = bank_word(off, kIcenabler)) >= 0) {
        if (w >= 1 && w <= static_cast<int>(kVgicSpis / 32)) {
            u32& e = d.enabled[w - 1];
            u32 bits = static_cast<u32>(a.value);
            if (a.write && off < kIcenabler) {
                e |= bits;
                mirror_enables(z, static_cast<unsigned>(w), bits, true);
            }
            if (a.write && off >= kIcenabler) {
                e &= ~bits;
                mirror_enables(z, static_cast<unsigned>(w), bits, false);
                for (u32 i = 0; i < z.vcpu_count; ++i) vgic_disabled(z.vcpus[i], static_cast<unsigned>(w), bits);
            }
            r = e;
        }
    } else if ((w = bank_word(off, kIspendr)) >= 0 || (w = bank_word(off, kIcpendr)) >= 0) {
        if (w >= 1 && w <= static_cast<int>(kVgicSpis / 32)) {
            unsigned word = static_cast<unsigned>(w);
            u32 bits = static_cast<u32>(a.value);
            if (a.write && off < kIcpendr) spi_set_pending(z, word, bits);
            if (a.write && off >= kIcpendr)
                for (u32 i = 0; i < z.vcpu_count; ++i) vgic_clear_pending(z.vcpus[i], word, bits);
            if (!a.write)
                for (u32 i = 0; i < z.vcpu_count; ++i) r |= vgic_pending_word(z.vcpus[i], word);
        }
    } else if ((w = bank_word(off, kIsactiver)) >= 0 || (w = bank_word(off, kIcactiver)) >= 0) {
        if (w >= 1 && w <= static_cast<int>(kVgicSpis / 32)) {
            unsigned word = static_cast<unsigned>(w);
            u32 bits = static_cast<u32>(a.value);
            if (a.write && off < kIcactiver) spi_set_active(z, word, bits);
            if (a.write && off >= kIcactiver)
                for (u32 i = 0; i < z.vcpu_count; ++i) vgic_set_active(z.vcpus[i], word, bits, false);
            if (!a.write)
                for (u32 i = 0; i < z.vcpu_count; ++i) r |= vgic_active_word(z.vcpus[i], word);
        }
    } else if (off >= kIpriorityr && off < kIpriorityr + 0x400) {
        u64 intid = off - kIpriorityr;
        if (intid >= 32) {
            priority_access(d.priority, kVgicSpis, intid - 32, a);
            return;
        }
    } else if (off >= kIcfgr && off < kIcfgr + 0x100) {
        u64 word = (off - kIcfgr) / 4;
        if (word >= 2 && word < 2 + kVgicSpis / 16) {
            if (a.write) d.icfgr[word - 2] = static_cast<u32>(a.value) & 0xaaaaaaaa;
            r = d.icfgr[word - 2];
        }
    } else if (off >= kIrouter + 32 * 8 && off < kIrouter + (32 + kVgicSpis) * 8) {
        u64 spi = (off - kIrouter) / 8 - 32;
        bool high = off & 4;
        u64& route = d.irouter[spi];
        if (a.write) {
            if (a.size == 8)
                route = a.value;
            else if (high)
                route = (route & 0xffffffffull) | (a.value << 32);
            else
                route = (route & ~0xffffffffull) | (a.value & 0xffffffffull);
            route &= 0xff00ffffffull; // Aff3..Aff0 and IRM, nothing else
        }
        r = a.size == 8 ? route : (high ? route >> 32 : route & 0xffffffffull);
    } else if (off == kPidr2) {
        r = kPidr2Gicv3;
    }
    if (!a.write) a.value = r;
}

void redistributor(Vcpu& v, Vcpu& target, bool last, DeviceAccess& a) {
    arch::VgicDistState& d = v.zone->arch.dist;
    arch::VgicCpuState& g = target.ctx.vgic;
    LockGuard lock(d.lock);
    u64 off = a.offset;
    u64 r = 0;
    if (off == kGicrIidr) {
        r = kIidrValue;
    } else if (off == kGicrTyper || off == kGicrTyper + 4) {
        u64 typer = (u64(target.index) << 32) | (u64(target.index) << 8) | (last ? 1u << 4 : 0);
        r = a.size == 8 ? typer : (off & 4 ? typer >> 32 : typer & 0xffffffffull);
    } else if (off == kGicrWaker) {
        if (a.write) g.processor_sleep = a.value & 2;
        r = g.processor_sleep ? 6 : 0;
    } else if (off == kPidr2) {
        r = kPidr2Gicv3;
    } else if (off == kSgiBase + kIgroupr) {
        r = ~0u;
    } else if (off == kSgiBase + kIsenabler || off == kSgiBase + kIcenabler) {
        u32 bits = static_cast<u32>(a.value);
        if (a.write && off == kSgiBase + kIsenabler) g.enabled_private |= bits;
        if (a.write && off == kSgiBase + kIcenabler) {
            g.enabled_private &= ~bits;
            vgic_disabled(target, 0, bits);
        }
        r = g.enabled_private;
    } else if (off == kSgiBase + kIspendr || off == kSgiBase + kIcpendr) {
        u32 bits = static_cast<u32>(a.value);
        if (a.write && off == kSgiBase + kIspendr) {
            for (u32 b = 0; b < 32; ++b)
                if (bits >> b & 1) vgic_raise(target, b);
        } else if (a.write) {
            vgic_clear_pending(target, 0, bits);
        } else {
            r = vgic_pending_word(target, 0);
        }
    } else if (off == kSgiBase + kIsactiver || off == kSgiBase + kIcactiver) {
        if (a.write)
            vgic_set_active(target, 0, static_cast<u32>(a.value), off == kSgiBase + kIsactiver);
        else
            r = vgic_active_word(target, 0);
    } else if (off >= kSgiBase + kIpriorityr && off < kSgiBase + kIpriorityr + 32) {
        priority_access(g.priority_private, 32, off - kSgiBase - kIpriorityr, a);
        return;
    } else if (off == kSgiBase + kIcfgr) {
        r = 0xaaaaaaaa; // SGIs are edge-triggered, read-only
    } else if (off == kSgiBase + kIcfgr + 4) {
        if (a.write) g.icfgr1 = static_cast<u32>(a.value) & 0xaaaaaaaa;
        r = g.icfgr1;
    }
    if (!a.write) a.value = r;
}

} // namespace

bool VgicDistributorWindow::access(Vcpu& v, DeviceAccess& a) {
    vgic_resample(v); // timer interrupts read as pending only while asserted
    distributor(v, a);
    return true;
}

// One frame per vCPU of the zone (the range is sized by them).
bool VgicRedistributorWindow::access(Vcpu& v, DeviceAccess& a) {
    Zone& z = *v.zone;
    vgic_resample(v); // timer interrupts read as pending only while asserted
    u32 idx = static_cast<u32>(a.offset / kVgicrStride);
    if (idx >= z.vcpu_count) return false;
    a.offset %= kVgicrStride;
    redistributor(v, z.vcpus[idx], idx + 1 == z.vcpu_count, a);
    return true;
}

} // namespace bh::aarch64

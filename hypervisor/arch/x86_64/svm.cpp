// SPDX-License-Identifier: GPL-2.0-only
#include "svm.hpp"

#include "cr4_policy.hpp"
#include "percpu.hpp"

#include <arch/x86.hpp>

namespace bh::x86_64::svm {
namespace {

HostPhys msr_map, io_map;
u32 asids = 0;
bool nrips = false, decode = false;
u64 zone_cr4 = 0;

constexpr u64 kMsrpmPages = 2, kIopmPages = 3;
constexpr u64 kVmCrSvmDisable = 1u << 4;

// MSRs that VMLOAD/VMSAVE switch with the vCPU (APM vol. 2 15.5.2), so the
// guest may read and write them directly.
constexpr u32 kPassThrough[] = {
    0x174,           0x175,           0x176, // SYSENTER_CS, _ESP, _EIP
    0xc0000081,      0xc0000082,      0xc0000083,
    0xc0000084, // STAR, LSTAR, CSTAR, SFMASK
    x86::kMsrFsBase, x86::kMsrGsBase, x86::kMsrKernelGsBase,
};

// The MSR permission map: three 2 KiB blocks for MSRs 0-0x1fff,
// 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff; two bits per MSR (read,
// write).
void allow_msr(u8* map, u32 msr) {
    u32 block;
    if (msr < 0x2000)
        block = 0;
    else if (msr >= 0xc0000000 && msr < 0xc0002000)
        block = 1;
    else if (msr >= 0xc0010000 && msr < 0xc0012000)
        block = 2;
    else
        return;
    u32 bit = (msr & 0x1fff) * 2;
    map[block * 0x800 + bit / 8] &= static_cast<u8>(~(3u << (bit % 8)));
}

} // namespace

bool supported(const char*& why) {
    if (x86::cpuid(0x80000000).eax < 0x8000000a || !((x86::cpuid(0x80000001).ecx >> 2) & 1)) {
        why = "no SVM (CPUID 0x80000001 ECX bit 2)";
        return false;
    }
    x86::CpuidResult f = x86::cpuid(0x8000000a);
    if (!(f.edx & 1)) {
        why = "SVM without nested paging (CPUID 0x8000000A EDX bit 0)";
        return false;
    }
    if (x86::rdmsr(x86::kMsrVmCr) & kVmCrSvmDisable) {
        why = "SVM is disabled by the firmware (VM_CR.SVMDIS)";
        return false;
    }
    asids = f.ebx;
    nrips = (f.edx >> 3) & 1;
    decode = (f.edx >> 7) & 1;
    zone_cr4 = cr4_supported();
    return true;
}

bool global_init(FrameAllocator& frames) {
    if (!frames.alloc(kMsrpmPages, 1, msr_map) || !frames.alloc(kIopmPages, 1, io_map)) return false;
    u8* m = phys_to_ptr<u8>(msr_map);
    __builtin_memset(m, 0xff, kMsrpmPages * kPageSize);
    for (u32 msr : kPassThrough) allow_msr(m, msr);
    __builtin_memset(phys_to_ptr<u8>(io_map), 0xff, kIopmPages * kPageSize);
    return true;
}

bool cpu_init(FrameAllocator& frames) {
    CpuLocal& l = local();
    if (!frames.alloc(1, 1, l.host_save_area) || !frames.alloc(1, 1, l.host_vmsave)) return false;
    __builtin_memset(phys_to_ptr<void>(l.host_save_area), 0, kPageSize);
    __builtin_memset(phys_to_ptr<void>(l.host_vmsave), 0, kPageSize);
    x86::wrmsr(x86::kMsrEfer, x86::rdmsr(x86::kMsrEfer) | x86::kEferSvme);
    x86::wrmsr(x86::kMsrVmHsavePa, l.host_save_area.raw());
    return true;
}

u32 asid_limit() { return asids; }
bool next_rip_saved() { return nrips; }
bool decode_assists() { return decode; }
u64 zone_cr4_supported() { return zone_cr4; }
HostPhys msrpm() { return msr_map; }
HostPhys iopm() { return io_map; }

} // namespace bh::x86_64::svm

// SPDX-License-Identifier: GPL-2.0-only
// VMCS field encodings (Intel SDM vol. 3 appendix B) and the VMREAD/VMWRITE
// instructions. The VMCS itself is opaque: only these encodings reach it.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64::vmcs {

enum Field : u32 {
    kVpid = 0x0000,
    kGuestEsSel = 0x0800,
    kGuestCsSel = 0x0802,
    kGuestSsSel = 0x0804,
    kGuestDsSel = 0x0806,
    kGuestFsSel = 0x0808,
    kGuestGsSel = 0x080a,
    kGuestLdtrSel = 0x080c,
    kGuestTrSel = 0x080e,
    kHostEsSel = 0x0c00,
    kHostCsSel = 0x0c02,
    kHostSsSel = 0x0c04,
    kHostDsSel = 0x0c06,
    kHostFsSel = 0x0c08,
    kHostGsSel = 0x0c0a,
    kHostTrSel = 0x0c0c,
    kIoBitmapA = 0x2000,
    kIoBitmapB = 0x2002,
    kMsrBitmap = 0x2004,
    kTscOffset = 0x2010,
    kEptPointer = 0x201a,
    kGuestPhysicalAddress = 0x2400,
    kVmcsLinkPointer = 0x2800,
    kGuestDebugCtl = 0x2802,
    kGuestPat = 0x2804,
    kGuestEfer = 0x2806,
    kHostPat = 0x2c00,
    kHostEfer = 0x2c02,
    kPinControls = 0x4000,
    kProcControls = 0x4002,
    kExceptionBitmap = 0x4004,
    kCr3TargetCount = 0x400a,
    kExitControls = 0x400c,
    kExitMsrStoreCount = 0x400e,
    kExitMsrLoadCount = 0x4010,
    kEntryControls = 0x4012,
    kEntryMsrLoadCount = 0x4014,
    kEntryInterruptInfo = 0x4016,
    kEntryExceptionError = 0x4018,
    kEntryInstructionLength = 0x401a,
    kProcControls2 = 0x401e,
    kInstructionError = 0x4400,
    kExitReason = 0x4402,
    kExitInterruptInfo = 0x4404,
    kIdtVectoringInfo = 0x4408,
    kIdtVectoringError = 0x440a,
    kExitInstructionLength = 0x440c,
    kGuestEsLimit = 0x4800,
    kGuestCsLimit = 0x4802,
    kGuestSsLimit = 0x4804,
    kGuestDsLimit = 0x4806,
    kGuestFsLimit = 0x4808,
    kGuestGsLimit = 0x480a,
    kGuestLdtrLimit = 0x480c,
    kGuestTrLimit = 0x480e,
    kGuestGdtrLimit = 0x4810,
    kGuestIdtrLimit = 0x4812,
    kGuestEsAr = 0x4814,
    kGuestCsAr = 0x4816,
    kGuestSsAr = 0x4818,
    kGuestDsAr = 0x481a,
    kGuestFsAr = 0x481c,
    kGuestGsAr = 0x481e,
    kGuestLdtrAr = 0x4820,
    kGuestTrAr = 0x4822,
    kGuestInterruptibility = 0x4824,
    kGuestActivity = 0x4826,
    kGuestSysenterCs = 0x482a,
    kGuestPreemptionTimer = 0x482e,
    kHostSysenterCs = 0x4c00,
    kCr0Mask = 0x6000,
    kCr4Mask = 0x6002,
    kCr0Shadow = 0x6004,
    kCr4Shadow = 0x6006,
    kExitQualification = 0x6400,
    kGuestLinearAddress = 0x640a,
    kGuestCr0 = 0x6800,
    kGuestCr3 = 0x6802,
    kGuestCr4 = 0x6804,
    kGuestEsBase = 0x6806,
    kGuestCsBase = 0x6808,
    kGuestSsBase = 0x680a,
    kGuestDsBase = 0x680c,
    kGuestFsBase = 0x680e,
    kGuestGsBase = 0x6810,
    kGuestLdtrBase = 0x6812,
    kGuestTrBase = 0x6814,
    kGuestGdtrBase = 0x6816,
    kGuestIdtrBase = 0x6818,
    kGuestDr7 = 0x681a,
    kGuestRsp = 0x681c,
    kGuestRip = 0x681e,
    kGuestRflags = 0x6820,
    kGuestPendingDebug = 0x6822,
    kGuestSysenterEsp = 0x6824,
    kGuestSysenterEip = 0x6826,
    kHostCr0 = 0x6c00,
    kHostCr3 = 0x6c02,
    kHostCr4 = 0x6c04,
    kHostFsBase = 0x6c06,
    kHostGsBase = 0x6c08,
    kHostTrBase = 0x6c0a,
    kHostGdtrBase = 0x6c0c,
    kHostIdtrBase = 0x6c0e,
    kHostSysenterEsp = 0x6c10,
    kHostSysenterEip = 0x6c12,
    kHostRsp = 0x6c14,
    kHostRip = 0x6c16,
};

// The encoding's width bits (14:13): 0 16-bit, 1 64-bit, 2 32-bit, 3 natural.
static_assert(((kGuestEfer >> 13) & 3) == 1 && ((kExitReason >> 13) & 3) == 2 && ((kGuestRip >> 13) & 3) == 3 &&
                  ((kVpid >> 13) & 3) == 0,
              "VMCS field widths");

static_assert(((kGuestSsAr >> 13) & 3) == 2 && ((kGuestInterruptibility >> 13) & 3) == 2 &&
                  ((kExitQualification >> 13) & 3) == 3 && ((kProcControls >> 13) & 3) == 2,
              "VMCS field widths");

// VM-entry interruption information and IDT-vectoring information (SDM
// vol. 3 24.8.3, 24.9.3): vector in bits 7:0, type in 10:8.
namespace intr_info {
inline constexpr u32 kValid = 1u << 31, kDeliverError = 1u << 11, kNmiUnblocking = 1u << 12;
inline constexpr u32 kExternal = 0u << 8, kHardwareException = 3u << 8;
} // namespace intr_info

// Guest interruptibility state (SDM vol. 3 24.4.2): the STI and MOV SS shadows.
inline constexpr u64 kBlockingSti = 1u << 0, kBlockingMovSs = 1u << 1;

// Segment access rights in VMCS form (SDM vol. 3 24.4.1).
struct AccessRights {
    u64 raw;
    u32 dpl() const { return (raw >> 5) & 3; }          // of SS: the CPL
    bool long_mode() const { return raw & (1u << 13); } // of CS: 64-bit code
};

// Exit qualifications (SDM vol. 3 27.2.1).
struct CrAccessQualification { // table 27-3
    enum class Type : u8 { mov_to_cr = 0, mov_from_cr = 1, clts = 2, lmsw = 3 };
    u64 raw;
    unsigned cr() const { return raw & 0xf; }
    Type type() const { return static_cast<Type>((raw >> 4) & 3); }
    unsigned gpr() const { return (raw >> 8) & 0xf; }
};
struct IoQualification { // table 27-5
    u64 raw;
    u8 size() const { return static_cast<u8>((raw & 7) + 1); }
    bool in() const { return raw & (1u << 3); }
    bool string() const { return raw & (1u << 4); }
    u16 port() const { return static_cast<u16>(raw >> 16); }
};
struct EptViolationQualification { // table 27-7
    u64 raw;
    bool write() const { return raw & (1u << 1); }
    bool fetch() const { return raw & (1u << 2); }
    bool linear_valid() const { return raw & (1u << 7); }
    bool in_table_walk() const { return linear_valid() && !(raw & (1u << 8)); }
};

inline u64 read(Field f) {
    u64 v;
    asm volatile("vmread %1, %0" : "=r"(v) : "r"(static_cast<u64>(f)) : "cc");
    return v;
}
// Returns false if the CPU refused (VMfail).
inline bool write(Field f, u64 v) {
    u8 bad; // CF (VMfailInvalid) or ZF (VMfailValid)
    asm volatile("vmwrite %1, %2; setbe %0" : "=qm"(bad) : "r"(v), "r"(static_cast<u64>(f)) : "cc", "memory");
    return !bad;
}

} // namespace bh::x86_64::vmcs

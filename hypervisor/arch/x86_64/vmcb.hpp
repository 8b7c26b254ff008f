// SPDX-License-Identifier: GPL-2.0-only
// The AMD SVM virtual machine control block (AMD APM vol. 2, appendix B):
// a 4 KiB page, the control area at 0x000 and the state save area at 0x400.
#pragma once

#include <stddef.h>

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct VmcbSegment {
    u16 selector;
    u16 attrib; // descriptor bits 47:40 in 7:0, bits 55:52 in 11:8
    u32 limit;
    u64 base;
};
static_assert(sizeof(VmcbSegment) == 16);

struct VmcbControl {
    u32 intercept_cr; // reads 15:0, writes 31:16
    u32 intercept_dr;
    u32 intercept_exceptions;
    u32 intercept_misc1; // INTR ... SHUTDOWN
    u32 intercept_misc2; // VMRUN ... XSETBV ...
    u32 intercept_misc3;
    u8 reserved1[0x3c - 0x18];
    u16 pause_filter_threshold;
    u16 pause_filter_count;
    u64 iopm_base_pa;
    u64 msrpm_base_pa;
    u64 tsc_offset;
    u32 guest_asid;
    u8 tlb_control;
    u8 reserved2[3];
    u64 vintr;
    u64 interrupt_shadow;
    u64 exitcode;
    u64 exitinfo1;
    u64 exitinfo2;
    u64 exitintinfo;
    u64 np_enable;
    u64 avic_apic_bar;
    u64 ghcb_pa;
    u64 event_inject;
    u64 n_cr3;
    u64 virt_ext;
    u32 clean_bits;
    u32 reserved3;
    u64 next_rip;
    u8 insn_len;
    u8 insn_bytes[15];
    u8 reserved4[0x400 - 0xe0];
};

struct VmcbSave {
    VmcbSegment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
    u8 reserved1[0xcb - 0xa0];
    u8 cpl;
    u32 reserved2;
    u64 efer;
    u8 reserved3[0x148 - 0xd8];
    u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;
    u8 reserved4[0x1d8 - 0x180];
    u64 rsp;
    u64 s_cet, ssp, isst_addr;
    u64 rax;
    u64 star, lstar, cstar, sfmask, kernel_gs_base, sysenter_cs, sysenter_esp, sysenter_eip, cr2;
    u8 reserved5[0x268 - 0x248];
    u64 g_pat;
    u64 dbgctl, br_from, br_to, last_excp_from, last_excp_to;
};

struct Vmcb {
    VmcbControl control;
    VmcbSave save;
    u8 reserved[0x1000 - 0x400 - sizeof(VmcbSave)];
};

static_assert(offsetof(VmcbControl, intercept_cr) == 0x00 && offsetof(VmcbControl, intercept_dr) == 0x04);
static_assert(offsetof(VmcbControl, intercept_exceptions) == 0x08 && offsetof(VmcbControl, intercept_misc1) == 0x0c);
static_assert(offsetof(VmcbControl, intercept_misc2) == 0x10 && offsetof(VmcbControl, intercept_misc3) == 0x14);
static_assert(offsetof(VmcbControl, pause_filter_threshold) == 0x3c);
static_assert(offsetof(VmcbControl, iopm_base_pa) == 0x40 && offsetof(VmcbControl, msrpm_base_pa) == 0x48);
static_assert(offsetof(VmcbControl, guest_asid) == 0x58 && offsetof(VmcbControl, tlb_control) == 0x5c);
static_assert(offsetof(VmcbControl, vintr) == 0x60 && offsetof(VmcbControl, interrupt_shadow) == 0x68);
static_assert(offsetof(VmcbControl, exitcode) == 0x70 && offsetof(VmcbControl, exitintinfo) == 0x88);
static_assert(offsetof(VmcbControl, exitinfo1) == 0x78 && offsetof(VmcbControl, exitinfo2) == 0x80);
static_assert(offsetof(VmcbControl, np_enable) == 0x90 && offsetof(VmcbControl, event_inject) == 0xa8);
static_assert(offsetof(VmcbControl, n_cr3) == 0xb0 && offsetof(VmcbControl, clean_bits) == 0xc0);
static_assert(offsetof(VmcbControl, next_rip) == 0xc8 && offsetof(VmcbControl, insn_len) == 0xd0);
static_assert(sizeof(VmcbControl) == 0x400);
static_assert(offsetof(VmcbSave, cs) == 0x10 && offsetof(VmcbSave, tr) == 0x90);
static_assert(offsetof(VmcbSave, cpl) == 0xcb && offsetof(VmcbSave, efer) == 0xd0);
static_assert(offsetof(VmcbSave, cr4) == 0x148 && offsetof(VmcbSave, rip) == 0x178);
static_assert(offsetof(VmcbSave, cr3) == 0x150 && offsetof(VmcbSave, cr0) == 0x158);
static_assert(offsetof(VmcbSave, dr7) == 0x160 && offsetof(VmcbSave, dr6) == 0x168 &&
              offsetof(VmcbSave, rflags) == 0x170);
static_assert(offsetof(VmcbSave, rsp) == 0x1d8 && offsetof(VmcbSave, rax) == 0x1f8);
static_assert(offsetof(VmcbSave, star) == 0x200 && offsetof(VmcbSave, cr2) == 0x240);
static_assert(offsetof(VmcbSave, g_pat) == 0x268);
static_assert(sizeof(Vmcb) == 0x1000);

// Intercept bits (APM vol. 2 table B-1).
constexpr u32 intercept_cr_write(unsigned cr) { return 1u << (16 + cr); }
constexpr u32 kInterceptAllDr = 0xffffffff; // reads of DR0-DR15 (bits 15:0), writes (31:16)
enum : u32 {
    kMisc1Intr = 1u << 0,
    kMisc1Nmi = 1u << 1,
    kMisc1Smi = 1u << 2,
    kMisc1Init = 1u << 3,
    kMisc1Vintr = 1u << 4,
    kMisc1Rdpmc = 1u << 15,
    kMisc1Cpuid = 1u << 18,
    kMisc1Invd = 1u << 22,
    kMisc1Hlt = 1u << 24,
    kMisc1Invlpga = 1u << 26,
    kMisc1IoioProt = 1u << 27,
    kMisc1MsrProt = 1u << 28,
    kMisc1TaskSwitch = 1u << 29,
    kMisc1Shutdown = 1u << 31,
    kMisc2Vmrun = 1u << 0,
    kMisc2Vmmcall = 1u << 1,
    kMisc2Vmload = 1u << 2,
    kMisc2Vmsave = 1u << 3,
    kMisc2Stgi = 1u << 4,
    kMisc2Clgi = 1u << 5,
    kMisc2Skinit = 1u << 6,
    kMisc2Monitor = 1u << 10,
    kMisc2Mwait = 1u << 11,
    kMisc2MwaitCond = 1u << 12,
    kMisc2Xsetbv = 1u << 13,
    kMisc2Rdpru = 1u << 14,
};

// Exit codes (APM vol. 2 table C-1).
enum : u64 {
    kExitCr4Write = 0x14,
    kExitCr8Write = 0x18,
    kExitDrReadBase = 0x20,
    kExitDrWriteLast = 0x3f,
    kExitExceptionBase = 0x40,
    kExitIntr = 0x60,
    kExitNmi = 0x61,
    kExitSmi = 0x62,
    kExitInit = 0x63,
    kExitVintr = 0x64,
    kExitRdpmc = 0x6f,
    kExitCpuid = 0x72,
    kExitInvd = 0x76,
    kExitHlt = 0x78,
    kExitInvlpga = 0x7a,
    kExitIoio = 0x7b,
    kExitMsr = 0x7c,
    kExitTaskSwitch = 0x7d,
    kExitShutdown = 0x7f,
    kExitVmrun = 0x80,
    kExitVmmcall = 0x81,
    kExitVmload = 0x82,
    kExitVmsave = 0x83,
    kExitStgi = 0x84,
    kExitClgi = 0x85,
    kExitSkinit = 0x86,
    kExitMonitor = 0x8a,
    kExitMwait = 0x8b,
    kExitMwaitCond = 0x8c,
    kExitXsetbv = 0x8d,
    kExitRdpru = 0x8e,
    kExitNpf = 0x400,
    kExitInvalid = ~u64(0),
};

// VINTR (offset 0x60): V_TPR, the zone's CR8, in bits 3:0.
constexpr u64 kVintrTprMask = 0xf;
constexpr u64 kVintrMasking = 1ull << 24; // physical interrupts follow the host's RFLAGS.IF; CR8 is V_TPR
// The virtual interrupt request (V_IRQ), its priority, whether it ignores
// V_TPR, and its vector (svm_vcpu.cpp, offer_interrupt).
constexpr u64 kVintrIrq = 1ull << 8, kVintrIgnoreTpr = 1ull << 20;
constexpr unsigned kVintrPrioShift = 16, kVintrVectorShift = 32;
constexpr u64 kVintrPrioMask = 0xfull << kVintrPrioShift, kVintrVectorMask = 0xffull << kVintrVectorShift;
constexpr u64 kInterruptShadow = 1;
constexpr u64 kTlbFlushAsid = 3; // flush this guest's ASID
// EVENTINJ and EXITINTINFO: vector, type, error code valid, valid.
constexpr u64 kEventValid = 1ull << 31, kEventErrorValid = 1ull << 11, kEventTypeException = 3ull << 8,
              kEventTypeIntr = 0, kEventTypeMask = 7ull << 8, kEventVectorMask = 0xff;

// EXITINFO1 of an IOIO intercept (APM vol. 2 15.10.2).
struct IoioInfo {
    u64 raw;
    bool in() const { return raw & 1; }
    bool string() const { return raw & (1u << 2); }
    u8 size() const { return (raw & (1u << 4)) ? 1 : (raw & (1u << 5)) ? 2 : 4; } // one-hot bits 6:4
    u16 port() const { return static_cast<u16>(raw >> 16); }
};

// EXITINFO1 of a MOV-to-CR intercept with decode assists (APM vol. 2 15.33.1):
// bit 63 set for MOV (not CLTS or LMSW), the source register in bits 3:0.
struct CrWriteInfo {
    u64 raw;
    bool mov() const { return raw >> 63; }
    u8 gpr() const { return raw & 0xf; }
};

// EXITINFO1 of a nested page fault: the #PF-style error code, plus bit 33
// for a fault during the zone's own page-table walk.
struct NpfInfo {
    u64 raw;
    bool write() const { return raw & (1u << 1); }
    bool fetch() const { return raw & (1u << 4); }
    bool in_table_walk() const { return raw & (1ull << 33); }
};

// Segment attribute bits in VMCB form (bits 11:8 are descriptor bits 55:52).
constexpr u16 kAttrLong = 1u << 9;

} // namespace bh::x86_64

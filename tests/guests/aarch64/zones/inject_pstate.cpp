// SPDX-License-Identifier: GPL-2.0-only
// PSTATE at the handler of an exception the hypervisor injects (an external
// abort for an illegal access; Undefined Instruction for a trapped
// register) is what the architecture's exception entry makes it
// (AArch64.TakeException): PAN set when SCTLR_EL1.SPAN is 0 (kept when 1),
// UAO cleared, DIT kept, SSBS = SCTLR_EL1.DSSBS. A native exception (UDF,
// taken by the CPU itself) is checked the same way as a reference, except
// for DIT: QEMU 7.2's own exception entry clears PSTATE.DIT, where the Arm
// ARM (and KVM's injection) keep it. On bare QEMU only the native and abort
// cases run.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/sync_hook.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u64 kPan = 1ull << 22, kUao = 1ull << 23, kDit = 1ull << 24, kSsbs = 1ull << 12;
constexpr u64 kSctlrSpan = 1ull << 23, kSctlrDssbs = 1ull << 44;
constexpr u64 kUnassigned = 0x0c000000; // no RAM, no device: an external abort here and on bare QEMU virt

struct Features {
    bool pan, uao, dit, ssbs;
} have;

u64 pstate_now() {
    u64 v = 0;
    if (have.pan) v |= BH_MRS(s3_0_c4_c2_3) & kPan;
    if (have.uao) v |= BH_MRS(s3_0_c4_c2_4) & kUao;
    if (have.dit) v |= BH_MRS(s3_3_c4_c2_5) & kDit;
    if (have.ssbs) v |= BH_MRS(s3_3_c4_c2_6) & kSsbs;
    return v;
}

void set_pstate(u64 v) {
    if (have.pan) BH_MSR(s3_0_c4_c2_3, v & kPan);
    if (have.uao) BH_MSR(s3_0_c4_c2_4, v & kUao);
    if (have.dit) BH_MSR(s3_3_c4_c2_5, v & kDit);
    if (have.ssbs) BH_MSR(s3_3_c4_c2_6, v & kSsbs);
}

volatile u64 seen;
volatile u32 taken;

bool record(sync_hook::Event& e) {
    seen = pstate_now();
    taken = taken + 1;
    e.elr += 4;
    return true;
}

enum class Trigger { injected_abort, injected_undefined, native_undefined };
const char* name(Trigger t) {
    switch (t) {
    case Trigger::injected_abort: return "injected abort";
    case Trigger::injected_undefined: return "injected Undefined Instruction";
    default: return "native Undefined Instruction";
    }
}

void fire(Trigger t) {
    switch (t) {
    case Trigger::injected_abort: {
        register u64 x0 asm("x0") = kUnassigned;
        asm volatile("ldr x1, [x0]" ::"r"(x0) : "x1", "memory");
        break;
    }
    case Trigger::injected_undefined: asm volatile("mrs x1, pmcr_el0" ::: "x1", "memory"); break; // MDCR_EL2.TPMCR
    case Trigger::native_undefined: asm volatile("udf #0" ::: "memory"); break;
    }
}

// One exception with SCTLR_EL1 and PSTATE set up as given.
void run(Trigger t, u64 sctlr_bits, u64 before, u64 expect) {
    u64 sctlr = BH_MRS(sctlr_el1);
    BH_MSR(sctlr_el1, (sctlr & ~(kSctlrSpan | kSctlrDssbs)) | sctlr_bits);
    taken = 0;
    set_pstate(before);
    fire(t);
    u64 after_return = pstate_now();
    set_pstate(0);
    BH_MSR(sctlr_el1, sctlr);
    if (!test::check(taken == 1, "%s: %u exceptions taken", name(t), taken)) return;
    bool by_qemu = t == Trigger::native_undefined || !hc::in_zone(); // taken by the CPU itself, not injected
    u64 compared = by_qemu ? ~kDit : ~u64(0);
    test::check((seen & compared) == (expect & compared),
                "%s with SPAN=%d DSSBS=%d, PSTATE before 0x%llx: handler saw PAN=%d UAO=%d DIT=%d SSBS=%d, expected "
                "PAN=%d UAO=%d DIT=%d SSBS=%d",
                name(t), !!(sctlr_bits & kSctlrSpan), !!(sctlr_bits & kSctlrDssbs), static_cast<ull>(before),
                !!(seen & kPan), !!(seen & kUao), !!(seen & kDit), !!(seen & kSsbs), !!(expect & kPan),
                !!(expect & kUao), !!(expect & kDit), !!(expect & kSsbs));
    test::check(after_return == before, "%s: PSTATE after the return 0x%llx, before 0x%llx", name(t),
                static_cast<ull>(after_return), static_cast<ull>(before));
}

u64 only(u64 bits) {
    u64 v = 0;
    if (have.pan) v |= bits & kPan;
    if (have.uao) v |= bits & kUao;
    if (have.dit) v |= bits & kDit;
    if (have.ssbs) v |= bits & kSsbs;
    return v;
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("inject-pstate");
    u64 mmfr1 = BH_MRS(id_aa64mmfr1_el1), mmfr2 = BH_MRS(id_aa64mmfr2_el1);
    have = {sysreg::id_field(mmfr1, 20) != 0, sysreg::id_field(mmfr2, 4) != 0,
            sysreg::id_field(BH_MRS(id_aa64pfr0_el1), 48) != 0, sysreg::id_field(BH_MRS(id_aa64pfr1_el1), 4) != 0};
    print("PAN %d UAO %d DIT %d SSBS %d\n", have.pan, have.uao, have.dit, have.ssbs);
    if (!have.pan) test::skip("no FEAT_PAN");
    sync_hook::set(record);
    bool zone = hc::in_zone();
    const Trigger triggers[] = {Trigger::injected_abort, Trigger::injected_undefined, Trigger::native_undefined};
    for (Trigger t : triggers) {
        if (t == Trigger::injected_undefined && !zone) continue;
        // SPAN = 0: PAN is set on entry.
        run(t, 0, 0, only(kPan));
        // SPAN = 1: PAN is kept (0 and 1).
        run(t, kSctlrSpan, 0, 0);
        run(t, kSctlrSpan, only(kPan), only(kPan));
        // DIT kept; UAO cleared.
        run(t, kSctlrSpan, only(kDit | kUao), only(kDit));
        // SSBS from DSSBS, whatever it was.
        run(t, kSctlrSpan | kSctlrDssbs, 0, only(kSsbs));
        run(t, kSctlrSpan, only(kSsbs), 0);
    }
    test::finish();
}

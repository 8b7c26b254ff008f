// SPDX-License-Identifier: GPL-2.0-only
// Hypercalls are the zone kernel's, not its processes': VMCALL and VMMCALL
// exit to the hypervisor before the CPU checks privilege, so the
// hypervisor must refuse them from CPL 3 itself. This privileged zone
// builds what a kernel builds for its processes (user page tables, ring-3
// segments, a TSS), drops to CPL 3 and tries what a process of a control
// domain must never get: ZONE_SELF, ZONE_CREATE, VCPU_ON of its offline
// vCPU 1 (which would run at CPL 0) and, last, ZONE_EXIT. Every one must
// come back BH_ERR_PERMISSION_DENIED with no effect; the zone then checks,
// at CPL 0, that the same calls still work there.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/usermode.hpp>
#include <guest/zone.hpp>
#include <guest/zone_admin.hpp>

using namespace bh;
using ll = long long;

namespace {

constexpr char kChild[] = "ring3-child";
constexpr u64 kChildLen = sizeof kChild - 1;
constexpr u64 kExitCode = 0x3e3e;

struct FromUser {
    u64 cpl;
    i64 self, create, vcpu_on, yield, exit;
    u64 create_handle;
};
FromUser seen;

volatile u32 vcpu1_ran, vcpu1_cpl;

void vcpu1(u64) {
    vcpu1_cpl = user::cpl();
    dmb();
    vcpu1_ran = 1;
    for (;;) asm volatile("cli; hlt");
}

// At CPL 3.
u64 attack(u64) {
    seen.cpl = user::cpl();
    seen.self = hypercall(BH_HC_ZONE_SELF).status;
    HcResult c = hypercall(BH_HC_ZONE_CREATE, reinterpret_cast<uptr>(kChild), kChildLen, 0x200000, 1);
    seen.create = c.status;
    seen.create_handle = c.r1;
    seen.vcpu_on = hypercall(BH_HC_VCPU_ON, 1, smp::secondary_entry(), smp::prepare(1, vcpu1, 0)).status;
    seen.yield = hypercall(BH_HC_YIELD).status;
    return 0;
}

// At CPL 3, alone: if this one gets through, the zone ends here, with no verdict.
u64 attack_exit(u64) {
    seen.exit = hypercall(BH_HC_ZONE_EXIT, kExitCode).status;
    return 0;
}

void expect_denied(i64 status, const char* call) {
    test::check(status == BH_ERR_PERMISSION_DENIED, "%s from CPL 3 returned %lld, expected PERMISSION_DENIED (%d)",
                call, static_cast<ll>(status), BH_ERR_PERMISSION_DENIED);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("hypercall-cpl");
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::skip("needs the hypervisor");
    if (self.vcpus != 2) test::error("the manifest must give this zone 2 vCPUs");
    if (hc::zone_status(self.handle).status != BH_OK) test::error("the manifest must make this zone privileged");

    user::init();
    user::call(attack);
    print("from CPL %llu: ZONE_SELF %lld, ZONE_CREATE %lld, VCPU_ON %lld, YIELD %lld\n",
          static_cast<unsigned long long>(seen.cpl), static_cast<ll>(seen.self), static_cast<ll>(seen.create),
          static_cast<ll>(seen.vcpu_on), static_cast<ll>(seen.yield));
    if (seen.cpl != 3) test::error("the calls ran at CPL %llu, not 3", static_cast<unsigned long long>(seen.cpl));
    expect_denied(seen.self, "ZONE_SELF");
    expect_denied(seen.create, "ZONE_CREATE");
    expect_denied(seen.vcpu_on, "VCPU_ON");
    expect_denied(seen.yield, "YIELD");
    if (seen.create == BH_OK) {
        print("CPL 3 created zone 0x%llx: destroying it\n", static_cast<unsigned long long>(seen.create_handle));
        hc::zone_destroy(seen.create_handle);
    }
    timer::delay_ms(50);
    test::check(!vcpu1_ran, "VCPU_ON from CPL 3 started vCPU 1, which ran at CPL %u", vcpu1_cpl);

    user::call(attack_exit);
    print("from CPL 3: ZONE_EXIT %lld (the zone lives on)\n", static_cast<ll>(seen.exit));
    expect_denied(seen.exit, "ZONE_EXIT");

    // Nothing happened: at CPL 0 the name is free and vCPU 1 is still off.
    SmcccResult c = hc::zone_create(kChild, kChildLen, 0x200000, 1);
    test::check(c.status == BH_OK, "ZONE_CREATE at CPL 0 returned %lld: did CPL 3 take the name?",
                static_cast<ll>(c.status));
    if (c.status == BH_OK) BH_EXPECT_EQ(admin::destroy_retrying(c.r1, 1000), static_cast<i64>(BH_OK));
    if (!vcpu1_ran) {
        BH_EXPECT_EQ(smp::start_vcpu(1, vcpu1, 0), static_cast<i64>(BH_OK));
        u64 end = timer::counter() + timer::ms_to_ticks(2000);
        while (!vcpu1_ran && timer::counter() < end) cpu_relax();
        test::check(vcpu1_ran && vcpu1_cpl == 0, "vCPU 1 started from CPL 0 did not come up at CPL 0");
    }
    print("every hypercall from CPL 3 was refused; from CPL 0 they work\n");
    test::finish();
}

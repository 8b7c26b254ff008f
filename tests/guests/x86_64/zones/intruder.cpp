// SPDX-License-Identifier: GPL-2.0-only
// Under fault-policy "abort" (x86): every access outside the zone's RAM
// must raise #GP(0) at the access and must neither return data nor change
// any: another zone's frames, the hypervisor, the host's APIC and HPET,
// guest-physical space past the zone's RAM. The zone's own local APIC is
// virtual: IPIs meant to reset or interrupt the machine's other CPUs through
// it reach nothing outside the zone; once it is in x2APIC mode its xAPIC
// page is unmapped like any other address.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/lapic.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

#include "../../common/zones/marker.hpp"

using namespace bh;
using ull = unsigned long long;

namespace {

struct Target {
    u64 addr;
    const char* what;
};

constexpr Target kTargets[] = {
    {0x08000000, "the victim's first frame (host 0x08000000)"},
    {0x08100000, "the victim's marker-filled frames"},
    {0x00200000, "the hypervisor image"},
    {0x00210000, "the hypervisor image"},
    {0xfee00000, "the host local APIC"},
    {0xfed00000, "the host HPET"},
    {0x40200000, "past the end of this zone's RAM"},
    {0x100000000, "4 GiB"},
};
constexpr u32 kJunk = 0x0badc0de;

void expect_gp(const probe::Result& r, u64 addr, const char* access) {
    if (!test::check(r.faulted, "%s 0x%llx did not fault", access, static_cast<ull>(addr))) return;
    test::check(r.vector == probe::kVectorGp && r.error == 0, "%s 0x%llx: exception %u (error 0x%llx), expected #GP(0)",
                access, static_cast<ull>(addr), r.vector, static_cast<ull>(r.error));
}

void attack(const Target& t) {
    probe::Result r = probe::read32(t.addr);
    expect_gp(r, t.addr, "read");
    test::check(static_cast<u32>(r.value) != kMarker32 || r.faulted, "read 0x%llx returned the victim's marker",
                static_cast<ull>(t.addr));
    probe::Result w = probe::write32(t.addr, kJunk);
    expect_gp(w, t.addr, "write");
    print("0x%llx (%s): read %s, write %s\n", static_cast<ull>(t.addr), t.what, r.faulted ? "faulted" : "WENT THROUGH",
          w.faulted ? "faulted" : "WENT THROUGH");
}

// Through the xAPIC page: INIT, SIPI, NMI and fixed IPIs to every other
// CPU. On a real APIC these would stop or restart the other CPUs.
void attack_through_apic() {
    BH_EXPECT_EQ(lapic::read(lapic::kId), 0ull); // vCPU 0's ID, not a host CPU's
    constexpr u32 kAllButSelf = 3u << 18, kInit = 5u << 8, kStartup = 6u << 8, kNmi = 4u << 8, kAssert = 1u << 14;
    const u32 icrs[] = {kAllButSelf | kInit | kAssert, kAllButSelf | kStartup | 0x10, kAllButSelf | kNmi,
                        kAllButSelf | 0x30, kInit | kAssert /* physical ID 1 */};
    for (u32 icr : icrs) lapic::write(lapic::kIcr, (u64(1) << 32) | icr); // destination: APIC ID 1
    print("sent INIT, STARTUP, NMI and fixed IPIs to every other CPU through the APIC page\n");
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("isolation-intruder");
    if (!hc::in_zone()) test::skip("needs the hypervisor: these addresses are real memory on bare metal");
    attack_through_apic();
    lapic::init(true); // the xAPIC page goes away: 0xfee00000 is probed below
    for (const Target& t : kTargets) attack(t);
    probe::Result x = probe::exec(0x200000);
    expect_gp(x, 0x200000, "fetch from");
    print("0x200000 (the hypervisor image): instruction fetch %s\n", x.faulted ? "faulted" : "WENT THROUGH");
    test::finish();
}

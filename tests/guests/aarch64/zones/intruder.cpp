// SPDX-License-Identifier: GPL-2.0-only
// Under fault-policy "abort": every access outside the zone's RAM and its
// emulated devices must raise a synchronous external abort (EC 0x25, DFSC
// 0x10, FAR = the address) and must neither return nor change data; the
// device windows that are emulated must be the zone's virtual ones.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

#include "../../common/zones/marker.hpp"

using namespace bh;

namespace {

struct Target {
    u64 addr;
    const char* what;
};

constexpr Target kTargets[] = {
    {0x70000000, "the victim's first frame (host 0x70000000)"},
    {0x70100000, "the victim's marker-filled frames"},
    {0x40200000, "the hypervisor image"},
    {0x40280000, "the hypervisor image"},
    {0x08080000, "the host GIC ITS"},
    {0x080e0000, "another CPU's redistributor"},
    {0x09030000, "the host PL061 GPIO"},
    {0x09020000, "fw_cfg"},
};
constexpr u32 kJunk = 0x0badc0de;

using ull = unsigned long long;

void expect_abort(const probe::Result& r, u64 addr, u32 ec, const char* access) {
    if (!test::check(r.aborted, "%s 0x%llx did not abort", access, static_cast<ull>(addr))) return;
    test::check(r.ec() == ec, "%s 0x%llx: ESR 0x%llx has EC 0x%x, expected 0x%x", access, static_cast<ull>(addr),
                static_cast<ull>(r.esr), r.ec(), ec);
    test::check(r.fsc() == probe::kFscSyncExternal, "%s 0x%llx: ESR 0x%llx has FSC 0x%x, expected 0x10", access,
                static_cast<ull>(addr), static_cast<ull>(r.esr), r.fsc());
    test::check(r.far == addr, "%s 0x%llx: FAR is 0x%llx", access, static_cast<ull>(addr), static_cast<ull>(r.far));
}

void attack(const Target& t) {
    probe::Result r = probe::read32(t.addr);
    expect_abort(r, t.addr, probe::kEcDataAbortSameEl, "read");
    test::check(static_cast<u32>(r.value) != kMarker32 || r.aborted, "read 0x%llx returned the victim's marker",
                static_cast<ull>(t.addr));
    if (!r.aborted) print("read 0x%llx returned 0x%llx\n", static_cast<ull>(t.addr), static_cast<ull>(r.value));
    probe::Result w = probe::write32(t.addr, kJunk);
    expect_abort(w, t.addr, probe::kEcDataAbortSameEl, "write");
    print("0x%llx (%s): read %s, write %s\n", static_cast<ull>(t.addr), t.what, r.aborted ? "aborted" : "WENT THROUGH",
          w.aborted ? "aborted" : "WENT THROUGH");
}

void check_virtual_devices() {
    probe::Result typer = probe::read32(0x08000004);
    if (test::check(!typer.aborted, "reading GICD_TYPER aborted"))
        test::check((typer.value & 0x1f) == 2, "GICD_TYPER.ITLinesNumber is %llu, expected 2 (a zone's vGIC)",
                    static_cast<ull>(typer.value & 0x1f));
    test::check(!probe::write32(0x08000000, 0).aborted, "writing 0 to GICD_CTLR aborted");
    test::check(!probe::write32(0x09000030, 0).aborted, "writing 0 to UARTCR aborted");
    probe::Result fr = probe::read32(0x09000018);
    test::check(!fr.aborted && (fr.value & 0x10), "UARTFR 0x%llx: RXFE is not set", static_cast<ull>(fr.value));
    test::check(!probe::read32(0x09000000).aborted, "reading UARTDR aborted");
    fr = probe::read32(0x09000018);
    test::check(!fr.aborted && (fr.value & 0x10), "UARTFR 0x%llx after reading DR: RXFE is not set",
                static_cast<ull>(fr.value));
    // Printing this proves the zone's UART ignored UARTCR = 0.
    print("GICD_CTLR and UARTCR written with 0; the console still works\n");
    // The RTC at the host's PL031 address is the zone's own: it reads the
    // host's date (after 2020), and loading it moves this zone's clock only.
    probe::Result rtc = probe::read32(0x09010000);
    test::check(!rtc.aborted && rtc.value > 1577836800, "RTCDR 0x%llx: not a date after 2020",
                static_cast<ull>(rtc.value));
    test::check(!probe::write32(0x09010008, 1000).aborted, "writing RTCLR aborted");
    rtc = probe::read32(0x09010000);
    test::check(!rtc.aborted && rtc.value >= 1000 && rtc.value < 1100, "RTCDR after loading 1000: %llu",
                static_cast<ull>(rtc.value));
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("isolation-intruder");
    if (!hc::in_zone()) test::skip("needs the hypervisor: these addresses are real devices on bare QEMU");
    for (const Target& t : kTargets) attack(t);
    probe::Result x = probe::exec(0x40200000);
    expect_abort(x, 0x40200000, probe::kEcInstAbortSameEl, "fetch from");
    print("0x40200000 (the hypervisor image): instruction fetch %s\n", x.aborted ? "aborted" : "WENT THROUGH");
    check_virtual_devices();
    test::finish();
}

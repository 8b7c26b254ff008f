// SPDX-License-Identifier: GPL-2.0-only
// The zone's platform as Linux sees it: QEMU virt's memory map, PSCI over
// HVC, a GICv3 with one redistributor per vCPU, the architected timer, the
// zone's PL011 console and its PL031 RTC.
#include "zone_fdt.hpp"

#include "vgic.hpp"

#include <bulkhead/log.hpp>
#include <bulkhead/pl011.hpp>
#include <bulkhead/pl031.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh::aarch64 {
namespace {

constexpr u32 kPhandleGic = 1, kPhandleClock = 2;
constexpr u32 kIrqTypeSpi = 0, kIrqTypePpi = 1, kIrqLevelHigh = 4;

class Writer {
  public:
    explicit Writer(void* fdt) : fdt_(fdt) {}
    bool ok() const { return err_ == 0; }
    int error() const { return err_; }

    void begin(const char* name) { check(fdt_begin_node(fdt_, name)); }
    void end() { check(fdt_end_node(fdt_)); }
    void u32_prop(const char* name, u32 v) { check(fdt_property_u32(fdt_, name, v)); }
    void str(const char* name, const char* v) { check(fdt_property_string(fdt_, name, v)); }
    void empty(const char* name) { check(fdt_property(fdt_, name, nullptr, 0)); }
    void bytes(const char* name, const void* data, u64 len) {
        check(fdt_property(fdt_, name, data, static_cast<int>(len)));
    }
    void cells(const char* name, const u32* v, unsigned n) {
        fdt32_t buf[16];
        for (unsigned i = 0; i < n && i < 16; ++i) buf[i] = cpu_to_fdt32(v[i]);
        check(fdt_property(fdt_, name, buf, static_cast<int>(n * 4)));
    }
    void reg(u64 base, u64 size) {
        u32 v[4] = {static_cast<u32>(base >> 32), static_cast<u32>(base), static_cast<u32>(size >> 32),
                    static_cast<u32>(size)};
        cells("reg", v, 4);
    }
    void u64_prop(const char* name, u64 v) { check(fdt_property_u64(fdt_, name, v)); }

  private:
    void check(int rc) {
        if (rc < 0 && err_ == 0) err_ = rc;
    }
    void* fdt_;
    int err_ = 0;
};

void cpus(Writer& w, const Zone& z) {
    w.begin("cpus");
    w.u32_prop("#address-cells", 1);
    w.u32_prop("#size-cells", 0);
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        char name[16];
        format(name, sizeof name, "cpu@%u", i);
        w.begin(name);
        w.str("device_type", "cpu");
        w.str("compatible", "arm,armv8");
        w.u32_prop("reg", i);
        w.str("enable-method", "psci");
        w.end();
    }
    w.end();
}

void gic(Writer& w, const Zone& z) {
    w.begin("intc@8000000");
    w.str("compatible", "arm,gic-v3");
    w.u32_prop("#interrupt-cells", 3);
    w.empty("interrupt-controller");
    w.u32_prop("#redistributor-regions", 1);
    u64 rsize = kVgicrStride * z.vcpu_count;
    u32 reg[8] = {0, static_cast<u32>(kVgicdBase.raw()), 0, static_cast<u32>(kVgicdSize),
                  0, static_cast<u32>(kVgicrBase.raw()), 0, static_cast<u32>(rsize)};
    w.cells("reg", reg, 8);
    // The maintenance interrupt is the hypervisor's; the zone has no EL2.
    w.u32_prop("phandle", kPhandleGic);
    w.end();
}

void timer(Writer& w) {
    w.begin("timer");
    w.str("compatible", "arm,armv8-timer");
    // Secure physical, non-secure physical, virtual, hypervisor (PPIs 29, 30, 27, 26).
    u32 irqs[12] = {kIrqTypePpi, 13, kIrqLevelHigh, kIrqTypePpi, 14, kIrqLevelHigh,
                    kIrqTypePpi, 11, kIrqLevelHigh, kIrqTypePpi, 10, kIrqLevelHigh};
    w.cells("interrupts", irqs, 12);
    w.empty("always-on");
    w.end();
}

void uart(Writer& w) {
    w.begin("apb-pclk");
    w.str("compatible", "fixed-clock");
    w.u32_prop("#clock-cells", 0);
    w.u32_prop("clock-frequency", 24000000);
    w.str("clock-output-names", "clk24mhz");
    w.u32_prop("phandle", kPhandleClock);
    w.end();

    w.begin("pl011@9000000");
    static const char compat[] = "arm,pl011\0arm,primecell";
    w.bytes("compatible", compat, sizeof compat);
    w.reg(Pl011::kBase.raw(), Pl011::kSize);
    u32 irq[3] = {kIrqTypeSpi, 1, kIrqLevelHigh};
    w.cells("interrupts", irq, 3);
    u32 clocks[2] = {kPhandleClock, kPhandleClock};
    w.cells("clocks", clocks, 2);
    static const char clock_names[] = "uartclk\0apb_pclk";
    w.bytes("clock-names", clock_names, sizeof clock_names);
    w.end();
}

// QEMU virt's PL031, with the same clock as the PL011 (AMBA probing needs
// its apb_pclk).
void rtc(Writer& w) {
    w.begin("pl031@9010000");
    static const char compat[] = "arm,pl031\0arm,primecell";
    w.bytes("compatible", compat, sizeof compat);
    w.reg(Pl031::kBase.raw(), Pl031::kSize);
    u32 irq[3] = {kIrqTypeSpi, Pl031::kInterruptLine, kIrqLevelHigh};
    w.cells("interrupts", irq, 3);
    w.u32_prop("clocks", kPhandleClock);
    w.str("clock-names", "apb_pclk");
    w.end();
}

// QEMU virt's virtio-mmio slots in address order, which is the order
// Linux probes them in (the tree's order): slot 1's disk is /dev/vda, as
// zonectl promises. (QEMU creates its nodes last-first only because
// fdt_add_subnode puts each new node first; this writer appends.)
void virtio_slots(Writer& w) {
    for (u32 i = 0; i < VirtioMmioSlots::kSlots; ++i) {
        u64 base = VirtioMmioSlots::kBase.raw() + i * VirtioMmioSlots::kSlotSize;
        char name[32];
        format(name, sizeof name, "virtio_mmio@%llx", static_cast<unsigned long long>(base));
        w.begin(name);
        w.str("compatible", "virtio,mmio");
        w.reg(base, VirtioMmioSlots::kSlotSize);
        u32 irq[3] = {kIrqTypeSpi, VirtioMmioSlots::kFirstLine + i, 1 /* edge rising */};
        w.cells("interrupts", irq, 3);
        w.empty("dma-coherent");
        w.end();
    }
}

void chosen(Writer& w, const Zone& z, const ZoneFdtInputs& in) {
    w.begin("chosen");
    w.str("stdout-path", "/pl011@9000000");
    const LinuxBoot* l = in.linux_boot;
    if (l && l->bootargs.present()) w.bytes("bootargs", l->bootargs.data, l->bootargs.size);
    if (in.initrd_size) {
        w.u64_prop("linux,initrd-start", in.initrd.raw());
        w.u64_prop("linux,initrd-end", in.initrd.raw() + in.initrd_size);
    }
    w.begin("bulkhead,workload");
    w.str("zone-name", z.name);
    if (l && l->command.present()) {
        w.bytes("command", l->command.data, l->command.size);
        if (l->args.present()) w.bytes("args", l->args.data, l->args.size);
        if (l->env.present()) w.bytes("env", l->env.data, l->env.size);
        if (l->cwd.present()) w.bytes("cwd", l->cwd.data, l->cwd.size);
        if (l->stdin_mode.present()) w.bytes("stdin", l->stdin_mode.data, l->stdin_mode.size);
    }
    w.end();
    w.end();
}

} // namespace

u64 build_zone_fdt(const Zone& z, const ZoneFdtInputs& in, void* buf, u64 size) {
    int rc = fdt_create(buf, static_cast<int>(size));
    if (rc == 0) rc = fdt_finish_reservemap(buf);
    Writer w(buf);
    if (rc == 0) {
        w.begin("");
        w.u32_prop("#address-cells", 2);
        w.u32_prop("#size-cells", 2);
        w.u32_prop("interrupt-parent", kPhandleGic);
        static const char compat[] = "bulkhead,zone\0linux,dummy-virt";
        w.bytes("compatible", compat, sizeof compat);
        w.str("model", "Bulkhead zone");

        w.begin("psci");
        static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
        w.bytes("compatible", psci, sizeof psci);
        w.str("method", "hvc");
        w.end();

        cpus(w, z);
        char mem[32];
        format(mem, sizeof mem, "memory@%llx", static_cast<unsigned long long>(z.ram.base.raw()));
        w.begin(mem);
        w.str("device_type", "memory");
        w.reg(z.ram.base.raw(), z.ram.size);
        w.end();
        gic(w, z);
        timer(w);
        uart(w);
        rtc(w);
        virtio_slots(w);
        chosen(w, z, in);
        w.end();
        rc = w.error();
    }
    if (rc == 0) rc = fdt_finish(buf);
    if (rc != 0) {
        log("zone '%s': cannot build its device tree: %s", z.name, fdt_strerror(rc));
        return 0;
    }
    return fdt_totalsize(buf);
}

} // namespace bh::aarch64

// SPDX-License-Identifier: GPL-2.0-only
// The control domain's device tree, derived from the host's.
//
// Root nodes are kept only if the control domain really has the device
// (an allow-list, so a device QEMU or a board adds later is hidden rather
// than handed over by accident): PSCI (switched to HVC: the hypervisor's
// virtual PSCI), the architected timer, the GICv3 (its registers replaced by
// the zone's virtual distributor and one redistributor per vCPU; no ITS, no
// maintenance interrupt), the UART at the zone's PL011 address with its
// clock, the RTC at the zone's PL031 address (the emulated PL031 every zone
// has, seeded from the host's wall clock, so the control domain's kernel
// sets its date at boot: RTC_HCTOSYS), and the virtio-mmio transports
// passed through at their addresses (passthrough.cpp). /cpus, the memory nodes and /chosen are rebuilt; the
// reserved-memory map is dropped (the hypervisor's memory is not the zone's).
#include "control_domain_fdt.hpp"

#include "vgic.hpp"

#include <arch/zone_platform.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/pl011.hpp>
#include <bulkhead/pl031.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh::aarch64 {
namespace {

constexpr u32 kIrqTypeSpi = 0, kIrqEdgeRising = 1, kIrqLevelHigh = 4;

// The first reg entry's address of a root node (#address-cells 2).
u64 reg_base(const void* fdt, int node) {
    int len;
    const fdt32_t* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
    if (!reg || len < 8) return ~0ull;
    return (u64(fdt32_ld(&reg[0])) << 32) | fdt32_ld(&reg[1]);
}

bool compatible(const void* fdt, int node, const char* c) { return fdt_node_check_compatible(fdt, node, c) == 0; }

bool keep_root_node(const void* fdt, int node) {
    const char* name = fdt_get_name(fdt, node, nullptr);
    if (name && __builtin_strcmp(name, "psci") == 0) return true;
    if (compatible(fdt, node, "arm,armv8-timer") || compatible(fdt, node, "arm,gic-v3") ||
        compatible(fdt, node, "virtio,mmio") || compatible(fdt, node, "fixed-clock"))
        return true;
    if (compatible(fdt, node, "arm,pl031")) return reg_base(fdt, node) == Pl031::kBase.raw();
    return compatible(fdt, node, "arm,pl011") && reg_base(fdt, node) == Pl011::kBase.raw();
}

// Deletes every child of `parent` that `keep` refuses. Deleting moves the
// offsets after it, so the walk starts again after each deletion.
template <class Keep>
int prune(void* fdt, int parent_path_node, Keep keep) {
    for (;;) {
        int node, victim = -1;
        fdt_for_each_subnode(node, fdt, parent_path_node) {
            if (!keep(node)) {
                victim = node;
                break;
            }
        }
        if (victim < 0) return 0;
        if (int rc = fdt_del_node(fdt, victim); rc < 0) return rc;
    }
}

int set_cells(void* fdt, int node, const char* name, const u32* v, unsigned n) {
    fdt32_t buf[8];
    for (unsigned i = 0; i < n; ++i) buf[i] = cpu_to_fdt32(v[i]);
    return fdt_setprop(fdt, node, name, buf, static_cast<int>(n * 4));
}

int set_reg(void* fdt, int node, u64 base, u64 size) {
    u32 v[4] = {static_cast<u32>(base >> 32), static_cast<u32>(base), static_cast<u32>(size >> 32),
                static_cast<u32>(size)};
    return set_cells(fdt, node, "reg", v, 4);
}

// The host's PL031 node now names the zone's emulated one (the same
// address, the host's clock): its interrupt is the zone's line for it.
int edit_rtc(void* fdt) {
    int rtc = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
    if (rtc < 0) return 0; // a host without one: the control domain's clock starts at 1970
    u32 irq[3] = {kIrqTypeSpi, Pl031::kInterruptLine, kIrqLevelHigh};
    return set_cells(fdt, rtc, "interrupts", irq, 3);
}

// An FDT_ERR_NOTFOUND from deleting what is not there is no error.
int ignore_absent(int rc) { return rc == -FDT_ERR_NOTFOUND ? 0 : rc; }

int edit_gic(void* fdt, const Zone& z) {
    int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
    if (gic < 0) return gic;
    if (int rc = prune(fdt, gic, [](int) { return false; }); rc < 0) return rc; // the ITS
    gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
    u64 rsize = kVgicrStride * z.vcpu_count;
    u32 reg[8] = {0, static_cast<u32>(kVgicdBase.raw()), 0, static_cast<u32>(kVgicdSize),
                  0, static_cast<u32>(kVgicrBase.raw()), 0, static_cast<u32>(rsize)};
    int rc = set_cells(fdt, gic, "reg", reg, 8);
    if (rc == 0) rc = fdt_setprop_u32(fdt, gic, "#redistributor-regions", 1);
    if (rc == 0) rc = ignore_absent(fdt_delprop(fdt, gic, "redistributor-stride"));
    // The maintenance interrupt is the hypervisor's; the zone has no EL2.
    if (rc == 0) rc = ignore_absent(fdt_delprop(fdt, gic, "interrupts"));
    return rc;
}

int add_cpus(void* fdt, const Zone& z) {
    int cpus = fdt_add_subnode(fdt, 0, "cpus");
    if (cpus < 0) return cpus;
    int rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
    if (rc == 0) rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
    // A new node goes before its siblings: add the last vCPU first.
    for (u32 i = z.vcpu_count; rc == 0 && i-- > 0;) {
        char name[16];
        format(name, sizeof name, "cpu@%u", i);
        int cpu = fdt_add_subnode(fdt, cpus, name);
        if (cpu < 0) return cpu;
        rc = fdt_setprop_string(fdt, cpu, "device_type", "cpu");
        if (rc == 0) rc = fdt_setprop_string(fdt, cpu, "compatible", "arm,armv8");
        if (rc == 0) rc = fdt_setprop_u32(fdt, cpu, "reg", i);
        if (rc == 0) rc = fdt_setprop_string(fdt, cpu, "enable-method", "psci");
    }
    return rc;
}

int add_memory(void* fdt, const Zone& z) {
    char name[32];
    format(name, sizeof name, "memory@%llx", static_cast<unsigned long long>(z.ram.base.raw()));
    int mem = fdt_add_subnode(fdt, 0, name);
    if (mem < 0) return mem;
    int rc = fdt_setprop_string(fdt, mem, "device_type", "memory");
    return rc ? rc : set_reg(fdt, mem, z.ram.base.raw(), z.ram.size);
}

int set_blob(void* fdt, int node, const char* name, const Blob& b) {
    return b.present() ? fdt_setprop(fdt, node, name, b.data, static_cast<int>(b.size)) : 0;
}

int add_chosen(void* fdt, const Zone& z, const ZoneFdtInputs& in) {
    int chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (chosen < 0) return chosen;
    int uart = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
    char path[64] = "";
    if (uart >= 0 && fdt_get_path(fdt, uart, path, sizeof path) < 0) path[0] = '\0';
    int rc = path[0] ? fdt_setprop_string(fdt, chosen, "stdout-path", path) : 0;
    const LinuxBoot* l = in.linux_boot;
    if (rc == 0 && l) rc = set_blob(fdt, chosen, "bootargs", l->bootargs);
    if (rc == 0 && in.initrd_size) {
        rc = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", in.initrd.raw());
        if (rc == 0) rc = fdt_setprop_u64(fdt, chosen, "linux,initrd-end", in.initrd.raw() + in.initrd_size);
    }
    if (rc) return rc;
    // What zone init runs (zone-kernel/README.md, "The workload interface").
    int w = fdt_add_subnode(fdt, chosen, "bulkhead,workload");
    if (w < 0) return w;
    rc = fdt_setprop_string(fdt, w, "zone-name", z.name);
    if (rc == 0 && l && l->command.present()) {
        rc = set_blob(fdt, w, "command", l->command);
        if (rc == 0) rc = set_blob(fdt, w, "args", l->args);
        if (rc == 0) rc = set_blob(fdt, w, "env", l->env);
        if (rc == 0) rc = set_blob(fdt, w, "cwd", l->cwd);
    }
    return rc;
}

// The control plane's device: the driver (drivers/linux/bulkhead) binds to
// it and takes the hypervisor's event line (BH_HC_EVENT_NEXT) from it.
int add_bulkhead(void* fdt) {
    int node = fdt_add_subnode(fdt, 0, "bulkhead");
    if (node < 0) return node;
    int rc = fdt_setprop_string(fdt, node, "compatible", "bulkhead,control-v1");
    u32 irq[3] = {kIrqTypeSpi, arch::kZonePlatform.event_line, kIrqEdgeRising};
    return rc ? rc : set_cells(fdt, node, "interrupts", irq, 3);
}

int derive(void* fdt, const Zone& z, const ZoneFdtInputs& in) {
    while (fdt_num_mem_rsv(fdt) > 0)
        if (int rc = fdt_del_mem_rsv(fdt, 0); rc < 0) return rc;
    if (int rc = prune(fdt, 0, [fdt](int node) { return keep_root_node(fdt, node); }); rc < 0) return rc;
    int psci = fdt_path_offset(fdt, "/psci");
    if (psci >= 0)
        if (int rc = fdt_setprop_string(fdt, psci, "method", "hvc"); rc < 0) return rc;
    int rc = edit_gic(fdt, z);
    if (rc == 0) rc = edit_rtc(fdt);
    if (rc == 0) rc = add_cpus(fdt, z);
    if (rc == 0) rc = add_memory(fdt, z);
    if (rc == 0) rc = add_chosen(fdt, z, in);
    if (rc == 0) rc = add_bulkhead(fdt);
    return rc;
}

// fdt_open_into wants room for the source's totalsize, and QEMU pads its
// DTB to 1 MiB. With the blocks in the usual order (reserve map, structure,
// strings) everything past the strings is padding: copy up to there and
// give the copy that size, then open it in place.
int open_unpadded(const void* host, void* buf, u64 size) {
    if (int rc = fdt_check_header(host); rc != 0) return rc;
    u64 used = u64(fdt_off_dt_strings(host)) + fdt_size_dt_strings(host);
    u64 structure_end = u64(fdt_off_dt_struct(host)) + fdt_size_dt_struct(host);
    bool usual_order = fdt_off_mem_rsvmap(host) < fdt_off_dt_struct(host) && structure_end <= fdt_off_dt_strings(host);
    if (!usual_order || used > fdt_totalsize(host)) return fdt_open_into(host, buf, static_cast<int>(size));
    if (used > size) return -FDT_ERR_NOSPACE;
    __builtin_memcpy(buf, host, used);
    fdt_set_totalsize(buf, static_cast<u32>(used));
    if (int rc = fdt_check_header(buf); rc != 0) return rc;
    return fdt_open_into(buf, buf, static_cast<int>(size));
}

} // namespace

u64 build_control_domain_fdt(const Zone& z, const ZoneFdtInputs& in, const void* host, void* buf, u64 size) {
    int rc = open_unpadded(host, buf, size);
    if (rc == 0) rc = derive(buf, z, in);
    if (rc == 0) rc = fdt_pack(buf);
    if (rc != 0) {
        log("zone '%s': cannot derive its device tree from the host's: %s", z.name, fdt_strerror(rc));
        return 0;
    }
    return fdt_totalsize(buf);
}

} // namespace bh::aarch64

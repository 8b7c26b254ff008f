// SPDX-License-Identifier: GPL-2.0-only
#include "platform.hpp"

#include <bulkhead/log.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh::aarch64 {
namespace {

Platform the_platform;

u64 read_cells(const fdt32_t* p, int cells) {
    u64 v = 0;
    for (int i = 0; i < cells; ++i) v = (v << 32) | fdt32_ld(&p[i]);
    return v;
}

// Reads entry `index` of a node's reg property, using its parent's cell sizes.
bool reg_entry(const void* fdt, int node, int index, u64& base, u64& size) {
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
    if (ac < 1 || ac > 2 || sc < 0 || sc > 2) return false;
    int len;
    const fdt32_t* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
    int stride = (ac + sc) * 4;
    if (!reg || len < (index + 1) * stride) return false;
    reg += index * (ac + sc);
    base = read_cells(reg, ac);
    size = read_cells(reg + ac, sc);
    return true;
}

void probe_memory(const void* fdt, Platform& p) {
    int node = -1;
    while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
        for (int i = 0; p.memory_count < Platform::kMaxMemory; ++i) {
            u64 base, size;
            if (!reg_entry(fdt, node, i, base, size)) break;
            if (size) p.memory[p.memory_count++] = {HostPhys(base), size};
        }
    }
}

void probe_cpus(const void* fdt, Platform& p) {
    int cpus = fdt_path_offset(fdt, "/cpus");
    if (cpus < 0) return;
    int node;
    fdt_for_each_subnode(node, fdt, cpus) {
        const char* type = static_cast<const char*>(fdt_getprop(fdt, node, "device_type", nullptr));
        if (!type || __builtin_strcmp(type, "cpu") != 0) continue;
        int len;
        const fdt32_t* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
        if (!reg || p.cpu_count == kMaxCpus) continue;
        p.cpu_mpidr[p.cpu_count++] = read_cells(reg, len >= 8 ? 2 : 1);
    }
}

void probe_chosen(const void* fdt, Platform& p) {
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0) return;
    int len;
    const fdt32_t* s = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-start", &len));
    const fdt32_t* e = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-end", nullptr));
    if (s && e) {
        u64 start = read_cells(s, len / 4);
        u64 end = read_cells(e, len / 4);
        if (end > start) {
            p.manifest = reinterpret_cast<const void*>(start);
            p.manifest_size = end - start;
        }
    }
}

// A GIC SPI from a node's first `interrupts` entry, as an INTID; 0 if none.
u32 spi_intid(const void* fdt, int node) {
    int len;
    const fdt32_t* irq = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "interrupts", &len));
    if (!irq || len < 12 || fdt32_ld(&irq[0]) != 0) return 0;
    return 32 + fdt32_ld(&irq[1]);
}

void probe_virtio(const void* fdt, Platform& p) {
    int node = -1;
    while ((node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) >= 0) {
        HostDevice d;
        if (p.virtio_count == Platform::kMaxVirtio || !reg_entry(fdt, node, 0, d.base, d.size) || !d.size) continue;
        d.intid = spi_intid(fdt, node);
        p.virtio[p.virtio_count++] = d;
    }
}

} // namespace

Platform& platform() { return the_platform; }

bool platform_probe(const void* dtb) {
    Platform& p = the_platform;
    if (!dtb || fdt_check_header(dtb) != 0) {
        log("boot: no valid device tree in x0 (%p)", dtb);
        return false;
    }
    p.dtb = dtb;
    p.dtb_size = fdt_totalsize(dtb);
    probe_memory(dtb, p);
    probe_cpus(dtb, p);
    probe_chosen(dtb, p);
    int uart = fdt_node_offset_by_compatible(dtb, -1, "arm,pl011");
    u64 size;
    if (uart >= 0) {
        reg_entry(dtb, uart, 0, p.uart, size);
        p.uart_intid = spi_intid(dtb, uart);
    }
    if (int rtc = fdt_node_offset_by_compatible(dtb, -1, "arm,pl031"); rtc >= 0 && !reg_entry(dtb, rtc, 0, p.rtc, size))
        p.rtc = 0;
    probe_virtio(dtb, p);
    int gic = fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3");
    if (gic < 0 || !reg_entry(dtb, gic, 0, p.gicd, p.gicd_size) || !reg_entry(dtb, gic, 1, p.gicr, p.gicr_size)) {
        log("boot: the device tree has no GICv3 (arm,gic-v3); Bulkhead needs one");
        return false;
    }
    if (p.memory_count == 0) {
        log("boot: the device tree describes no memory");
        return false;
    }
    if (p.cpu_count == 0) p.cpu_mpidr[p.cpu_count++] = 0;
    return true;
}

} // namespace bh::aarch64

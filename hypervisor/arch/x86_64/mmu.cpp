// SPDX-License-Identifier: GPL-2.0-only
#include "mmu.hpp"

#include "multiboot.hpp"

#include <arch/x86.hpp>
#include <arch/x86_paging.hpp>
#include <bulkhead/page_table.hpp>

namespace bh::x86_64 {
namespace {
PageTable<HostFormat> host_map;
constexpr u64 k1M = 1u << 20;
constexpr u64 k4G = u64(1) << 32;
} // namespace

bool mmu_build(FrameAllocator& frames, const BootInfo& boot, const u64* devices, unsigned device_count) {
    if (host_map.init(frames) != Status::ok || host_map.root().raw() >= k4G) return false;
    // The first MiB: real-mode trampoline, EBDA and BIOS areas (the MTRRs,
    // not this map, make the legacy VGA and ROM ranges uncached).
    if (host_map.map(Virt(0), HostPhys(0), k1M, MemAttr::ram()) != Status::ok) return false;
    for (unsigned i = 0; i < boot.memory_count; ++i) {
        u64 base = boot.memory[i].base.raw(), end = boot.memory[i].end().raw();
        if (end <= k1M) continue;
        if (base < k1M) base = k1M;
        if (host_map.map(Virt(base), HostPhys(base), end - base, MemAttr::ram()) != Status::ok) return false;
    }
    for (unsigned i = 0; i < device_count; ++i) {
        u64 page = align_down(devices[i], kPageSize);
        HostPhys out;
        MemAttr attr;
        if (host_map.lookup(Virt(page), out, attr)) continue; // listed twice
        if (host_map.map(Virt(page), HostPhys(page), kPageSize, MemAttr::device()) != Status::ok) return false;
    }
    return true;
}

void mmu_enable() { x86::write_cr3(host_map.root().raw()); }

HostPhys mmu_root() { return host_map.root(); }

} // namespace bh::x86_64

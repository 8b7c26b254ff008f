// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/device_registry.hpp>

namespace bh {

Status DeviceRegistry::add_range(const DeviceRange& r) {
    if (r.size == 0 || r.base + r.size < r.base) return Status::invalid_argument;
    for (unsigned i = 0; i < count_; ++i) {
        const DeviceRange& o = ranges_[i];
        if (o.space == r.space && r.base < o.base + o.size && o.base < r.base + r.size) return Status::busy;
    }
    if (count_ == kMaxRanges) return Status::no_memory;
    ranges_[count_++] = r;
    return Status::ok;
}

// A handful of ranges per zone: a linear scan is as fast as anything.
const DeviceRange* DeviceRegistry::find(AddressSpace space, u64 addr) const {
    for (unsigned i = 0; i < count_; ++i)
        if (ranges_[i].space == space && ranges_[i].contains(addr)) return &ranges_[i];
    return nullptr;
}

bool DeviceRegistry::claims(const Vcpu& v, AddressSpace space, u64 addr) const {
    const DeviceRange* r = find(space, addr);
    return r && (!r->claims || r->claims(r->model, v, addr - r->base));
}

bool DeviceRegistry::dispatch(Vcpu& v, AddressSpace space, u64 addr, DeviceAccess& a) const {
    const DeviceRange* r = find(space, addr);
    if (!r) return false;
    a.offset = addr - r->base;
    return r->access(r->model, v, a);
}

} // namespace bh

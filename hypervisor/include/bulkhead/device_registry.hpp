// SPDX-License-Identifier: GPL-2.0-only
// A zone's device registry: which device model owns which guest-physical
// range (or I/O-port range). Exits look an address up here; nothing else
// decides where a zone's access goes. Entries are added while the zone is
// being built (its interrupt controller's windows, its console, the virtio
// windows its platform offers; later those the control domain serves) and
// never change while the zone runs, so lookups need no lock.
#pragma once

#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {

struct Vcpu;

enum class AddressSpace : u8 {
    mmio, // guest-physical addresses
    port, // x86 I/O ports
};

// One trapped access to a device register.
struct DeviceAccess {
    u64 offset = 0; // from the start of the device's range
    u8 size = 4;    // bytes: 1, 2, 4 or 8
    bool write = false;
    u64 value = 0; // written value, or the value read (masked to size by the caller)
    // The model forwarded the access to a server (ioreq.hpp): the vCPU waits
    // for the completion, which the arch applies (register, PC) then.
    bool deferred = false;
    // The model cannot take the access now (a server's queue is full): the
    // vCPU executes the instruction again after giving up its time slice.
    bool retry = false;
};

struct DeviceRange {
    AddressSpace space = AddressSpace::mmio;
    u64 base = 0;
    u64 size = 0;
    const char* name = "";
    void* model = nullptr;
    // Performs the access. False: the model does not claim this access (a
    // redistributor frame of a vCPU the zone lacks, the xAPIC page while the
    // APIC is in x2APIC mode): it gets the zone's fault policy.
    bool (*access)(void* model, Vcpu& v, DeviceAccess& a) = nullptr;
    // Whether the model would claim an access at `offset` now; checked
    // before an access is decoded (x86 fetches the instruction). Null: always.
    bool (*claims)(void* model, const Vcpu& v, u64 offset) = nullptr;

    bool contains(u64 addr) const { return addr >= base && addr - base < size; }
};

class DeviceRegistry {
  public:
    static constexpr unsigned kMaxRanges = 16;

    // Registers `model` for [base, base + size). Model::access(Vcpu&,
    // DeviceAccess&) -> bool does the work; Model::claims(const Vcpu&, u64)
    // -> bool, if the model has one, says whether it would. invalid_argument:
    // empty or wrapping range; busy: it overlaps a registered one;
    // no_memory: the registry is full.
    template <class Model>
    [[nodiscard]] Status add(AddressSpace space, u64 base, u64 size, Model& model, const char* name) {
        DeviceRange r;
        r.space = space;
        r.base = base;
        r.size = size;
        r.name = name;
        r.model = &model;
        r.access = [](void* m, Vcpu& v, DeviceAccess& a) { return static_cast<Model*>(m)->access(v, a); };
        if constexpr (requires(const Model& cm, const Vcpu& cv) { cm.claims(cv, u64{}); })
            r.claims = [](void* m, const Vcpu& v, u64 off) { return static_cast<const Model*>(m)->claims(v, off); };
        return add_range(r);
    }

    const DeviceRange* find(AddressSpace space, u64 addr) const;
    // Whether a model would take an access at `addr` now.
    bool claims(const Vcpu& v, AddressSpace space, u64 addr) const;
    // The access through the model owning `addr`, with a.offset made
    // relative to its range. False: no model, or the model refused it.
    bool dispatch(Vcpu& v, AddressSpace space, u64 addr, DeviceAccess& a) const;

    unsigned count() const { return count_; }
    const DeviceRange& at(unsigned i) const { return ranges_[i]; }

  private:
    Status add_range(const DeviceRange& r);

    DeviceRange ranges_[kMaxRanges];
    unsigned count_ = 0;
};

} // namespace bh

// SPDX-License-Identifier: GPL-2.0-only
// Byte-wide IN and OUT through a device registry's port space, as a vCPU's
// exit does them, for tests of the x86 port device models.
#pragma once

#include <catch2/catch.hpp>

#include <bulkhead/device_registry.hpp>

namespace bh::test {

struct PortIo {
    DeviceRegistry& registry;
    Vcpu& vcpu;
    unsigned reads = 0;

    void out(u16 port, u8 value) {
        DeviceAccess a;
        a.size = 1;
        a.write = true;
        a.value = value;
        REQUIRE(registry.dispatch(vcpu, AddressSpace::port, port, a));
    }
    u8 in(u16 port) {
        ++reads;
        DeviceAccess a;
        a.size = 1;
        REQUIRE(registry.dispatch(vcpu, AddressSpace::port, port, a));
        return static_cast<u8>(a.value);
    }
};

} // namespace bh::test

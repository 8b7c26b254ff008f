// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/hypervisor.hpp>

namespace bh::zoned {

// A hypervisor without virtio backends (the tests' stubs) has no disks to serve.
void Hypervisor::serve_disks(ZoneHandle, std::uint32_t count) {
    if (count != 0) throw HypervisorError(HvErrc::not_supported, "this hypervisor cannot serve disks to zones");
}

} // namespace bh::zoned

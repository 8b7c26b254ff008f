// SPDX-License-Identifier: GPL-2.0-only
// A zone's backend on the real hypervisor: serves virtio-console in the
// zone's virtio-mmio slot 0 with control/virtio's MmioTransport and
// ConsoleDevice. Forwarded register accesses come from the zone's I/O fd
// (BULKHEAD_ZONE_IOREQ_FD) and are completed there in batches; posted
// QueueNotify writes arrive on it too and only mark queues pending; queues
// run on the zone's RAM mapped with ZONE_MAP; used-buffer and config
// interrupts raise the slot's line with ZONE_IRQ. What the zone transmits
// goes to the rotating log, input from zoned to its receive queue, as in
// the fake's byte-stream loop (backend_loop.hpp).
#pragma once

#include <bulkhead/zoned/backend_loop.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace bh::zoned {

// Before the seccomp filter: takes the I/O fd and maps the zone's RAM from
// the zone fd (fds.console). Everything after needs only read, write, poll
// and the one ZONE_IRQ ioctl on that fd (virtio_backend_irq_ioctl()).
struct VirtioBackend {
    int zone_fd = -1;
    int io_fd = -1;
    std::uint8_t* ram = nullptr; // the zone's RAM, mapped for the process's life
    std::uint64_t ram_bytes = 0;
    std::string zone;
};
std::unique_ptr<VirtioBackend> prepare_virtio_backend(const BackendFds& fds, const char* zone);
BackendEnd run_virtio_backend(VirtioBackend* backend, const BackendFds& fds, const BackendLimits& limits);

// The ioctl request the running backend makes on its zone fd.
unsigned long virtio_backend_irq_ioctl();

} // namespace bh::zoned

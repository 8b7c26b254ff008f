// SPDX-License-Identifier: GPL-2.0-only
// A zone's backend on the real hypervisor: serves virtio-console in the
// zone's virtio-mmio slot 0 with control/virtio's MmioTransport and
// ConsoleDevice, and its disks as virtio-blk (BlockDevice on a
// FileBlockStore) in slots 1, 2, ...; slot s raises line first + s. Forwarded register accesses come from the zone's
// I/O fd (BULKHEAD_ZONE_IOREQ_FD) and are completed there in batches; posted QueueNotify writes arrive on it too and
// only mark queues pending; queues run on the zone's RAM mapped with ZONE_MAP; used-buffer and config interrupts raise
// the slot's line with ZONE_IRQ. What the zone transmits goes to the rotating log, input from zoned to its receive
// queue, as in the fake's byte-stream loop (backend_loop.hpp).
#pragma once

#include <bulkhead/zoned/backend_loop.hpp>

#include <bulkhead/virtio/block_store.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bh::zoned {

// Before the seccomp filter: takes the I/O fd and maps the zone's RAM from
// the zone fd (fds.console). Everything after needs only read, write, poll
// and the one ZONE_IRQ ioctl on that fd (virtio_backend_irq_ioctl()).
struct DiskMode {
    bool read_only = false;
};

struct VirtioBackend {
    struct Disk {
        std::unique_ptr<virtio::FileBlockStore> store; // on fds.first_disk + i
        bool read_only = false;
    };
    int zone_fd = -1;
    int io_fd = -1;
    std::uint8_t* ram = nullptr; // the zone's RAM, mapped for the process's life
    std::uint64_t ram_bytes = 0;
    std::string zone;
    std::vector<Disk> disks;
};
// `disks`: one per disk descriptor from fds.first_disk on.
std::unique_ptr<VirtioBackend> prepare_virtio_backend(const BackendFds& fds, const char* zone,
                                                      const std::vector<DiskMode>& disks);
BackendEnd run_virtio_backend(VirtioBackend* backend, const BackendFds& fds, const BackendLimits& limits);

// The ioctl request the running backend makes on its zone fd.
unsigned long virtio_backend_irq_ioctl();

} // namespace bh::zoned

// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/rotating_log.hpp>
#include <bulkhead/zoned/virtio_backend.hpp>
#include <bulkhead/zoned/zone_arch.hpp>

#include <bulkhead/virtio/block_device.hpp>
#include <bulkhead/virtio/block_store.hpp>
#include <bulkhead/virtio/console_device.hpp>
#include <bulkhead/virtio/guest_memory.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>
#include <bulkhead/virtio/ring_block_store.hpp>

#include <bulkhead.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace bh::zoned {

namespace {

// Slot 0 of the zone's virtio-mmio slots, its interrupt line and the
// zone's RAM, where this build's architecture has them (zone_arch.hpp).
const ZoneArchInfo& kArch = zone_arch_info(kNativeZoneArch);
constexpr std::size_t kInputMax = 64 * 1024; // input held for a zone that does not read it
constexpr std::size_t kBatch = 64;           // ioreqs per read()

std::runtime_error sys_error(const std::string& what) { return std::runtime_error(what + ": " + std::strerror(errno)); }

class MappedRam final : public virtio::GuestMemory {
  public:
    MappedRam(virtio::u8* host, virtio::u64 size) : GuestMemory(kArch.linux_ram_base, size, host) {}
};

std::uint64_t now_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1'000'000'000u + std::uint64_t(ts.tv_nsec);
}

} // namespace

unsigned long virtio_backend_irq_ioctl() { return BULKHEAD_ZONE_IRQ; }

std::unique_ptr<VirtioBackend> prepare_virtio_backend(const BackendFds& fds, const char* zone,
                                                      const std::vector<DiskMode>& disks) {
    auto b = std::make_unique<VirtioBackend>();
    b->zone_fd = fds.console;
    b->zone = zone;
    // EBUSY: the backend of an earlier zoned still serves the zone (it
    // alone knows the device's state). zoned re-attaches to such a backend
    // rather than starting another (InputPort), but one it could not reach
    // is waited for here: take over once it has gone, which it does when
    // the zone ends.
    while ((b->io_fd = ::ioctl(fds.console, BULKHEAD_ZONE_IOREQ_FD, nullptr)) < 0 && errno == EBUSY) ::usleep(100'000);
    if (b->io_fd < 0) throw sys_error("the zone's I/O fd (ZONE_IOREQ_FD)");
    bulkhead_zone_map map{};
    if (::ioctl(fds.console, BULKHEAD_ZONE_MAP, &map) != 0) {
        // A restarted backend: the mapping its predecessor made is still
        // in place; its size is the zone's RAM.
        bulkhead_zone_info info{};
        if (errno != EBUSY || ::ioctl(fds.console, BULKHEAD_ZONE_INFO, &info) != 0)
            throw sys_error("mapping the zone's RAM (ZONE_MAP)");
        map.size = info.ram_bytes;
    }
    void* ram = ::mmap(nullptr, map.size, PROT_READ | PROT_WRITE, MAP_SHARED, fds.console, 0);
    if (ram == MAP_FAILED) throw sys_error("mmap of the zone's RAM");
    b->ram = static_cast<std::uint8_t*>(ram);
    b->ram_bytes = map.size;
    // Sizes now: a block device's takes an ioctl the filter then forbids.
    // So are the disks' rings: the filter forbids making or widening one.
    for (std::size_t i = 0; i < disks.size(); ++i) {
        std::string note;
        auto store = virtio::open_disk_store(fds.first_disk + static_cast<int>(i), note);
        if (!note.empty())
            std::fprintf(stderr, "bulkhead-zone-backend: zone %s, disk %zu: %s\n", zone, i, note.c_str());
        b->disks.push_back(VirtioBackend::Disk{std::move(store), disks[i].read_only});
    }
    return b;
}

BackendEnd run_virtio_backend(VirtioBackend* b, const BackendFds& fds, const BackendLimits& limits) {
    InputPort input(fds);
    try {
        RotatingLog log(fds.log_dir, limits.log_max_bytes, limits.log_keep);
        std::deque<std::uint8_t> to_zone;
        MappedRam ram(b->ram, b->ram_bytes);
        virtio::ConsoleDevice console(
            [&](std::span<const virtio::u8> out) {
                log.write(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
            },
            [&](std::span<virtio::u8> buf) {
                std::size_t n = std::min(buf.size(), to_zone.size());
                std::copy_n(to_zone.begin(), n, buf.begin());
                to_zone.erase(to_zone.begin(), to_zone.begin() + static_cast<std::ptrdiff_t>(n));
                return n;
            });
        // Slot 0 the console, slot 1 + i disk i; slot s raises line first + s.
        std::vector<std::unique_ptr<virtio::BlockDevice>> blocks;
        for (std::size_t i = 0; i < b->disks.size(); ++i)
            blocks.push_back(std::make_unique<virtio::BlockDevice>(
                *b->disks[i].store, virtio::BlockOptions{b->disks[i].read_only, "bulkhead-disk" + std::to_string(i)}));
        std::vector<virtio::VirtioDevice*> devices{&console};
        for (auto& blk : blocks) devices.push_back(blk.get());
        std::vector<std::unique_ptr<virtio::MmioTransport>> slots;
        for (std::size_t s = 0; s < devices.size(); ++s) {
            std::uint32_t line = kArch.virtio_first_line + static_cast<std::uint32_t>(s);
            slots.push_back(std::make_unique<virtio::MmioTransport>(ram, *devices[s], [b, line](virtio::Interrupt) {
                // Edge-triggered: a failure here is a zone that has ended.
                std::uint32_t l = line;
                (void)::ioctl(b->zone_fd, BULKHEAD_ZONE_IRQ, &l);
            }));
        }

        std::uint64_t wake_at = 0;
        std::vector<bulkhead_ioreq> reqs(kBatch);
        std::vector<bulkhead_ioreq_completion> done;
        for (;;) {
            // Run the queues first: notifies only marked them pending.
            wake_at = 0;
            for (auto& slot : slots) {
                bool more = true;
                while (more) {
                    virtio::ProcessResult r = slot->process(now_ns());
                    more = r.more && r.wake_at_ns == 0;
                    if (r.wake_at_ns && (wake_at == 0 || r.wake_at_ns < wake_at)) wake_at = r.wake_at_ns;
                }
            }
            int timeout = -1;
            if (wake_at != 0) {
                std::uint64_t now = now_ns();
                timeout = wake_at > now ? static_cast<int>((wake_at - now) / 1'000'000 + 1) : 0;
            }
            // Without zoned it serves on, and a later zoned re-attaches (InputPort).
            pollfd p[3] = {{b->io_fd, POLLIN, 0}, {}, {}};
            input.poll_entries(&p[1], to_zone.size() < kInputMax);
            if (::poll(p, 3, timeout) < 0) {
                if (errno == EINTR) continue;
                return input.report(BackendEnd::error);
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = ::read(b->io_fd, reqs.data(), reqs.size() * sizeof reqs[0]);
                if (n < 0 && errno != EAGAIN && errno != EINTR) return input.report(BackendEnd::error);
                if (n == 0) { // the zone ended and every request is answered
                    log.sync();
                    return input.report(BackendEnd::drained);
                }
                done.clear();
                for (ssize_t i = 0; n > 0 && i < n / static_cast<ssize_t>(sizeof reqs[0]); ++i) {
                    const bulkhead_ioreq& q = reqs[static_cast<std::size_t>(i)];
                    if (q.flags & BULKHEAD_IOREQ_LOST) // notifies were dropped: look at every queue
                        for (std::size_t s = 0; s < slots.size(); ++s)
                            for (std::uint16_t queue = 0; queue < devices[s]->queue_count(); ++queue)
                                slots[s]->notify(queue);
                    std::uint64_t off = q.addr - kArch.virtio_base;
                    std::uint64_t slot = off / virtio::MmioTransport::kWindowSize;
                    std::uint64_t reg = off % virtio::MmioTransport::kWindowSize;
                    bool inside = q.addr >= kArch.virtio_base && slot < slots.size();
                    if (q.vcpu == BULKHEAD_IOREQ_POSTED) {
                        if (inside) slots[slot]->notify(static_cast<std::uint32_t>(q.data));
                        continue; // posted: nobody waits, nothing to complete
                    }
                    std::uint64_t value = 0;
                    if (!inside)
                        value = ~0ull; // not our window: as an unserved slot reads
                    else if (q.dir == BULKHEAD_IOREQ_READ)
                        value = slots[slot]->read(reg, static_cast<std::uint8_t>(q.size));
                    else
                        slots[slot]->write(reg, static_cast<std::uint8_t>(q.size), q.data);
                    done.push_back({q.id, value});
                }
                if (!done.empty()) {
                    ssize_t w = ::write(b->io_fd, done.data(), done.size() * sizeof done[0]);
                    // A completion refused (the zone ended meanwhile) is not ours to fix.
                    (void)w;
                }
            }
            char buf[4096];
            if (std::size_t n = input.handle(&p[1], buf, std::min(sizeof buf, kInputMax - to_zone.size()))) {
                to_zone.insert(to_zone.end(), buf, buf + n);
                console.input_ready();
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-zone-backend: zone '%s': %s\n", b->zone.c_str(), e.what());
        return input.report(BackendEnd::error);
    }
}

} // namespace bh::zoned

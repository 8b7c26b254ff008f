// SPDX-License-Identifier: GPL-2.0-only
// A hostile driver of its own virtio-blk disks, launched by zoned as a
// zone's "kernel" with two disks (control-domain.hostile-virtio runs it in
// a booted node: `--disk hb.img --disk hb-ro.img:ro`, slots 1 and 2). It
// brings the read-write disk up properly, then sends requests that break
// the block device's rules one at a time, each of which must be answered
// with the status the backend's contract gives it (control/virtio's
// block_device.hpp; test_block.cpp has the same cases on the host):
// IOERR for a range past or across the end, a sector number that wraps,
// data that is not whole sectors, a read into buffers the device may only
// read, a write from buffers it may only write, a short header; UNSUPP
// for an unknown type; a chain without a status byte comes back used with
// nothing written. The device never needs a reset for any of them, and
// serves well-formed requests between and after them: a read of what the
// test put on the disk, a write and flush the control domain then finds
// in the file. Writes to the read-only disk fail and change nothing.
// One line per case on the PL011; exit status 0 if every case behaved.
#include <bulkhead/abi/linux_boot.h>

#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/virtio.hpp>
#include <guest/zone.hpp>

#include <linux/virtio_blk.h>

using namespace bh;
using virtio::feature;
using virtio::Queue;
using ull = unsigned long long;

namespace {

constexpr u64 kPresentMs = 60'000; // for the backend to start serving the slots
constexpr u64 kReactMs = 10'000;   // for the device to answer a request
constexpr u16 kQueueSize = 16;
constexpr u64 kVersion1 = feature(VIRTIO_F_VERSION_1);
constexpr u32 kSector = 512;
// What the test wrote at the start of each disk, and what this zone writes.
constexpr char kDiskMark[] = "HOSTILE-BLOCK-DISK";
constexpr char kReadOnlyMark[] = "READ-ONLY-DISK";
constexpr char kWritten[] = "HOSTILE-WROTE-THIS";
constexpr u64 kWrittenSector = 2;

alignas(4096) u8 ring_memory[2][Queue::kBytes];
alignas(64) virtio_blk_outhdr header;
alignas(4096) u8 data[2 * 4096];
alignas(64) u8 status_byte;

const virtio::Device rw_disk(virtio::slot(1)), ro_disk(virtio::slot(2));
Queue rw_queue, ro_queue;

u64 addr(const void* p) { return reinterpret_cast<uptr>(p); }

bool equal(const u8* a, const char* b, usize n) {
    for (usize i = 0; i < n; ++i)
        if (a[i] != static_cast<u8>(b[i])) return false;
    return true;
}

struct Buffer {
    u64 at;
    u32 len;
    bool device_writes = false;
};

struct Answer {
    bool used = false;
    u32 len = 0;   // the used length the device gave
    u8 status = 0; // the status byte afterwards (0xee: not written)
};

// One request as the chain `buffers`, the header set to (type, sector)
// first; waits for the device to use it.
template <usize N>
Answer request(const virtio::Device& disk, Queue& q, u32 type, u64 sector, const Buffer (&buffers)[N]) {
    header = virtio_blk_outhdr{type, 0, sector};
    *reinterpret_cast<volatile u8*>(&status_byte) = 0xee;
    const u16 before = q.used_idx();
    for (u16 i = 0; i < N; ++i) {
        const bool last = i + 1 == N;
        const u16 flags =
            static_cast<u16>((buffers[i].device_writes ? VRING_DESC_F_WRITE : 0) | (last ? 0 : VRING_DESC_F_NEXT));
        q.set_desc(i, buffers[i].at, buffers[i].len, flags, static_cast<u16>(last ? 0 : i + 1));
    }
    q.publish(0);
    disk.notify(0);
    Answer a;
    a.used = timer::wait_for([&] { return q.used_idx() == static_cast<u16>(before + 1); }, kReactMs);
    const u64 elem = q.used + 4 + 8 * (before % q.size);
    a.len = *reinterpret_cast<volatile u32*>(elem + 4);
    a.status = *reinterpret_cast<volatile u8*>(&status_byte);
    return a;
}

const Buffer kHeader{addr(&header), sizeof header};
const Buffer kStatus{addr(&status_byte), 1, true};
Buffer data_in(u32 len) { return {addr(data), len, true}; }
Buffer data_out(u32 len) { return {addr(data), len}; }

u64 capacity(const virtio::Device& disk) {
    return u64{disk.read(VIRTIO_MMIO_CONFIG)} | u64{disk.read(VIRTIO_MMIO_CONFIG + 4)} << 32;
}

// One case: the answer must be used, carry `status` and `len`; the device
// must not need a reset.
bool expect(const char* name, const Answer& a, u8 status, u32 len) {
    const u32 before = test::failures();
    test::check(a.used, "%s: not answered in %llu ms", name, static_cast<ull>(kReactMs));
    test::check(a.status == status, "%s: status %u, expected %u", name, a.status, status);
    test::check(a.len == len, "%s: used length %u, expected %u", name, a.len, len);
    test::check(!(rw_disk.status() & VIRTIO_CONFIG_S_NEEDS_RESET), "%s: the device needs a reset", name);
    const bool ok = test::failures() == before;
    print("hostile-block: %s: %s\n", name, ok ? "ok" : "FAILED");
    return ok;
}

void malformed_requests(u64 sectors) {
    expect("read-past-end", request(rw_disk, rw_queue, VIRTIO_BLK_T_IN, sectors, {kHeader, data_in(kSector), kStatus}),
           VIRTIO_BLK_S_IOERR, 1);
    expect("read-across-end",
           request(rw_disk, rw_queue, VIRTIO_BLK_T_IN, sectors - 1, {kHeader, data_in(2 * kSector), kStatus}),
           VIRTIO_BLK_S_IOERR, 1);
    expect("write-sector-wraps",
           request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, ~u64{0} - 1, {kHeader, data_out(2 * kSector), kStatus}),
           VIRTIO_BLK_S_IOERR, 1);
    expect("write-part-of-a-sector", request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, 1, {kHeader, data_out(700), kStatus}),
           VIRTIO_BLK_S_IOERR, 1);
    expect("read-into-read-only-buffer",
           request(rw_disk, rw_queue, VIRTIO_BLK_T_IN, 1, {kHeader, data_out(kSector), kStatus}), VIRTIO_BLK_S_IOERR,
           1);
    expect("write-from-writable-buffer",
           request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, 1, {kHeader, data_in(kSector), kStatus}), VIRTIO_BLK_S_IOERR,
           1);
    expect("short-header", request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, 1, {Buffer{addr(&header), 8}, kStatus}),
           VIRTIO_BLK_S_IOERR, 1);
    expect("unknown-type", request(rw_disk, rw_queue, 77, 1, {kHeader, data_out(kSector), kStatus}),
           VIRTIO_BLK_S_UNSUPP, 1);
    // Nowhere to put a status: used, nothing written.
    expect("no-status-byte", request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, 1, {kHeader, data_out(kSector)}), 0xee, 0);
}

} // namespace

extern "C" void zone_main(u64 x0) {
    test::begin("hostile-block");
    const hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::error("ZONE_SELF: status %lld", static_cast<long long>(self.status));
    const u64 ram_end = kRamBase + self.memory_bytes;
    if (x0 != ram_end - BH_LINUX_BOOT_FDT_BYTES)
        test::error("x0 = 0x%llx, not the device tree at the top of RAM: not launched by zoned?", static_cast<ull>(x0));
    rw_queue.place(0, kQueueSize, addr(ring_memory[0]));
    ro_queue.place(0, kQueueSize, addr(ring_memory[1]));
    if (!rw_disk.wait_present(VIRTIO_ID_BLOCK, kPresentMs) || !ro_disk.wait_present(VIRTIO_ID_BLOCK, kPresentMs))
        test::error("no virtio-blk disks in slots 1 and 2 after %llu ms: launch with two --disk",
                    static_cast<ull>(kPresentMs));
    if (const char* why = rw_disk.bring_up(kVersion1, &rw_queue, 1)) test::error("bringing disk 1 up: %s", why);
    if (const char* why = ro_disk.bring_up(kVersion1, &ro_queue, 1)) test::error("bringing disk 2 up: %s", why);
    const u64 sectors = capacity(rw_disk);
    print("hostile-block: disk of %llu sectors, a read-only one of %llu\n", static_cast<ull>(sectors),
          static_cast<ull>(capacity(ro_disk)));

    if (expect("read-first-sector",
               request(rw_disk, rw_queue, VIRTIO_BLK_T_IN, 0, {kHeader, data_in(kSector), kStatus}), VIRTIO_BLK_S_OK,
               kSector + 1))
        test::check(equal(data, kDiskMark, sizeof kDiskMark - 1), "read-first-sector: not the test's mark");
    malformed_requests(sectors);

    // Still serving: a write and a flush, read back.
    for (usize i = 0; i < kSector; ++i) data[i] = i < sizeof kWritten - 1 ? static_cast<u8>(kWritten[i]) : 0;
    expect("write-after-all-that",
           request(rw_disk, rw_queue, VIRTIO_BLK_T_OUT, kWrittenSector, {kHeader, data_out(kSector), kStatus}),
           VIRTIO_BLK_S_OK, 1);
    expect("flush", request(rw_disk, rw_queue, VIRTIO_BLK_T_FLUSH, 0, {kHeader, kStatus}), VIRTIO_BLK_S_OK, 1);
    for (usize i = 0; i < kSector; ++i) data[i] = 0;
    if (expect("read-back",
               request(rw_disk, rw_queue, VIRTIO_BLK_T_IN, kWrittenSector, {kHeader, data_in(kSector), kStatus}),
               VIRTIO_BLK_S_OK, kSector + 1))
        test::check(equal(data, kWritten, sizeof kWritten - 1), "read-back: not what was written");

    // The read-only disk: readable, never written.
    ro_disk.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0); // the low word, where F_RO is
    test::check(ro_disk.read(VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_RO), "disk 2 does not offer F_RO");
    for (usize i = 0; i < kSector; ++i) data[i] = 0x77;
    const Answer w = request(ro_disk, ro_queue, VIRTIO_BLK_T_OUT, 0, {kHeader, data_out(kSector), kStatus});
    test::check(w.used && w.status == VIRTIO_BLK_S_IOERR, "read-only-write: status %u, expected IOERR", w.status);
    const Answer r = request(ro_disk, ro_queue, VIRTIO_BLK_T_IN, 0, {kHeader, data_in(kSector), kStatus});
    test::check(r.used && r.status == VIRTIO_BLK_S_OK && equal(data, kReadOnlyMark, sizeof kReadOnlyMark - 1),
                "read-only-read: status %u, or not the test's mark", r.status);
    print("hostile-block: read-only disk: %s\n",
          w.status == VIRTIO_BLK_S_IOERR && r.status == VIRTIO_BLK_S_OK ? "ok" : "FAILED");
    print("hostile-block: %u failed expectations\n", test::failures());
    test::finish();
}

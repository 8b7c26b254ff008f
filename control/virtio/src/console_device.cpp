// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/console_device.hpp>
#include <bulkhead/virtio/split_queue.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace bh::virtio {

ConsoleDevice::ConsoleDevice(ByteSink sink, ByteSource source, std::optional<ConsoleSize> size)
    : sink_(std::move(sink)), source_(std::move(source)), size_(size) {}

u64 ConsoleDevice::device_features() const {
    u64 f = u64{1} << VIRTIO_CONSOLE_F_EMERG_WRITE;
    if (size_) f |= u64{1} << VIRTIO_CONSOLE_F_SIZE;
    return f;
}

u32 ConsoleDevice::config_read(u32 offset, u8 size) const {
    // Laid out as Linux's struct virtio_console_config (cols before rows;
    // the 1.2 text lists rows first, but drivers follow the header).
    virtio_console_config c{};
    if (size_) {
        c.cols = to_le(size_->cols);
        c.rows = to_le(size_->rows);
    }
    c.max_nr_ports = to_le(u32{1}); // meaningful only with MULTIPORT, never offered
    c.emerg_wr = 0;
    std::array<u8, sizeof c> bytes;
    std::memcpy(bytes.data(), &c, sizeof c);
    u32 value = 0;
    for (u8 i = 0; i < size; ++i) value |= u32{bytes[offset + i]} << (8 * i);
    return value;
}

void ConsoleDevice::config_write(u32 offset, u8 size, u32 value) {
    // emerg_wr is a 32-bit field: 32-bit accesses only (4.2.2.2); every
    // other field is read-only.
    if (offset != offsetof(virtio_console_config, emerg_wr) || size != 4) return;
    const u8 byte = static_cast<u8>(value);
    ++stats_.emergency;
    if (sink_) sink_(std::span<const u8>(&byte, 1));
}

void ConsoleDevice::resize(ConsoleSize size) {
    if (!size_) return;
    size_ = size;
    if (host_) host_->config_changed();
}

void ConsoleDevice::reset() {
    // Input already staged was meant for the driver that just went away.
    stage_start_ = stage_end_ = 0;
    rx_starved_ = false;
}

bool ConsoleDevice::has_work(u16 queue) const {
    if (queue != kReceiveQueue || rx_starved_) return false;
    return stage_end_ > stage_start_ || input_ready_;
}

QueueWork ConsoleDevice::service(u16 queue, SplitQueue& q, u32 max_chains) {
    if (queue == kTransmitQueue) return transmit(q, max_chains);
    if (queue == kReceiveQueue) return receive(q, max_chains);
    return {};
}

QueueWork ConsoleDevice::transmit(SplitQueue& q, u32 max_chains) {
    QueueWork w;
    while (w.chains < max_chains) {
        PopResult r = q.pop(chain_);
        if (r == PopResult::empty) return w;
        if (r == PopResult::error) {
            w.error = q.error();
            return w;
        }
        if (!chain_.writable.empty()) {
            w.error = DriverError::wrong_direction;
            return w;
        }
        const u64 sent = read_chain(q.memory(), chain_, kMaxTransmitPerChain, [this](std::span<const u8> bytes) {
            if (sink_) sink_(bytes);
        });
        stats_.transmitted += sent;
        stats_.tx_dropped += chain_.readable_bytes - sent;
        if (!q.push_used(chain_.head, 0)) { // the device wrote nothing
            w.error = q.error();
            return w;
        }
        ++w.chains;
    }
    w.more = true;
    return w;
}

void ConsoleDevice::fill_stage() {
    if (!input_ready_ || !source_) return;
    if (stage_start_ > 0) { // move what is left to the front
        std::memmove(stage_.data(), stage_.data() + stage_start_, stage_end_ - stage_start_);
        stage_end_ -= stage_start_;
        stage_start_ = 0;
    }
    const usize room = stage_.size() - stage_end_;
    if (room == 0) return;
    const usize got = std::min(source_(std::span<u8>(stage_.data() + stage_end_, room)), room);
    if (got == 0) input_ready_ = false; // drained: wait for the backend's next input_ready()
    stage_end_ += got;
}

QueueWork ConsoleDevice::receive(SplitQueue& q, u32 max_chains) {
    QueueWork w;
    rx_starved_ = false; // a notify (new buffers) or new input: look again
    while (w.chains < max_chains) {
        fill_stage();
        if (stage_end_ == stage_start_) return w; // nothing to deliver
        PopResult r = q.pop(chain_);
        if (r == PopResult::empty) {
            rx_starved_ = true;
            return w;
        }
        if (r == PopResult::error) {
            w.error = q.error();
            return w;
        }
        if (!chain_.readable.empty()) {
            w.error = DriverError::wrong_direction;
            return w;
        }
        const u32 n = write_chain(q.memory(), chain_,
                                  std::span<const u8>(stage_.data() + stage_start_, stage_end_ - stage_start_));
        stage_start_ += n;
        stats_.received += n;
        if (!q.push_used(chain_.head, n)) {
            w.error = q.error();
            return w;
        }
        ++w.chains;
    }
    w.more = true;
    return w;
}

} // namespace bh::virtio

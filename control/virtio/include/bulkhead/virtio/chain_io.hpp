// SPDX-License-Identifier: GPL-2.0-only
// Moving bytes between a validated chain and the backend. Reads go through
// a small bounce buffer, so what a device model hands on (to a log, a
// socket) is a private copy the guest can no longer change under it; both
// directions are bounded by a byte limit the model chooses.
#pragma once

#include <bulkhead/virtio/descriptor_chain.hpp>
#include <bulkhead/virtio/ints.hpp>

#include <functional>
#include <span>
#include <sys/uio.h>

namespace bh::virtio {

class GuestMemory;

using ByteSink = std::function<void(std::span<const u8>)>;

// Hands the chain's device-readable bytes, at most `limit` of them, to
// `out` in pieces of at most kChainBounceSize bytes. Returns how many were
// handed on.
inline constexpr usize kChainBounceSize = 4096;
u64 read_chain(const GuestMemory& mem, const DescriptorChain& chain, u64 limit, const ByteSink& out);

// Copies `data` into the chain's device-writable buffers in order, as much
// as fits. Returns how many bytes were written (the used length).
u32 write_chain(GuestMemory& mem, const DescriptorChain& chain, std::span<const u8> data);

// Bytes [offset, offset + size) of `segments` taken as one run, into or out
// of `bytes`: false, with what was copied before undefined, if the run is
// shorter or memory refused. For device models whose requests have fields
// at fixed places across buffers (virtio-blk's header, data and status).
[[nodiscard]] bool copy_from_segments(const GuestMemory& mem, const std::vector<Segment>& segments, u64 offset,
                                      std::span<u8> bytes);
[[nodiscard]] bool copy_to_segments(GuestMemory& mem, const std::vector<Segment>& segments, u64 offset,
                                    std::span<const u8> bytes);

// The same run as places in this process (`out` is replaced), for a
// transfer the kernel makes straight to or from guest memory; false if the
// run is shorter or any piece is outside the zone's RAM.
[[nodiscard]] bool map_segments(const GuestMemory& mem, const std::vector<Segment>& segments, u64 offset, u64 size,
                                std::vector<iovec>& out);

} // namespace bh::virtio

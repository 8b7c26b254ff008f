// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/chain_io.hpp>
#include <bulkhead/virtio/guest_memory.hpp>

#include <algorithm>
#include <array>

namespace bh::virtio {

u64 read_chain(const GuestMemory& mem, const DescriptorChain& chain, u64 limit, const ByteSink& out) {
    std::array<u8, kChainBounceSize> bounce;
    u64 done = 0;
    for (const Segment& s : chain.readable) {
        for (u64 off = 0; off < s.len && done < limit;) {
            const usize n = static_cast<usize>(std::min<u64>({s.len - off, limit - done, bounce.size()}));
            // The chain was validated, but the check costs nothing and keeps
            // this function safe on its own.
            if (!mem.read(s.addr + off, bounce.data(), n)) return done;
            out(std::span<const u8>(bounce.data(), n));
            off += n;
            done += n;
        }
    }
    return done;
}

u32 write_chain(GuestMemory& mem, const DescriptorChain& chain, std::span<const u8> data) {
    u64 done = 0;
    for (const Segment& s : chain.writable) {
        if (done == data.size()) break;
        const usize n = static_cast<usize>(std::min<u64>(s.len, data.size() - done));
        if (!mem.write(s.addr, data.data() + done, n)) break;
        done += n;
    }
    // A chain holds at most 2^32 bytes and `data` is the model's own small
    // buffer; clamp anyway, since the used length is 32 bits.
    return static_cast<u32>(std::min<u64>(done, ~u32{0}));
}

namespace {

// Calls f(addr, at, n) for each piece of [offset, offset + size) of the run:
// `addr` in guest memory, `at` the piece's place in [0, size).
template <typename F>
bool for_each_piece(const std::vector<Segment>& segments, u64 offset, u64 size, F f) {
    u64 start = 0, at = 0; // start: of the segment in the run
    for (const Segment& s : segments) {
        if (at == size) break;
        const u64 end = start + s.len;
        if (offset + at < end) {
            const u64 in = offset + at - start;
            const u64 n = std::min<u64>(s.len - in, size - at);
            if (!f(s.addr + in, at, n)) return false;
            at += n;
        }
        start = end;
    }
    return at == size;
}

} // namespace

bool copy_from_segments(const GuestMemory& mem, const std::vector<Segment>& segments, u64 offset, std::span<u8> bytes) {
    return for_each_piece(segments, offset, bytes.size(), [&](u64 addr, u64 at, u64 n) {
        return mem.read(addr, bytes.data() + at, static_cast<usize>(n));
    });
}

bool copy_to_segments(GuestMemory& mem, const std::vector<Segment>& segments, u64 offset, std::span<const u8> bytes) {
    return for_each_piece(segments, offset, bytes.size(), [&](u64 addr, u64 at, u64 n) {
        return mem.write(addr, bytes.data() + at, static_cast<usize>(n));
    });
}

bool map_segments(const GuestMemory& mem, const std::vector<Segment>& segments, u64 offset, u64 size,
                  std::vector<iovec>& out) {
    out.clear();
    return for_each_piece(segments, offset, size, [&](u64 addr, u64, u64 n) {
        u8* host = mem.host_range(addr, n);
        if (!host) return false;
        out.push_back(iovec{host, static_cast<usize>(n)});
        return true;
    });
}

} // namespace bh::virtio

// SPDX-License-Identifier: GPL-2.0-only
// The Linux UAPI virtio headers (Debian's linux-libc-dev, and
// linux-libc-dev-arm64-cross for the arm64 build): the ring layouts, the
// virtio-mmio register offsets, the status and feature bits and the
// console's and block device's configurations and requests come from there rather than being written out a
// second time here.
#pragma once

// The legacy helpers (vring_init) assign void* to typed pointers, which is
// C but not C++; we need none of them.
#define VIRTIO_RING_NO_LEGACY 1

#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include <cstddef>

namespace bh::virtio {

// Split-ring geometry (virtio 1.2, 2.7): alignment and size of each part.
inline constexpr unsigned kDescriptorSize = sizeof(vring_desc);
inline constexpr unsigned kDescriptorTableAlign = VRING_DESC_ALIGN_SIZE;
inline constexpr unsigned kAvailRingAlign = VRING_AVAIL_ALIGN_SIZE;
inline constexpr unsigned kUsedRingAlign = VRING_USED_ALIGN_SIZE;
inline constexpr unsigned kAvailHeader = offsetof(vring_avail, ring); // flags, idx
inline constexpr unsigned kUsedHeader = offsetof(vring_used, ring);   // flags, idx
inline constexpr unsigned kUsedElemSize = sizeof(vring_used_elem);

static_assert(kDescriptorSize == 16 && kAvailHeader == 4 && kUsedHeader == 4 && kUsedElemSize == 8);

} // namespace bh::virtio

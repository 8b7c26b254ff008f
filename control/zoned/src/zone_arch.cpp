// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/zone_arch.hpp>

#include <bulkhead/abi/zone_layout.h>

namespace bh::zoned {

const ZoneArchInfo& zone_arch_info(ZoneArch arch) {
    // arm64: QEMU virt's layout, RAM from 1 GiB, slot i on SPI 16 + i.
    static constexpr ZoneArchInfo kArm64{
        "aarch64", BH_ARM64_LINUX_RAM_BASE, BH_ARM64_VIRTIO_BASE, BH_ARM64_VIRTIO_FIRST_LINE,
        "Image",   "an arm64 Linux Image"};
    // x86-64: RAM from 0 (Linux wants memory below 1 MiB), slots below the
    // I/O APIC, slot i on GSI 24 + i; the kernel a bzImage.
    static constexpr ZoneArchInfo kX86_64{"x86_64",
                                          BH_X86_64_LINUX_RAM_BASE,
                                          BH_X86_64_VIRTIO_BASE,
                                          BH_X86_64_VIRTIO_FIRST_LINE,
                                          "bzImage",
                                          "an x86-64 Linux kernel (a bzImage, or a vmlinux with a PVH entry note)"};
    return arch == ZoneArch::x86_64 ? kX86_64 : kArm64;
}

} // namespace bh::zoned

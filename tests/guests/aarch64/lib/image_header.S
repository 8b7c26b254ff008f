/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 Image header (Linux Documentation/arch/arm64/booting.rst) that
 * a Linux loader wants of a kernel: Xen's dom0less boot of a domU, and
 * BH_HC_ZONE_BOOT_LINUX of a zone that zoned launches with --kernel. Both
 * load the image at the 2 MiB aligned RAM base + text_offset and enter its
 * first instruction with x0 = the DTB. Linked first (.text.boot) into the
 * XEN and IMAGE builds of a test zone (bh_guest).
 */
    .section .text.boot, "ax"
    .global bh_image_header
bh_image_header:
    b       _start                  /* code0 */
    .long   0                       /* code1 */
    .quad   0x80000                 /* text_offset */
    .quad   __end - bh_image_header /* image_size */
    .quad   0xa                     /* flags: little-endian, 4 KiB pages, anywhere */
    .quad   0, 0, 0                 /* res2-res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5 */

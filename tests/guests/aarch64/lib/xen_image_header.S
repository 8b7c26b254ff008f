/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 Image header (Linux Documentation/arch/arm64/booting.rst) that
 * Xen's dom0less boot wants of a domU kernel: it loads the image at RAM
 * base + text_offset and enters its first instruction with x0 = the DTB.
 * Linked first (.text.boot) into the Xen build of a test zone.
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

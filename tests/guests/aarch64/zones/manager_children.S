/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The child zone images the manager loads, embedded in its own image.
 * PATTERN_BIN and ZEROCHECK_BIN are the flat images' paths (from CMake).
 * Each is padded to 16 bytes so that the loaded length covers whole words.
 */
.macro child name, path
    .section .rodata.child_\name, "a"
    .balign 16
    .global child_\name\()_start
child_\name\()_start:
    .incbin "\path"
    .balign 16
    .global child_\name\()_end
child_\name\()_end:
.endm

child pattern, PATTERN_BIN
child zerocheck, ZEROCHECK_BIN

/* SPDX-License-Identifier: GPL-2.0-only */
/* The child zone images the manager loads (paths from CMake). */
#include "embed_child.inc"

child pattern, PATTERN_BIN
child zerocheck, ZEROCHECK_BIN

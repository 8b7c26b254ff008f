/* SPDX-License-Identifier: GPL-2.0-only */
/* The hammering child the destroy-race manager loads (path from CMake). */
#include "embed_child.inc"

child hammer, HAMMER_BIN

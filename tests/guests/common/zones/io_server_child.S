/* SPDX-License-Identifier: GPL-2.0-only */
/* The served zone the io-forward server loads (path from CMake). */
#include "embed_child.inc"

child io_client, IO_CLIENT_BIN

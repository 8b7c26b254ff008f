/* SPDX-License-Identifier: GPL-2.0-only */
/* libfdt includes <stdlib.h> but needs nothing from it. */
#ifndef BULKHEAD_SHIM_STDLIB_H
#define BULKHEAD_SHIM_STDLIB_H
#include <stddef.h>
#endif

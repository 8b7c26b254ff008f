// SPDX-License-Identifier: GPL-2.0-only
// The driver's UAPI header compiled as C (the kernel module and C clients
// see it so), with the layouts test_linux_uapi.cpp checks from C++.
#include <bulkhead.h>
#include <stddef.h>

_Static_assert(sizeof(struct bulkhead_zone_create) == 56, "zone_create");
_Static_assert(sizeof(struct bulkhead_zone_info) == 72, "zone_info");
_Static_assert(sizeof(struct bulkhead_ioreq) == 40, "ioreq");
_Static_assert(sizeof(struct bulkhead_ioreq_completion) == 16, "completion");

int bulkhead_uapi_c_sizes_ok(void);

int bulkhead_uapi_c_sizes_ok(void)
{
    return sizeof(struct bulkhead_zone_load) == 24 && sizeof(struct bulkhead_ioeventfd) == 16 &&
           offsetof(struct bulkhead_ioreq, dir) == 32 && _IOC_SIZE(BULKHEAD_ZONE_CREATE) == 56;
}

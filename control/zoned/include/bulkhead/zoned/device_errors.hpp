// SPDX-License-Identifier: GPL-2.0-only
// /dev/bulkhead's errnos (drivers/linux/bulkhead/include/uapi/bulkhead.h,
// "Errors") as zoned's HvErrc, with a message that names the zone and what
// to do. The driver maps the hypervisor's BAD_STATE to EBUSY and BUSY to
// EAGAIN, so those two are swapped relative to their names here.
#pragma once

#include <bulkhead/zoned/hypervisor.hpp>

#include <string>

namespace bh::zoned {

HvErrc hv_errc_for(int err);

// "zone 'NAME': WHAT: <errno text>: <what to do>".
HypervisorError device_error(int err, const std::string& zone, const std::string& what);

} // namespace bh::zoned

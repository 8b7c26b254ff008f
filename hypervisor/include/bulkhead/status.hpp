// SPDX-License-Identifier: GPL-2.0-only
// Results of hypervisor operations; the values are the hypercall ABI's.
#pragma once

#include <bulkhead/abi/hypercall.h>

namespace bh {

enum class [[nodiscard]] Status : long{
    ok = BH_OK,
    not_supported = BH_ERR_NOT_SUPPORTED,
    invalid_argument = BH_ERR_INVALID_ARGUMENT,
    permission_denied = BH_ERR_PERMISSION_DENIED,
    no_memory = BH_ERR_NO_MEMORY,
    not_found = BH_ERR_NOT_FOUND,
    bad_state = BH_ERR_BAD_STATE,
    busy = BH_ERR_BUSY,
};

const char* status_name(Status s);

} // namespace bh

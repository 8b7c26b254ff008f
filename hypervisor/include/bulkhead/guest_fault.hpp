// SPDX-License-Identifier: GPL-2.0-only
// What happens when a zone touches an address that is neither its memory
// nor one of its devices: its fault policy decides (docs/architecture.md).
#pragma once

#include <bulkhead/vcpu.hpp>

namespace bh {

struct GuestFault {
    GuestPhys ipa;
    u64 va = 0;
    u64 pc = 0;
    bool write = false;
    bool instruction = false;
    const char* what = "outside its memory and devices";
};

void handle_guest_fault(Vcpu& v, const GuestFault& f);

} // namespace bh

// SPDX-License-Identifier: GPL-2.0-only
#include <arch/legacy_ports.hpp>

namespace bh::x86_64 {
namespace {

FixedPorts pit{kPitCounterValue}, port_b{kPortBValue}, pic{kPicValue}, post{kPostValue};

struct Entry {
    u16 base, count;
    FixedPorts& model;
    const char* name;
};
const Entry kEntries[] = {
    {0x20, 2, pic, "8259 (master)"}, {0x40, 4, pit, "8254 PIT"},     {0x61, 1, port_b, "port B"},
    {0x80, 1, post, "POST"},         {0xa0, 2, pic, "8259 (slave)"},
};

} // namespace

Status register_legacy_ports(DeviceRegistry& d) {
    for (const Entry& e : kEntries)
        if (Status s = d.add(AddressSpace::port, e.base, e.count, e.model, e.name); s != Status::ok) return s;
    return Status::ok;
}

} // namespace bh::x86_64

// SPDX-License-Identifier: GPL-2.0-only
// A zone's I/O APIC at work: its page (through the MMIO emulation) and its
// lines, raised by the zone's device models, delivered to its local APICs.
#include "vcpu_interrupts.hpp"

#include <arch/vioapic.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {

bool IoApicPage::access(Vcpu& v, DeviceAccess& a) {
    Zone& z = *v.zone;
    u32 offset = static_cast<u32>(a.offset);
    LockGuard g(z.arch.ioapic_lock);
    if (a.size != 4 || (offset & 3)) { // the chip decodes aligned 32-bit accesses only
        if (!a.write) a.value = 0;
        return true;
    }
    if (a.write)
        z.arch.ioapic.write(offset, static_cast<u32>(a.value));
    else
        a.value = z.arch.ioapic.read(offset);
    return true;
}

void ioapic_raise(Zone& z, u32 pin) {
    IpiRequest r;
    {
        LockGuard g(z.arch.ioapic_lock);
        r = z.arch.ioapic.route(pin);
    }
    deliver_interrupt(z, nullptr, r, "I/O APIC pin", pin);
}

} // namespace bh::x86_64

// SPDX-License-Identifier: GPL-2.0-only
// Routes trapped accesses to a zone's generic device models. Which models a
// zone has is the architecture's choice (arch::kZoneDevices).
#include <bulkhead/mmio.hpp>
#include <bulkhead/pio.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_devices.hpp>

namespace bh {

bool zone_devices_window(const Vcpu&, GuestPhys ipa) {
    return (arch::kZoneDevices.pl011 && Range<GuestPhys>{VirtualUart::kBase, VirtualUart::kSize}.contains(ipa)) ||
           (arch::kZoneDevices.virtio_mmio_slots &&
            Range<GuestPhys>{VirtioMmioSlots::kBase, VirtioMmioSlots::kSize}.contains(ipa));
}

bool zone_devices_mmio(Vcpu& v, GuestPhys ipa, MmioAccess& a) {
    Zone& z = *v.zone;
    if (!zone_devices_window(v, ipa)) return false;
    if (Range<GuestPhys>{VirtioMmioSlots::kBase, VirtioMmioSlots::kSize}.contains(ipa)) {
        a.offset = ipa - VirtioMmioSlots::kBase;
        VirtioMmioSlots::access(a);
        return true;
    }
    a.offset = ipa - VirtualUart::kBase;
    z.uart.access(a);
    return true;
}

void zone_devices_console_input(Zone& z, char c) {
    z.uart.receive(c); // the PL011 raises its own line
    if (arch::kZoneDevices.uart16550 && z.uart16550.input_arrived(z.uart))
        arch::raise_zone_interrupt(z, Uart16550::kInterruptLine);
}

bool zone_devices_pio(Vcpu& v, PioAccess& a) {
    Zone& z = *v.zone;
    if (arch::kZoneDevices.uart16550 && a.port >= Uart16550::kBase && a.port < Uart16550::kBase + Uart16550::kPorts) {
        PioAccess rel = a;
        rel.port = static_cast<u16>(a.port - Uart16550::kBase);
        bool raise = z.uart16550.access(rel, z.uart);
        a.value = rel.value;
        if (raise) arch::raise_zone_interrupt(z, Uart16550::kInterruptLine);
        return true;
    }
    return false;
}

} // namespace bh

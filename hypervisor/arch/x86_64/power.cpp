// SPDX-License-Identifier: GPL-2.0-only
// Ending the machine. Under the emulators Bulkhead is tested on, the debug
// ports do it: QEMU's isa-debug-exit device (-device isa-debug-exit,
// iobase=0xf4,iosize=4; QEMU then exits with status (value << 1) | 1) and
// Bochs' shutdown port 0x8900. Elsewhere the writes go nowhere and the CPU
// halts (ACPI S5 is for the Linux-zone work).
#include <arch/cpu.hpp>
#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::x86_64 {
namespace {

constexpr u16 kDebugExitPort = 0xf4;
constexpr u32 kDebugExitPoweroff = 0; // QEMU exit status 1
constexpr u32 kDebugExitPanic = 1;    // QEMU exit status 3
constexpr u16 kBochsShutdownPort = 0x8900;

[[noreturn]] void end(u32 code) {
    x86::outl(kDebugExitPort, code);
    for (const char* s = "Shutdown"; *s; ++s) x86::outb(kBochsShutdownPort, static_cast<u8>(*s));
    for (;;) asm volatile("cli; hlt" ::: "memory");
}

} // namespace
} // namespace bh::x86_64

namespace bh::arch {

void power_off() { x86_64::end(x86_64::kDebugExitPoweroff); }

// After a panic: end the emulator with a failure status rather than hang
// until a test's timeout.
void halt_machine() { x86_64::end(x86_64::kDebugExitPanic); }

} // namespace bh::arch

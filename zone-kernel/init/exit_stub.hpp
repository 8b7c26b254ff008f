// SPDX-License-Identifier: GPL-2.0-only
// How zone init tells the hypervisor how the workload ended: the pure parts
// (no system calls), unit-tested on the host.
//
// HVC is undefined at EL0, so PID 1 cannot make the BH_HC_ZONE_EXIT
// hypercall itself. It loads this stub with kexec_load(2) and reboots into it
// (LINUX_REBOOT_CMD_KEXEC): Linux takes the other CPUs offline and jumps to
// the stub at EL1 with the MMU off, and the stub makes the call. Both need
// CAP_SYS_BOOT, so an ordinary process in the zone cannot report a status;
// console text reports nothing.
//
// The stub (arm64, position-independent, 4 KiB; any page-aligned address):
//
//   0x000  adr x9, vectors; msr vbar_el1, x9; isb     its own exception vectors
//          mov x10, #0                                 no exception taken yet
//          ldr x0, =BH_HC_ZONE_EXIT; ldr x1, =code; ldr x2, =kind
//          hvc #0 (or smc #0)                          Bulkhead: never returns
//   fallback:                                          not Bulkhead (the call
//          ldr x0, =PSCI_SYSTEM_OFF; hvc #0 (smc #0)   returned or was undefined)
//   halt:  wfi; b halt
//   0x030  four 64-bit literals: ZONE_EXIT, SYSTEM_OFF, code, kind
//   0x800  vectors, 16 x 0x80: cbnz x10, halt; mov x10, #1; b fallback
//
// Without the fallback a kernel booted with no hypervisor (QEMU's own PSCI,
// zone-kernel/check-direct-boot.sh) would take an undefined-instruction
// exception through the old kernel's vectors, which are not mapped with the
// MMU off, and spin; with it such a zone powers off as before.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace zone_init {

// BH_HC_ZONE_EXIT's x1 and x2 (BH_EXIT_CODE_STATUS or BH_EXIT_CODE_SIGNAL).
struct ExitReport {
    uint64_t code = 0;
    uint64_t kind = 0;
    bool operator==(const ExitReport&) const = default;
};

// What to report for a wait status: its exit status, or the signal that
// killed it (stopped/continued, which zone init never waits for: status 127).
ExitReport exit_report(int wait_status);

// The instruction that makes a call: PSCI's conduit, which the device tree
// names (/psci/method, "hvc" or "smc"); Bulkhead takes hypercalls through
// both.
enum class Conduit { hvc, smc };
Conduit conduit_from_psci_method(std::string_view method);

inline constexpr uint64_t kExitStubSize = 4096;
inline constexpr uint64_t kExitStubVectors = 0x800; // VBAR_EL1 needs 2 KiB alignment
inline constexpr uint64_t kExitStubLiterals = 0x30;
inline constexpr uint64_t kExitStubFallback = 0x20;
inline constexpr uint64_t kExitStubHalt = 0x28;

// The stub's kExitStubSize bytes as little-endian instruction words.
std::vector<uint32_t> build_exit_stub(const ExitReport& report, Conduit conduit);

// Where to load the stub: the first page of the first top-level "System RAM"
// range in /proc/iomem ("40000000-4fffffff : System RAM"), rounded up to
// page_size. Nothing when there is none big enough.
std::optional<uint64_t> exit_stub_address(std::string_view iomem, uint64_t page_size);

// Instruction encodings (A64), exposed for the tests.
namespace a64 {
uint32_t adr(unsigned rd, int64_t offset);
uint32_t ldr_literal(unsigned rt, int64_t offset); // 64-bit load
uint32_t movz(unsigned rd, uint16_t imm);          // 64-bit, shift 0
uint32_t msr_vbar_el1(unsigned rt);
uint32_t b(int64_t offset);
uint32_t cbnz(unsigned rt, int64_t offset); // 64-bit register
inline constexpr uint32_t kIsb = 0xd5033fdf;
inline constexpr uint32_t kWfi = 0xd503207f;
inline constexpr uint32_t kHvc0 = 0xd4000002;
inline constexpr uint32_t kSmc0 = 0xd4000003;
} // namespace a64

} // namespace zone_init

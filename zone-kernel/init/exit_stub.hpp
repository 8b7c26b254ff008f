// SPDX-License-Identifier: GPL-2.0-only
// How zone init tells the hypervisor how the workload ended: the pure parts
// (no system calls), unit-tested on the host.
//
// The hypercall instruction is privileged (HVC is undefined at EL0; on
// x86-64 the hypervisor refuses VMMCALL/VMCALL from CPL 3), so PID 1 cannot
// make the BH_HC_ZONE_EXIT hypercall itself. It loads a 4 KiB stub with
// kexec_load(2) and reboots into it (LINUX_REBOOT_CMD_KEXEC), and the stub,
// entered by the kernel at EL1 or CPL 0, makes the call. Both need
// CAP_SYS_BOOT, so an ordinary process in the zone cannot report a status;
// console text reports nothing. There is one stub per architecture; zone
// init uses the one of the architecture it is built for (both are built
// and tested on the host).
//
// arm64 (position-independent; any page-aligned address). Linux takes the
// other CPUs offline and jumps to the stub at EL1 with the MMU off:
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
//
// x86-64 (position-independent; any page-aligned address, though zone init
// uses RAM at or above 1 MiB). Linux stops the other CPUs (they halt with
// interrupts off) and relocate_kernel_64.S returns into the stub in long
// mode at CPL 0, with page tables that identity-map all RAM and the stub,
// RFLAGS 0 (interrupts off), every general register but RSP zero, and the
// IDT and GDT invalidated (limit 0): any exception triple-faults, which
// resets the machine.
//
//   0x00  CPUID 0x40000000: the signature "BulkheadHV  " in EBX, ECX, EDX,
//         or jump to the fallback
//   0x1f  CPUID 0x40000001: EAX is the instruction (1 VMMCALL, 2 VMCALL)
//   0x26  mov rdi, code; mov rsi, kind                 (64-bit immediates)
//   0x3a  EAX 1: mov eax, BH_HC_ZONE_EXIT; vmmcall      Bulkhead: never
//         EAX 2: mov eax, BH_HC_ZONE_EXIT; vmcall       returns
//   0x56  fallback: out 0x64, 0xfe (pulse the i8042's reset line)
//   0x5a  halt: cli; hlt; jmp halt
//   the rest of the page is int3
//
// Without Bulkhead (QEMU booting the kernel itself, check-direct-boot.sh
// --arch x86_64) the signature is not there and the i8042 resets the
// machine, which QEMU -no-reboot turns into its exit. Under Bulkhead a call
// that returns (an argument out of range) also takes the fallback: the
// zone's i8042 reset ends it as a crash.
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

// Where to load the stub: the first page at or above `lowest` of the first
// top-level "System RAM" range in /proc/iomem ("40000000-4fffffff : System
// RAM"), rounded up to page_size. Nothing when there is none big enough.
// arm64 takes the first page of RAM; x86-64 stays above the first MiB
// (kExitStubLowestX86), where firmware, the real-mode trampoline and
// whatever the boot path left there live.
std::optional<uint64_t> exit_stub_address(std::string_view iomem, uint64_t page_size, uint64_t lowest = 0);
inline constexpr uint64_t kExitStubLowestX86 = 0x100000;

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

// The x86-64 stub (see above): kExitStubSize bytes.
namespace x86 {
inline constexpr uint64_t kExitStubArguments = 0x26; // mov rdi, code; mov rsi, kind
inline constexpr uint64_t kExitStubVmmcall = 0x4e;   // mov eax, ZONE_EXIT; vmmcall
inline constexpr uint64_t kExitStubFallback = 0x56;
inline constexpr uint64_t kExitStubHalt = 0x5a;
inline constexpr uint64_t kExitStubEnd = 0x5e; // int3 from here on

std::vector<uint8_t> build_exit_stub(const ExitReport& report);

// Instruction encodings, exposed for the tests. Registers by number
// (0 rax/eax, 1 rcx, 2 rdx, 3 rbx, 6 rsi, 7 rdi); rel8 displacements count
// from the end of the instruction.
enum Reg : unsigned { kAx = 0, kCx = 1, kDx = 2, kBx = 3, kSi = 6, kDi = 7 };
enum Cond : uint8_t { kEqual = 0x4, kNotEqual = 0x5 };
std::vector<uint8_t> mov_r32_imm32(unsigned reg, uint32_t imm);
std::vector<uint8_t> mov_r64_imm64(unsigned reg, uint64_t imm); // movabs
std::vector<uint8_t> cmp_r32_imm(unsigned reg, uint32_t imm);   // imm8 form when it fits
std::vector<uint8_t> jcc8(Cond cond, int64_t rel);
std::vector<uint8_t> jmp8(int64_t rel);
inline const std::vector<uint8_t> kCpuid{0x0f, 0xa2};
inline const std::vector<uint8_t> kVmcall{0x0f, 0x01, 0xc1};
inline const std::vector<uint8_t> kVmmcall{0x0f, 0x01, 0xd9};
inline const std::vector<uint8_t> kResetViaI8042{0xb0, 0xfe, 0xe6, 0x64}; // mov al, 0xfe; out 0x64, al
inline const std::vector<uint8_t> kCliHlt{0xfa, 0xf4};
inline constexpr uint8_t kInt3 = 0xcc;
} // namespace x86

} // namespace zone_init

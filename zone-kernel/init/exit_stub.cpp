// SPDX-License-Identifier: GPL-2.0-only
#include "exit_stub.hpp"

#include <algorithm>
#include <bulkhead/abi/hypercall.h>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

namespace zone_init {

namespace {
constexpr uint64_t kPsciSystemOff = 0x84000008;
// The stub's scratch registers: x9 holds the vector base, x10 says whether
// an exception has been taken (a second one halts instead of looping).
constexpr unsigned kX0 = 0, kX1 = 1, kX2 = 2, kX9 = 9, kX10 = 10;
} // namespace

namespace a64 {
// Every offset here is the stub's own, far inside each field's range; an
// encoding that does not fit would be a bug in the layout, not an input.
static uint32_t field(int64_t value, unsigned bits) {
    const int64_t lim = int64_t{1} << (bits - 1);
    if (value < -lim || value >= lim) std::abort();
    return static_cast<uint32_t>(value) & ((uint32_t{1} << bits) - 1);
}
static int64_t words(int64_t offset) {
    if (offset % 4) std::abort();
    return offset / 4;
}

uint32_t adr(unsigned rd, int64_t offset) {
    const uint32_t imm = field(offset, 21);
    return 0x10000000u | (imm & 3) << 29 | (imm >> 2) << 5 | rd;
}
uint32_t ldr_literal(unsigned rt, int64_t offset) { return 0x58000000u | field(words(offset), 19) << 5 | rt; }
uint32_t movz(unsigned rd, uint16_t imm) { return 0xd2800000u | uint32_t{imm} << 5 | rd; }
// MSR VBAR_EL1 (op0 3, op1 0, CRn 12, CRm 0, op2 0), Xt
uint32_t msr_vbar_el1(unsigned rt) { return 0xd518c000u | rt; }
uint32_t b(int64_t offset) { return 0x14000000u | field(words(offset), 26); }
uint32_t cbnz(unsigned rt, int64_t offset) { return 0xb5000000u | field(words(offset), 19) << 5 | rt; }
} // namespace a64

ExitReport exit_report(int wait_status) {
    if (WIFSIGNALED(wait_status)) return {static_cast<uint64_t>(WTERMSIG(wait_status)), BH_EXIT_CODE_SIGNAL};
    if (WIFEXITED(wait_status)) return {static_cast<uint64_t>(WEXITSTATUS(wait_status)), BH_EXIT_CODE_STATUS};
    return {127, BH_EXIT_CODE_STATUS};
}

Conduit conduit_from_psci_method(std::string_view method) {
    const auto nul = method.find('\0');
    return method.substr(0, nul) == "smc" ? Conduit::smc : Conduit::hvc;
}

std::vector<uint32_t> build_exit_stub(const ExitReport& report, Conduit conduit) {
    using namespace a64;
    const uint32_t call = conduit == Conduit::smc ? kSmc0 : kHvc0;
    std::vector<uint32_t> w(kExitStubSize / 4, 0);
    auto at = [&](uint64_t off) -> uint32_t& { return w[off / 4]; };
    auto pc_rel = [](uint64_t target, uint64_t pc) { return static_cast<int64_t>(target) - static_cast<int64_t>(pc); };
    constexpr uint64_t lit_exit = kExitStubLiterals, lit_off = lit_exit + 8, lit_code = lit_exit + 16,
                       lit_kind = lit_exit + 24;

    at(0x00) = adr(kX9, pc_rel(kExitStubVectors, 0x00));
    at(0x04) = msr_vbar_el1(kX9);
    at(0x08) = kIsb;
    at(0x0c) = movz(kX10, 0);
    at(0x10) = ldr_literal(kX0, pc_rel(lit_exit, 0x10));
    at(0x14) = ldr_literal(kX1, pc_rel(lit_code, 0x14));
    at(0x18) = ldr_literal(kX2, pc_rel(lit_kind, 0x18));
    at(0x1c) = call;
    static_assert(kExitStubFallback == 0x20 && kExitStubHalt == 0x28);
    at(0x20) = ldr_literal(kX0, pc_rel(lit_off, 0x20));
    at(0x24) = call;
    at(0x28) = kWfi;
    at(0x2c) = b(pc_rel(kExitStubHalt, 0x2c));

    // Literals: 8-byte aligned, as loads from Device memory (MMU off) must be.
    auto put64 = [&](uint64_t off, uint64_t v) {
        at(off) = static_cast<uint32_t>(v);
        at(off + 4) = static_cast<uint32_t>(v >> 32);
    };
    put64(lit_exit, BH_HC_ZONE_EXIT);
    put64(lit_off, kPsciSystemOff);
    put64(lit_code, report.code);
    put64(lit_kind, report.kind);

    // Every exception (synchronous, IRQ, FIQ, SError from any EL and stack)
    // goes to the fallback once, then halts.
    for (uint64_t v = kExitStubVectors; v < kExitStubSize; v += 0x80) {
        at(v) = cbnz(kX10, pc_rel(kExitStubHalt, v));
        at(v + 4) = movz(kX10, 1);
        at(v + 8) = b(pc_rel(kExitStubFallback, v + 8));
    }
    return w;
}

namespace x86 {
namespace {
uint8_t rel8(int64_t rel) {
    if (rel < -128 || rel > 127) std::abort(); // the stub's own layout: a bug, not an input
    return static_cast<uint8_t>(rel);
}
void put_le(std::vector<uint8_t>& out, uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
} // namespace

std::vector<uint8_t> mov_r32_imm32(unsigned reg, uint32_t imm) { // B8+r id
    std::vector<uint8_t> out{static_cast<uint8_t>(0xb8 + reg)};
    put_le(out, imm, 4);
    return out;
}
std::vector<uint8_t> mov_r64_imm64(unsigned reg, uint64_t imm) { // REX.W B8+r io
    std::vector<uint8_t> out{0x48, static_cast<uint8_t>(0xb8 + reg)};
    put_le(out, imm, 8);
    return out;
}
std::vector<uint8_t> cmp_r32_imm(unsigned reg, uint32_t imm) {
    const auto modrm = static_cast<uint8_t>(0xc0 | 7u << 3 | reg); // /7, register direct
    if (static_cast<int32_t>(imm) >= -128 && static_cast<int32_t>(imm) <= 127)
        return {0x83, modrm, static_cast<uint8_t>(imm)}; // 83 /7 ib (sign-extended)
    std::vector<uint8_t> out{0x81, modrm};               // 81 /7 id
    put_le(out, imm, 4);
    return out;
}
std::vector<uint8_t> jcc8(Cond cond, int64_t rel) { return {static_cast<uint8_t>(0x70 | cond), rel8(rel)}; }
std::vector<uint8_t> jmp8(int64_t rel) { return {0xeb, rel8(rel)}; }

std::vector<uint8_t> build_exit_stub(const ExitReport& report) {
    std::vector<uint8_t> s;
    auto emit = [&](const std::vector<uint8_t>& insn) { s.insert(s.end(), insn.begin(), insn.end()); };
    // A short jump to target, from where the jump is emitted.
    auto jump = [&](auto make, uint64_t target) { emit(make(static_cast<int64_t>(target) - (int64_t(s.size()) + 2))); };
    auto jcc_to = [&](Cond c, uint64_t target) { jump([c](int64_t rel) { return jcc8(c, rel); }, target); };
    auto here = [&](uint64_t expected) {
        if (s.size() != expected) std::abort(); // the layout constants in the header are wrong
    };

    // "BulkheadHV  " at leaf 0x40000000, as tests/guests/x86_64/lib/hypercall.cpp checks it.
    emit(mov_r32_imm32(kAx, 0x40000000));
    emit(kCpuid);
    emit(cmp_r32_imm(kBx, 0x6b6c7542)); // "Bulk"
    jcc_to(kNotEqual, kExitStubFallback);
    emit(cmp_r32_imm(kCx, 0x64616568)); // "head"
    jcc_to(kNotEqual, kExitStubFallback);
    emit(cmp_r32_imm(kDx, 0x20205648)); // "HV  "
    jcc_to(kNotEqual, kExitStubFallback);
    emit(mov_r32_imm32(kAx, 0x40000001));
    emit(kCpuid);
    here(kExitStubArguments);
    emit(mov_r64_imm64(kDi, report.code));
    emit(mov_r64_imm64(kSi, report.kind));
    emit(cmp_r32_imm(kAx, 1));
    jcc_to(kEqual, kExitStubVmmcall);
    emit(cmp_r32_imm(kAx, 2));
    jcc_to(kNotEqual, kExitStubFallback);
    emit(mov_r32_imm32(kAx, BH_HC_ZONE_EXIT)); // zero-extended: bits 63:32 of RAX are 0
    emit(kVmcall);
    jump(jmp8, kExitStubFallback);
    here(kExitStubVmmcall);
    emit(mov_r32_imm32(kAx, BH_HC_ZONE_EXIT));
    emit(kVmmcall);
    here(kExitStubFallback);
    emit(kResetViaI8042);
    here(kExitStubHalt);
    emit(kCliHlt);
    jump(jmp8, kExitStubHalt);
    here(kExitStubEnd);
    s.resize(kExitStubSize, kInt3);
    return s;
}
} // namespace x86

std::optional<uint64_t> exit_stub_address(std::string_view iomem, uint64_t page_size, uint64_t lowest) {
    while (!iomem.empty()) {
        const auto eol = iomem.find('\n');
        std::string_view line = iomem.substr(0, eol);
        iomem.remove_prefix(eol == std::string_view::npos ? iomem.size() : eol + 1);
        // Top-level ranges only: nested ones (kernel code, reserved) are indented.
        if (line.empty() || line[0] == ' ') continue;
        const auto dash = line.find('-'), colon = line.find(" : ");
        if (dash == std::string_view::npos || colon == std::string_view::npos || dash > colon) continue;
        if (line.substr(colon + 3) != "System RAM") continue;
        const std::string start_s(line.substr(0, dash)), end_s(line.substr(dash + 1, colon - dash - 1));
        char* end_p = nullptr;
        const uint64_t start = std::strtoull(start_s.c_str(), &end_p, 16);
        if (start_s.empty() || *end_p) continue;
        const uint64_t last = std::strtoull(end_s.c_str(), &end_p, 16);
        if (end_s.empty() || *end_p || last < start) continue;
        const uint64_t from = std::max(start, lowest);
        const uint64_t page = (from + page_size - 1) & ~(page_size - 1);
        if (page < from || page > last || last - page + 1 < kExitStubSize || last - page + 1 < page_size) continue;
        return page;
    }
    return std::nullopt;
}

} // namespace zone_init

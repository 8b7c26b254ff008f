// SPDX-License-Identifier: GPL-2.0-only
// The MMIO instruction decoder on encodings assembled by GNU as (the AT&T
// text beside each), plus a few hand-made byte sequences as cannot produce
// (marked "hand"), checked with objdump. Every accepted encoding is also
// decoded from each of its proper prefixes, which must ask for more bytes.
#include <catch2/catch.hpp>

#include <vector>

#include "mmio_insn.hpp"

using namespace bh;
using bh::x86_64::decode_mmio_insn;
using bh::x86_64::DecodeMode;
using bh::x86_64::DecodeStatus;
using bh::x86_64::mmio_load_result;
using bh::x86_64::mmio_store_value;
using bh::x86_64::MmioInsn;
using Kind = MmioInsn::Kind;
using Extend = MmioInsn::Extend;

namespace {

constexpr Kind L = Kind::load, S = Kind::store;

struct Case {
    const char* text;
    std::vector<u8> bytes;
    Kind kind;
    u8 size;
    u8 reg;
    u8 dest_size;
    Extend extend = Extend::none;
    bool high_byte = false;
    bool has_imm = false;
    u64 imm = 0;
};

void check(const Case& c, DecodeMode mode) {
    INFO(c.text);
    MmioInsn i;
    REQUIRE(decode_mmio_insn(c.bytes.data(), c.bytes.size(), i, mode) == DecodeStatus::ok);
    CHECK(i.length == c.bytes.size());
    CHECK(i.kind == c.kind);
    CHECK(unsigned(i.size) == c.size);
    CHECK(unsigned(i.dest_size) == c.dest_size);
    CHECK(i.extend == c.extend);
    CHECK(i.high_byte == c.high_byte);
    CHECK(i.has_imm == c.has_imm);
    if (c.has_imm) {
        CHECK(i.imm == c.imm);
    } else {
        CHECK(unsigned(i.reg) == c.reg);
    }
    // Trailing bytes (the next instruction) change nothing.
    std::vector<u8> longer = c.bytes;
    longer.insert(longer.end(), {0x8b, 0x00, 0x90, 0x90});
    MmioInsn j;
    REQUIRE(decode_mmio_insn(longer.data(), longer.size(), j, mode) == DecodeStatus::ok);
    CHECK(j.length == i.length);
    for (usize n = 0; n < c.bytes.size(); ++n) {
        INFO("first " << n << " bytes");
        CHECK(decode_mmio_insn(c.bytes.data(), n, j, mode) == DecodeStatus::truncated);
    }
}

DecodeStatus decode(std::vector<u8> bytes, DecodeMode mode = DecodeMode::long64) {
    MmioInsn i;
    return decode_mmio_insn(bytes.data(), bytes.size(), i, mode);
}

} // namespace

TEST_CASE("x86 mmio decode: MOV r/m, r and MOV r, r/m with every addressing form", "[x86][mmio_insn]") {
    const Case cases[] = {
        {"mov %ecx,0x30(%rax)", {0x89, 0x48, 0x30}, S, 4, 1, 4},
        {"mov 0x30(%rax),%ecx", {0x8b, 0x48, 0x30}, L, 4, 1, 4},
        {"mov %al,(%rdi)", {0x88, 0x07}, S, 1, 0, 1},
        {"mov (%rsi),%bl", {0x8a, 0x1e}, L, 1, 3, 1},
        {"mov %r9,(%rax)", {0x4c, 0x89, 0x08}, S, 8, 9, 8},
        {"mov (%r12),%r15d", {0x45, 0x8b, 0x3c, 0x24}, L, 4, 15, 4},
        {"mov 0x12345678(%rax,%rbx,4),%rdx", {0x48, 0x8b, 0x94, 0x98, 0x78, 0x56, 0x34, 0x12}, L, 8, 2, 8},
        {"mov 0x10(%rsp),%eax", {0x8b, 0x44, 0x24, 0x10}, L, 4, 0, 4},
        {"mov 0x0(,%rcx,8),%eax", {0x8b, 0x04, 0xcd, 0x00, 0x00, 0x00, 0x00}, L, 4, 0, 4},
        {"mov 0x10(%rbp),%eax", {0x8b, 0x45, 0x10}, L, 4, 0, 4},
        {"mov 0x0(%r13),%eax", {0x41, 0x8b, 0x45, 0x00}, L, 4, 0, 4},
        {"mov -0x8(%r13,%r14,2),%r8", {0x4f, 0x8b, 0x44, 0x75, 0xf8}, L, 8, 8, 8},
        {"mov 0x100(%rip),%eax", {0x8b, 0x05, 0x00, 0x01, 0x00, 0x00}, L, 4, 0, 4},
        {"addr32 mov (%eax),%ecx", {0x67, 0x8b, 0x08}, L, 4, 1, 4},
        {"mov 0x30(%eax,%ebx,1),%ecx", {0x67, 0x8b, 0x4c, 0x18, 0x30}, L, 4, 1, 4},
        // 16-bit operands
        {"mov %ax,(%rdi)", {0x66, 0x89, 0x07}, S, 2, 0, 2},
        {"mov 0x2(%rsi),%cx", {0x66, 0x8b, 0x4e, 0x02}, L, 2, 1, 2},
        {"mov %r11w,0x400(%rdx)", {0x66, 0x44, 0x89, 0x9a, 0x00, 0x04, 0x00, 0x00}, S, 2, 11, 2},
        // Byte registers: AH..BH without REX, SPL..DIL and r8b.. with one.
        {"mov %ah,(%rdi)", {0x88, 0x27}, S, 1, 0, 1, Extend::none, true},
        {"mov (%rbx),%dh", {0x8a, 0x33}, L, 1, 2, 1, Extend::none, true},
        {"mov %sil,(%rax)", {0x40, 0x88, 0x30}, S, 1, 6, 1},
        {"mov (%rax),%dil", {0x40, 0x8a, 0x38}, L, 1, 7, 1},
        {"mov %r10b,(%r11)", {0x45, 0x88, 0x13}, S, 1, 10, 1},
        // Segment overrides are ignored.
        {"mov %fs:0x10(%rax),%eax", {0x64, 0x8b, 0x40, 0x10}, L, 4, 0, 4},
        {"ss mov (%rsp),%rbx (hand)", {0x36, 0x48, 0x8b, 0x1c, 0x24}, L, 8, 3, 8},
        {"cs mov %rax,(%rcx)", {0x2e, 0x48, 0x89, 0x01}, S, 8, 0, 8},
        {"mov %fs:(%esp),%rbx (hand)", {0x64, 0x67, 0x48, 0x8b, 0x1c, 0x24}, L, 8, 3, 8},
        // REX counts only right before the opcode; REX.W beats 66.
        {"rex.W; mov %ax,(%rdi) (hand)", {0x48, 0x66, 0x89, 0x07}, S, 2, 0, 2},
        {"rex.B; cs mov %eax,(%rdi) (hand)", {0x41, 0x2e, 0x89, 0x07}, S, 4, 0, 4},
        {"rex; mov %eax,(%r15) (hand)", {0x40, 0x41, 0x89, 0x07}, S, 4, 0, 4},
        {"rex.W; mov %spl,(%rdi) (hand)", {0x48, 0x40, 0x88, 0x27}, S, 1, 4, 1},
        {"data16 mov %rax,(%rdi) (hand)", {0x66, 0x48, 0x89, 0x07}, S, 8, 0, 8},
    };
    for (const Case& c : cases) check(c, DecodeMode::long64);
}

TEST_CASE("x86 mmio decode: MOV r/m, imm with sign extension under REX.W", "[x86][mmio_insn]") {
    const Case cases[] = {
        {"movb $0x80,(%rdi)", {0xc6, 0x07, 0x80}, S, 1, 0, 1, Extend::none, false, true, 0x80},
        {"movb $0x1,0x10(%rdi)", {0xc6, 0x47, 0x10, 0x01}, S, 1, 0, 1, Extend::none, false, true, 0x1},
        {"movw $0xfffe,(%rdi)", {0x66, 0xc7, 0x07, 0xfe, 0xff}, S, 2, 0, 2, Extend::none, false, true, 0xfffe},
        {"movl $0x80000000,0x300(%rax)",
         {0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80},
         S,
         4,
         0,
         4,
         Extend::none,
         false,
         true,
         0x80000000},
        {"movq $0xffffffffffffffff,(%rax)",
         {0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff},
         S,
         8,
         0,
         8,
         Extend::none,
         false,
         true,
         ~0ull},
        {"movq $0x7fffffff,0x8(%rcx)",
         {0x48, 0xc7, 0x41, 0x08, 0xff, 0xff, 0xff, 0x7f},
         S,
         8,
         0,
         8,
         Extend::none,
         false,
         true,
         0x7fffffff},
        {"movq $0xffffffff80000000,(%r8)",
         {0x49, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80},
         S,
         8,
         0,
         8,
         Extend::none,
         false,
         true,
         0xffffffff80000000ull},
        {"data16 movq $0xfffffffffffffffe,(%rdi) (hand)",
         {0x66, 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff},
         S,
         8,
         0,
         8,
         Extend::none,
         false,
         true,
         0xfffffffffffffffeull},
        // Exactly 15 bytes is still an instruction.
        {"cs cs cs movq $-1,0x12345678(%rax,%rbx,4) (hand)",
         {0x2e, 0x2e, 0x2e, 0x48, 0xc7, 0x84, 0x98, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff},
         S,
         8,
         0,
         8,
         Extend::none,
         false,
         true,
         ~0ull},
    };
    for (const Case& c : cases) check(c, DecodeMode::long64);
}

TEST_CASE("x86 mmio decode: MOVZX, MOVSX and MOVSXD", "[x86][mmio_insn]") {
    const Case cases[] = {
        {"movzbl (%rax),%ecx", {0x0f, 0xb6, 0x08}, L, 1, 1, 4, Extend::zero},
        {"movzwl (%rax),%r8d", {0x44, 0x0f, 0xb7, 0x00}, L, 2, 8, 4, Extend::zero},
        {"movzbw (%rax),%cx", {0x66, 0x0f, 0xb6, 0x08}, L, 1, 1, 2, Extend::zero},
        {"movzbq 0x1(%rdx),%r9", {0x4c, 0x0f, 0xb6, 0x4a, 0x01}, L, 1, 9, 8, Extend::zero},
        {"movsbq (%rax),%rax", {0x48, 0x0f, 0xbe, 0x00}, L, 1, 0, 8, Extend::sign},
        {"movswl (%rax),%edx", {0x0f, 0xbf, 0x10}, L, 2, 2, 4, Extend::sign},
        {"movsbw (%rdi),%si", {0x66, 0x0f, 0xbe, 0x37}, L, 1, 6, 2, Extend::sign},
        {"movswq (%rsi),%r12", {0x4c, 0x0f, 0xbf, 0x26}, L, 2, 12, 8, Extend::sign},
        {"movslq (%rax),%rcx", {0x48, 0x63, 0x08}, L, 4, 1, 8, Extend::sign},
        {"movslq 0x20(%r15),%r10", {0x4d, 0x63, 0x57, 0x20}, L, 4, 10, 8, Extend::sign},
    };
    for (const Case& c : cases) check(c, DecodeMode::long64);
}

TEST_CASE("x86 mmio decode: MOV with an absolute moffs, 8 bytes in 64-bit mode", "[x86][mmio_insn]") {
    const Case cases[] = {
        {"movabs 0xfee00030,%eax", {0xa1, 0x30, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00}, L, 4, 0, 4},
        {"movabs 0xfee000f0,%al", {0xa0, 0xf0, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00}, L, 1, 0, 1},
        {"movabs %al,0xfee00000", {0xa2, 0x00, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00}, S, 1, 0, 1},
        {"movabs %rax,0xfee00380", {0x48, 0xa3, 0x80, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00}, S, 8, 0, 8},
        {"movabs 0xfee00020,%ax", {0x66, 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00}, L, 2, 0, 2},
        {"addr32 mov 0xfee00030,%eax", {0x67, 0xa1, 0x30, 0x00, 0xe0, 0xfe}, L, 4, 0, 4},
    };
    for (const Case& c : cases) check(c, DecodeMode::long64);
}

TEST_CASE("x86 mmio decode: 32-bit protected mode", "[x86][mmio_insn]") {
    // as --32
    const Case cases[] = {
        {"mov 0x30(%eax),%ecx", {0x8b, 0x48, 0x30}, L, 4, 1, 4},
        {"mov %ecx,0xfee00030", {0x89, 0x0d, 0x30, 0x00, 0xe0, 0xfe}, S, 4, 1, 4},
        {"mov %ah,(%edi)", {0x88, 0x27}, S, 1, 0, 1, Extend::none, true},
        {"movw $0x1234,(%ebx)", {0x66, 0xc7, 0x03, 0x34, 0x12}, S, 2, 0, 2, Extend::none, false, true, 0x1234},
        {"movl $0xffffffff,0x20(%esi)",
         {0xc7, 0x46, 0x20, 0xff, 0xff, 0xff, 0xff},
         S,
         4,
         0,
         4,
         Extend::none,
         false,
         true,
         0xffffffff},
        {"movzbl (%eax),%edx", {0x0f, 0xb6, 0x10}, L, 1, 2, 4, Extend::zero},
        {"movswl 0x4(%ecx,%edx,2),%ebx", {0x0f, 0xbf, 0x5c, 0x51, 0x04}, L, 2, 3, 4, Extend::sign},
        {"mov 0xfee00030,%eax", {0xa1, 0x30, 0x00, 0xe0, 0xfe}, L, 4, 0, 4},
        {"mov %al,0xfee00000", {0xa2, 0x00, 0x00, 0xe0, 0xfe}, S, 1, 0, 1},
        // 16-bit addressing
        {"mov 0x10(%bx),%eax", {0x67, 0x8b, 0x47, 0x10}, L, 4, 0, 4},
        {"addr16 mov 0x1234,%eax", {0x67, 0xa1, 0x34, 0x12}, L, 4, 0, 4},
        {"mov 0x0(%bp),%cl", {0x67, 0x8a, 0x4e, 0x00}, L, 1, 1, 1},
    };
    for (const Case& c : cases) check(c, DecodeMode::protected32);
    CHECK(decode({0x40}, DecodeMode::protected32) == DecodeStatus::unsupported);             // inc %eax
    CHECK(decode({0x48, 0x63, 0x08}, DecodeMode::protected32) == DecodeStatus::unsupported); // dec; arpl
}

TEST_CASE("x86 mmio decode: everything but plain moves to memory is refused", "[x86][mmio_insn]") {
    using D = DecodeStatus;
    CHECK(decode({0x89, 0xc1}) == D::unsupported);             // mov %eax,%ecx (mod 11)
    CHECK(decode({0x48, 0x63, 0xc0}) == D::unsupported);       // movslq %eax,%rax (hand)
    CHECK(decode({0x0f, 0xb6, 0xc1}) == D::unsupported);       // movzbl %cl,%eax
    CHECK(decode({0xf0, 0xff, 0x00}) == D::unsupported);       // lock incl (%rax)
    CHECK(decode({0xf0, 0x89, 0x07}) == D::unsupported);       // lock mov (hand, #UD)
    CHECK(decode({0xf3, 0xa4}) == D::unsupported);             // rep movsb
    CHECK(decode({0xf2, 0x89, 0x03}) == D::unsupported);       // repnz mov %eax,(%rbx) (hand)
    CHECK(decode({0xa4}) == D::unsupported);                   // movsb
    CHECK(decode({0xa5}) == D::unsupported);                   // movsl
    CHECK(decode({0xc5, 0xfe, 0x6f, 0x00}) == D::unsupported); // vmovdqu (%rax),%ymm0
    CHECK(decode({0xf3, 0x0f, 0x7e, 0x00}) == D::unsupported); // movq (%rax),%xmm0
    CHECK(decode({0x0f, 0x10, 0x00}) == D::unsupported);       // movups (%rax),%xmm0
    CHECK(decode({0x01, 0x03}) == D::unsupported);             // add %eax,(%rbx)
    CHECK(decode({0x87, 0x03}) == D::unsupported);             // xchg %eax,(%rbx)
    CHECK(decode({0x63, 0x08}) == D::unsupported);             // movsxd (%rax),%ecx without REX.W
    CHECK(decode({0xc6, 0x4f, 0x10, 0x01}) == D::unsupported); // C6 /1 (hand)
    CHECK(decode({0xc7, 0xf8, 0, 0, 0, 0}) == D::unsupported); // xbegin

    // Longer than 15 bytes: refused even when fewer bytes are at hand.
    std::vector<u8> prefixes(14, 0x2e);
    prefixes.insert(prefixes.end(), {0x89, 0x07}); // cs x14; mov %eax,(%rdi)
    CHECK(decode(prefixes) == D::unsupported);
    CHECK(decode(std::vector<u8>(15, 0x2e)) == D::unsupported);
    CHECK(decode(std::vector<u8>(20, 0x66)) == D::unsupported);
    std::vector<u8> sixteen = {0x2e, 0x2e, 0x2e, 0x2e, 0x48, 0xc7, 0x84, 0x98,
                               0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff};
    CHECK(decode(sixteen) == D::unsupported);
    // Short inside the displacement: more bytes might help; once the
    // immediate is reached the length is known to be 16.
    CHECK(decode(std::vector<u8>(sixteen.begin(), sixteen.begin() + 11)) == D::truncated);
    CHECK(decode(std::vector<u8>(sixteen.begin(), sixteen.begin() + 14)) == D::unsupported);
    CHECK(decode({}) == D::truncated);
    CHECK(decode({0x66, 0x2e}) == D::truncated);
    CHECK(decode({0x0f}) == D::truncated);
}

TEST_CASE("x86 mmio load result: x86 register-write rules", "[x86][mmio_insn]") {
    const u64 old = 0x1122334455667788ull;
    auto load = [](u8 size, u8 dest_size, Extend extend = Extend::none, bool high_byte = false) {
        MmioInsn i{};
        i.kind = Kind::load;
        i.size = size;
        i.dest_size = dest_size;
        i.extend = extend;
        i.high_byte = high_byte;
        return i;
    };
    // Plain moves: 32-bit writes clear bits 63:32, 8- and 16-bit ones merge.
    CHECK(mmio_load_result(load(4, 4), old, 0xdeadbeefcafef00dull) == 0xcafef00dull);
    CHECK(mmio_load_result(load(8, 8), old, 0xdeadbeefcafef00dull) == 0xdeadbeefcafef00dull);
    CHECK(mmio_load_result(load(2, 2), old, 0xabcd1234) == 0x1122334455661234ull);
    CHECK(mmio_load_result(load(1, 1), old, 0xabcd12fe) == 0x11223344556677feull);
    CHECK(mmio_load_result(load(1, 1, Extend::none, true), old, 0xfe) == 0x112233445566fe88ull); // %dh

    // MOVZX: extended to the destination, then the same write rules.
    CHECK(mmio_load_result(load(1, 4, Extend::zero), old, 0xff) == 0xffull);                 // movzbl
    CHECK(mmio_load_result(load(2, 2, Extend::zero), old, 0x8001) == 0x1122334455668001ull); // 66 0f b7
    CHECK(mmio_load_result(load(1, 2, Extend::zero), old, 0x80) == 0x1122334455660080ull);   // movzbw
    CHECK(mmio_load_result(load(1, 8, Extend::zero), old, 0x80) == 0x80ull);                 // movzbq

    // MOVSX/MOVSXD
    CHECK(mmio_load_result(load(1, 4, Extend::sign), old, 0x80) == 0xffffff80ull); // movsbl: zero above 31
    CHECK(mmio_load_result(load(1, 4, Extend::sign), old, 0x7f) == 0x7full);
    CHECK(mmio_load_result(load(1, 2, Extend::sign), old, 0x80) == 0x112233445566ff80ull);       // movsbw
    CHECK(mmio_load_result(load(2, 8, Extend::sign), old, 0x12348000) == 0xffffffffffff8000ull); // movswq
    CHECK(mmio_load_result(load(4, 8, Extend::sign), old, 0x80000000) == 0xffffffff80000000ull); // movslq
    CHECK(mmio_load_result(load(4, 8, Extend::sign), old, 0x7fffffff) == 0x7fffffffull);

    MmioInsn i;
    // Decoded end to end: movsbq (%rax),%rax
    const u8 movsbq[] = {0x48, 0x0f, 0xbe, 0x00};
    REQUIRE(decode_mmio_insn(movsbq, sizeof movsbq, i) == DecodeStatus::ok);
    CHECK(mmio_load_result(i, old, 0xf0) == ~0xfull);
}

TEST_CASE("x86 mmio store value: the register's low bytes, AH..BH, or the immediate", "[x86][mmio_insn]") {
    MmioInsn i;
    const u8 mov_ah[] = {0x88, 0x27}; // mov %ah,(%rdi)
    REQUIRE(decode_mmio_insn(mov_ah, sizeof mov_ah, i) == DecodeStatus::ok);
    CHECK(mmio_store_value(i, 0x1234) == 0x12);
    const u8 mov_ax[] = {0x66, 0x89, 0x07}; // mov %ax,(%rdi)
    REQUIRE(decode_mmio_insn(mov_ax, sizeof mov_ax, i) == DecodeStatus::ok);
    CHECK(mmio_store_value(i, 0x1122334455667788ull) == 0x7788);
    const u8 mov_ecx[] = {0x89, 0x48, 0x30}; // mov %ecx,0x30(%rax)
    REQUIRE(decode_mmio_insn(mov_ecx, sizeof mov_ecx, i) == DecodeStatus::ok);
    CHECK(mmio_store_value(i, 0x1122334455667788ull) == 0x55667788);
    const u8 movq_imm[] = {0x49, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80}; // movq $-0x80000000,(%r8)
    REQUIRE(decode_mmio_insn(movq_imm, sizeof movq_imm, i) == DecodeStatus::ok);
    CHECK(mmio_store_value(i, 0) == 0xffffffff80000000ull);
}

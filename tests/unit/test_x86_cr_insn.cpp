// SPDX-License-Identifier: GPL-2.0-only
// MOV to CR decoding for SVM's CR-write intercepts, on encodings assembled
// by GNU as (the AT&T text beside each): 64-bit forms with REX, a prefix
// that cancels an earlier REX, AMD's LOCK MOV CR0 for CR8, 32-bit code,
// truncation and refusal. And the CR4 write checks.
#include <catch2/catch.hpp>

#include <vector>

#include "cr4_policy.hpp"
#include "cr_insn.hpp"

using namespace bh;
using namespace bh::x86_64;

namespace {

struct Case {
    const char* text;
    std::vector<u8> bytes;
    bool code64;
    u8 cr, gpr;
};

} // namespace

TEST_CASE("cr_insn: MOV to CR encodings", "[x86][cr_insn]") {
    const Case cases[] = {
        {"mov %rax,%cr8", {0x44, 0x0f, 0x22, 0xc0}, true, 8, 0},
        {"mov %r9,%cr8", {0x45, 0x0f, 0x22, 0xc1}, true, 8, 9},
        {"mov %rbx,%cr4", {0x0f, 0x22, 0xe3}, true, 4, 3},
        {"mov %r12,%cr4", {0x41, 0x0f, 0x22, 0xe4}, true, 4, 12},
        {"mov %rsp,%cr4", {0x0f, 0x22, 0xe4}, true, 4, 4},
        {"data16 mov %rcx,%cr4", {0x66, 0x0f, 0x22, 0xe1}, true, 4, 1},
        {"hand: rex.b then data16 (the REX is dropped)", {0x41, 0x66, 0x0f, 0x22, 0xe1}, true, 4, 1},
        {"hand: mod 00 is read as a register", {0x0f, 0x22, 0x20}, true, 4, 0},
        {"lock mov %eax,%cr0 (32-bit: CR8)", {0xf0, 0x0f, 0x22, 0xc0}, false, 8, 0},
        {"mov %eax,%cr4 (32-bit)", {0x0f, 0x22, 0xe0}, false, 4, 0},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        MovToCr m;
        REQUIRE(decode_mov_to_cr(c.bytes.data(), c.bytes.size(), m, c.code64) == DecodeStatus::ok);
        CHECK(m.cr == c.cr);
        CHECK(m.gpr == c.gpr);
        CHECK(m.length == c.bytes.size());
        for (usize n = 0; n < c.bytes.size(); ++n)
            CHECK(decode_mov_to_cr(c.bytes.data(), n, m, c.code64) == DecodeStatus::truncated);
    }
}

TEST_CASE("cr_insn: what is not a MOV to CR", "[x86][cr_insn]") {
    MovToCr m;
    const u8 mov_from_cr[] = {0x0f, 0x20, 0xe0}; // mov %cr4,%rax
    CHECK(decode_mov_to_cr(mov_from_cr, sizeof mov_from_cr, m, true) == DecodeStatus::unsupported);
    const u8 inc_esp[] = {0x44, 0x0f, 0x22, 0xc0}; // 32-bit code: 0x44 is INC ESP, not REX.R
    CHECK(decode_mov_to_cr(inc_esp, sizeof inc_esp, m, false) == DecodeStatus::unsupported);
    const u8 lock_cr4[] = {0xf0, 0x0f, 0x22, 0xe0}; // LOCK selects CR8 only from CR0
    CHECK(decode_mov_to_cr(lock_cr4, sizeof lock_cr4, m, false) == DecodeStatus::unsupported);
    std::vector<u8> long_prefixes(15, 0x66);
    long_prefixes.insert(long_prefixes.end(), {0x0f, 0x22, 0xe0});
    CHECK(decode_mov_to_cr(long_prefixes.data(), long_prefixes.size(), m, true) == DecodeStatus::unsupported);
}

TEST_CASE("cr4_policy: what MOV to CR4 accepts", "[x86][cr4]") {
    constexpr u64 kLongModeCr4 = cr4::kPae | cr4::kOsfxsr | cr4::kOsxmmexcpt;
    constexpr u64 kAll = ~u64(0) & ~kCr4Refused & ((u64(1) << 26) - 1);
    Cr4Write w{kLongModeCr4 | cr4::kPge, kLongModeCr4, kAll, 0x1000, true};
    CHECK(cr4_write_allowed(w));
    for (u64 refused :
         {cr4::kVmxe, cr4::kSmxe, cr4::kOsxsave, cr4::kPke, cr4::kPks, cr4::kCet, cr4::kKl, cr4::kUintr}) {
        w.value = kLongModeCr4 | refused;
        CHECK_FALSE(cr4_write_allowed(w));
    }
    w.value = kLongModeCr4 | cr4::kSmep;
    w.supported = kAll & ~cr4::kSmep; // not on this CPU
    CHECK_FALSE(cr4_write_allowed(w));
    w.supported = kAll;
    w.value = kLongModeCr4 | (u64(1) << 30); // reserved
    CHECK_FALSE(cr4_write_allowed(w));
    w.value = cr4::kOsfxsr; // clearing PAE in long mode
    CHECK_FALSE(cr4_write_allowed(w));
    w.long_mode = false;
    CHECK(cr4_write_allowed(w));         // fine outside it
    w.value = kLongModeCr4 | cr4::kLa57; // the paging depth cannot change in long mode
    w.long_mode = true;
    CHECK_FALSE(cr4_write_allowed(w));
    w.value = kLongModeCr4 | cr4::kPcide; // PCIDE needs CR3[11:0] = 0 and long mode
    w.cr3 = 0x1000;
    CHECK(cr4_write_allowed(w));
    w.cr3 = 0x1005;
    CHECK_FALSE(cr4_write_allowed(w));
    w.old = kLongModeCr4 | cr4::kPcide; // already set: CR3's low bits are a PCID now
    CHECK(cr4_write_allowed(w));
    w.old = kLongModeCr4;
    w.cr3 = 0x1000;
    w.long_mode = false;
    CHECK_FALSE(cr4_write_allowed(w));
}

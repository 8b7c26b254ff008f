// SPDX-License-Identifier: GPL-2.0-only
// The exit stubs zone init kexecs into (arm64 and x86-64): what they
// report, their encodings, and their whole listings as objdump reads them.
#include "exit_stub.hpp"

#include <bulkhead/abi/hypercall.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef ZONE_INIT_AARCH64_OBJDUMP
#error "ZONE_INIT_AARCH64_OBJDUMP must name aarch64-linux-gnu-objdump"
#endif
#ifndef ZONE_INIT_X86_64_OBJDUMP
#error "ZONE_INIT_X86_64_OBJDUMP must name an objdump that reads x86-64"
#endif

using namespace zone_init;

namespace {

uint64_t literal(const std::vector<uint32_t>& w, uint64_t off) {
    return uint64_t{w[off / 4]} | uint64_t{w[off / 4 + 1]} << 32;
}

// objdump's reading of raw bytes: "offset: mnemonic operands" per
// instruction, with the raw bytes, symbols and objdump's comments left out.
std::string disassemble(const std::string& bytes, const std::string& objdump, const std::string& machine,
                        const std::string& comment) {
    char path[] = "/tmp/zone-init-exit-stub-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
    const std::string cmd = objdump + " -D -b binary -m " + machine + " -z --no-show-raw-insn " + path;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out, listing;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int rc = ::pclose(p);
    ::unlink(path);
    REQUIRE(rc == 0);
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(":\t");
        if (colon == std::string::npos) continue;
        std::string insn = line.substr(colon + 2);
        if (auto c = insn.find(comment); c != std::string::npos) insn.erase(c);
        if (auto c = insn.find(" <"); c != std::string::npos) insn.erase(c);
        for (auto& ch : insn)
            if (ch == '\t') ch = ' ';
        while (!insn.empty() && insn.back() == ' ') insn.pop_back();
        // Collapse objdump's padding between mnemonic and operands.
        for (auto p2 = insn.find("  "); p2 != std::string::npos; p2 = insn.find("  ")) insn.erase(p2, 1);
        std::string off = line.substr(0, colon);
        off.erase(0, off.find_first_not_of(' '));
        listing += off + ": " + insn + "\n";
    }
    return listing;
}

std::string disassemble(const std::vector<uint32_t>& w) {
    std::string bytes;
    for (uint32_t x : w)
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>(x >> (8 * i))); // little-endian
    return disassemble(bytes, ZONE_INIT_AARCH64_OBJDUMP, "aarch64", "\t//");
}

std::string disassemble(const std::vector<uint8_t>& b) {
    return disassemble(std::string(b.begin(), b.end()), ZONE_INIT_X86_64_OBJDUMP, "i386:x86-64", " #");
}

} // namespace

TEST_CASE("exit report: status or signal, as ZONE_EXIT's x1 and x2", "[zone-init][exit-stub]") {
    CHECK(exit_report(W_EXITCODE(0, 0)) == ExitReport{0, BH_EXIT_CODE_STATUS});
    CHECK(exit_report(W_EXITCODE(7, 0)) == ExitReport{7, BH_EXIT_CODE_STATUS});
    CHECK(exit_report(W_EXITCODE(255, 0)) == ExitReport{255, BH_EXIT_CODE_STATUS});
    CHECK(exit_report(9) == ExitReport{9, BH_EXIT_CODE_SIGNAL});          // killed by SIGKILL
    CHECK(exit_report(11 | 0x80) == ExitReport{11, BH_EXIT_CODE_SIGNAL}); // SIGSEGV, core dumped
    CHECK(exit_report(W_STOPCODE(19)) == ExitReport{127, BH_EXIT_CODE_STATUS});
}

TEST_CASE("exit stub: the conduit comes from /psci/method", "[zone-init][exit-stub]") {
    CHECK(conduit_from_psci_method(std::string("hvc\0", 4)) == Conduit::hvc);
    CHECK(conduit_from_psci_method(std::string("smc\0", 4)) == Conduit::smc);
    CHECK(conduit_from_psci_method("smc") == Conduit::smc);
    CHECK(conduit_from_psci_method("") == Conduit::hvc);
    CHECK(conduit_from_psci_method("smcx") == Conduit::hvc);
}

TEST_CASE("exit stub: instruction encodings match the GNU assembler's", "[zone-init][exit-stub]") {
    // Expected words from aarch64-linux-gnu-as for the same instructions.
    CHECK(a64::adr(9, 0x800) == 0x10004009);
    CHECK(a64::adr(3, -3) == 0x30ffffe3);
    CHECK(a64::msr_vbar_el1(9) == 0xd518c009);
    CHECK(a64::movz(10, 0) == 0xd280000a);
    CHECK(a64::movz(10, 1) == 0xd280002a);
    CHECK(a64::ldr_literal(0, 0x20) == 0x58000100);
    CHECK(a64::ldr_literal(2, 0x24) == 0x58000122);
    CHECK(a64::ldr_literal(5, -8) == 0x58ffffc5);
    CHECK(a64::b(0) == 0x14000000);
    CHECK(a64::b(-0x7e8) == 0x17fffe06);
    CHECK(a64::cbnz(10, -0x7d8) == 0xb5ffc14a);
}

TEST_CASE("exit stub: the report is in its literals", "[zone-init][exit-stub]") {
    const auto w = build_exit_stub({7, BH_EXIT_CODE_STATUS}, Conduit::hvc);
    REQUIRE(w.size() * 4 == kExitStubSize);
    CHECK(literal(w, kExitStubLiterals) == BH_HC_ZONE_EXIT);
    CHECK(literal(w, kExitStubLiterals + 8) == 0x84000008); // PSCI SYSTEM_OFF
    CHECK(literal(w, kExitStubLiterals + 16) == 7);
    CHECK(literal(w, kExitStubLiterals + 24) == BH_EXIT_CODE_STATUS);

    const auto s = build_exit_stub({9, BH_EXIT_CODE_SIGNAL}, Conduit::hvc);
    CHECK(literal(s, kExitStubLiterals + 16) == 9);
    CHECK(literal(s, kExitStubLiterals + 24) == BH_EXIT_CODE_SIGNAL);
    // Only the two literals differ between reports.
    int differing = 0;
    for (size_t i = 0; i < w.size(); ++i) differing += w[i] != s[i];
    CHECK(differing == 2);
}

TEST_CASE("exit stub: the listing, hvc and smc", "[zone-init][exit-stub]") {
    // The code (the literals after it are data objdump cannot read) and the
    // first and last exception vector; every vector is the same three
    // instructions.
    const std::string head = "0: adr x9, 0x800\n"
                             "4: msr vbar_el1, x9\n"
                             "8: isb\n"
                             "c: mov x10, #0x0\n"
                             "10: ldr x0, 0x30\n"
                             "14: ldr x1, 0x40\n"
                             "18: ldr x2, 0x48\n"
                             "1c: CALL #0x0\n"
                             "20: ldr x0, 0x38\n"
                             "24: CALL #0x0\n"
                             "28: wfi\n"
                             "2c: b 0x28\n";
    auto expect_head = [&](const char* call) {
        std::string h = head;
        for (auto p = h.find("CALL"); p != std::string::npos; p = h.find("CALL")) h.replace(p, 4, call);
        return h;
    };
    for (auto [conduit, name] : {std::pair{Conduit::hvc, "hvc"}, std::pair{Conduit::smc, "smc"}}) {
        const auto listing = disassemble(build_exit_stub({3, BH_EXIT_CODE_STATUS}, conduit));
        CHECK(listing.substr(0, expect_head(name).size()) == expect_head(name));
        CHECK(listing.find("800: cbnz x10, 0x28\n804: mov x10, #0x1\n808: b 0x20\n") != std::string::npos);
        CHECK(listing.find("f80: cbnz x10, 0x28\nf84: mov x10, #0x1\nf88: b 0x20\n") != std::string::npos);
        // 16 vectors, nothing else that branches.
        size_t vectors = 0;
        for (auto p = listing.find("cbnz x10, 0x28"); p != std::string::npos; p = listing.find("cbnz x10, 0x28", p + 1))
            ++vectors;
        CHECK(vectors == 16);
        CHECK(listing.find(name == std::string("hvc") ? "smc" : "hvc") == std::string::npos);
    }
}

TEST_CASE("exit stub: where it is loaded", "[zone-init][exit-stub]") {
    const std::string iomem = "09000000-09000fff : 9000000.pl011 pl011@9000000\n"
                              "  09000000-09000fff : 9000000.pl011 pl011@9000000\n"
                              "40000000-4fffffff : System RAM\n"
                              "  40210000-40a8ffff : Kernel code\n"
                              "80000000-8fffffff : System RAM\n";
    CHECK(exit_stub_address(iomem, 4096) == 0x40000000u);
    CHECK(exit_stub_address(iomem, 65536) == 0x40000000u);
    // Rounded up to a page; ranges too small are skipped.
    CHECK(exit_stub_address("40000800-40000fff : System RAM\n40001234-40100000 : System RAM", 4096) == 0x40002000u);
    // Nested "System RAM" (indented) does not count; nor do zeroed
    // addresses (what /proc/iomem shows to an unprivileged reader).
    CHECK_FALSE(exit_stub_address("  40000000-4fffffff : System RAM\n", 4096));
    CHECK_FALSE(exit_stub_address("00000000-00000000 : System RAM\n", 4096));
    CHECK_FALSE(exit_stub_address("40000000-4fffffff : Reserved\n", 4096));
    CHECK_FALSE(exit_stub_address("", 4096));
    CHECK_FALSE(exit_stub_address("zz-4fffffff : System RAM\n", 4096));
}

TEST_CASE("exit stub: where it is loaded on x86-64 (at or above 1 MiB)", "[zone-init][exit-stub][x86]") {
    // QEMU's PC with 256 MiB, booted through PVH.
    const std::string iomem = "00000000-00000fff : Reserved\n"
                              "00001000-0009fbff : System RAM\n"
                              "0009fc00-0009ffff : Reserved\n"
                              "000a0000-000bffff : PCI Bus 0000:00\n"
                              "000f0000-000fffff : Reserved\n"
                              "  000f0000-000fffff : System ROM\n"
                              "00100000-0ffdffff : System RAM\n"
                              "  01000000-01a00fff : Kernel code\n"
                              "fed00000-fed003ff : HPET 0\n";
    CHECK(exit_stub_address(iomem, 4096) == 0x1000u); // arm64's rule would take low memory
    CHECK(exit_stub_address(iomem, 4096, kExitStubLowestX86) == 0x100000u);
    // A range that crosses 1 MiB is used from 1 MiB on; one that ends below
    // it, or too close above it, is not.
    CHECK(exit_stub_address("00001000-7fffffff : System RAM\n", 4096, kExitStubLowestX86) == 0x100000u);
    CHECK_FALSE(exit_stub_address("00001000-000fffff : System RAM\n", 4096, kExitStubLowestX86));
    CHECK_FALSE(exit_stub_address("00001000-00100fff : System RAM\n", 4096, 0x100001));
    CHECK(exit_stub_address("00001000-0009ffff : System RAM\n00100800-001fffff : System RAM\n", 4096,
                            kExitStubLowestX86) == 0x101000u);
}

TEST_CASE("exit stub x86-64: encodings match the GNU assembler's", "[zone-init][exit-stub][x86]") {
    using V = std::vector<uint8_t>;
    CHECK(x86::mov_r32_imm32(x86::kAx, 0x40000000) == V{0xb8, 0x00, 0x00, 0x00, 0x40});
    CHECK(x86::mov_r32_imm32(x86::kAx, 0xc6000003) == V{0xb8, 0x03, 0x00, 0x00, 0xc6});
    CHECK(x86::mov_r64_imm64(x86::kDi, 0x0102030405060708) ==
          V{0x48, 0xbf, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01});
    CHECK(x86::mov_r64_imm64(x86::kSi, 2) == V{0x48, 0xbe, 2, 0, 0, 0, 0, 0, 0, 0});
    CHECK(x86::cmp_r32_imm(x86::kBx, 0x6b6c7542) == V{0x81, 0xfb, 0x42, 0x75, 0x6c, 0x6b});
    CHECK(x86::cmp_r32_imm(x86::kCx, 0x64616568) == V{0x81, 0xf9, 0x68, 0x65, 0x61, 0x64});
    CHECK(x86::cmp_r32_imm(x86::kDx, 0x20205648) == V{0x81, 0xfa, 0x48, 0x56, 0x20, 0x20});
    CHECK(x86::cmp_r32_imm(x86::kAx, 1) == V{0x83, 0xf8, 0x01});
    CHECK(x86::jcc8(x86::kNotEqual, 0x47) == V{0x75, 0x47});
    CHECK(x86::jcc8(x86::kEqual, -2) == V{0x74, 0xfe});
    CHECK(x86::jmp8(-4) == V{0xeb, 0xfc});
}

TEST_CASE("exit stub x86-64: the report is in its immediates", "[zone-init][exit-stub][x86]") {
    auto imm64 = [](const std::vector<uint8_t>& b, uint64_t off) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i) v = v << 8 | b[off + i];
        return v;
    };
    const auto w = x86::build_exit_stub({7, BH_EXIT_CODE_STATUS});
    REQUIRE(w.size() == kExitStubSize);
    CHECK(imm64(w, x86::kExitStubArguments + 2) == 7);
    CHECK(imm64(w, x86::kExitStubArguments + 12) == BH_EXIT_CODE_STATUS);
    const auto s = x86::build_exit_stub({9, BH_EXIT_CODE_SIGNAL});
    CHECK(imm64(s, x86::kExitStubArguments + 2) == 9);
    CHECK(imm64(s, x86::kExitStubArguments + 12) == BH_EXIT_CODE_SIGNAL);
    // Only those two bytes differ between the reports.
    int differing = 0;
    for (size_t i = 0; i < w.size(); ++i) differing += w[i] != s[i];
    CHECK(differing == 2);
    // After the code, int3 to the end of the page.
    for (uint64_t i = x86::kExitStubEnd; i < kExitStubSize; ++i) REQUIRE(w[i] == x86::kInt3);
}

TEST_CASE("exit stub x86-64: the listing", "[zone-init][exit-stub][x86]") {
    const auto listing = disassemble(x86::build_exit_stub({3, BH_EXIT_CODE_SIGNAL}));
    const std::string code = "0: mov $0x40000000,%eax\n"
                             "5: cpuid\n"
                             "7: cmp $0x6b6c7542,%ebx\n"
                             "d: jne 0x56\n"
                             "f: cmp $0x64616568,%ecx\n"
                             "15: jne 0x56\n"
                             "17: cmp $0x20205648,%edx\n"
                             "1d: jne 0x56\n"
                             "1f: mov $0x40000001,%eax\n"
                             "24: cpuid\n"
                             "26: movabs $0x3,%rdi\n"
                             "30: movabs $0x2,%rsi\n"
                             "3a: cmp $0x1,%eax\n"
                             "3d: je 0x4e\n"
                             "3f: cmp $0x2,%eax\n"
                             "42: jne 0x56\n"
                             "44: mov $0xc6000003,%eax\n"
                             "49: vmcall\n"
                             "4c: jmp 0x56\n"
                             "4e: mov $0xc6000003,%eax\n"
                             "53: vmmcall\n"
                             "56: mov $0xfe,%al\n"
                             "58: out %al,$0x64\n"
                             "5a: cli\n"
                             "5b: hlt\n"
                             "5c: jmp 0x5a\n"
                             "5e: int3\n";
    CHECK(listing.substr(0, code.size()) == code);
    CHECK(listing.find("fff: int3\n") != std::string::npos);
    // The function ID is BH_HC_ZONE_EXIT, which the listing spells out.
    CHECK(BH_HC_ZONE_EXIT == 0xc6000003u);
}

#if defined(__x86_64__)
namespace {
uintptr_t g_stub_base = 0;
int g_report_fd = -1;
void report_fault(int, siginfo_t*, void* context) {
    const auto* uc = static_cast<const ucontext_t*>(context);
    const uint64_t offset = static_cast<uint64_t>(uc->uc_mcontext.gregs[REG_RIP]) - g_stub_base;
    (void)!::write(g_report_fd, &offset, sizeof offset);
    ::_exit(0);
}
} // namespace

TEST_CASE("exit stub x86-64: run by this CPU at CPL 3, it finds no Bulkhead and reaches the reset",
          "[zone-init][exit-stub][x86]") {
    // In a child: the stub is entered like a function; the host's CPUID has
    // no Bulkhead signature, so it goes to the fallback, whose `out` is a
    // general protection fault at CPL 3 (SIGSEGV), where the child reports
    // the instruction's offset.
    int p[2];
    REQUIRE(::pipe(p) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(p[0]);
        g_report_fd = p[1];
        const auto stub = x86::build_exit_stub({3, BH_EXIT_CODE_STATUS});
        void* page = ::mmap(nullptr, kExitStubSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) ::_exit(2);
        std::memcpy(page, stub.data(), stub.size());
        if (::mprotect(page, kExitStubSize, PROT_READ | PROT_EXEC) != 0) ::_exit(2);
        g_stub_base = reinterpret_cast<uintptr_t>(page);
        struct sigaction sa {};
        sa.sa_sigaction = report_fault;
        sa.sa_flags = SA_SIGINFO;
        ::sigaction(SIGSEGV, &sa, nullptr);
        ::sigaction(SIGILL, &sa, nullptr);
        ::sigaction(SIGTRAP, &sa, nullptr);
        reinterpret_cast<void (*)()>(page)();
        ::_exit(3); // not reached: the stub never returns
    }
    ::close(p[1]);
    uint64_t offset = ~uint64_t{0};
    const ssize_t n = ::read(p[0], &offset, sizeof offset);
    ::close(p[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    REQUIRE(n == static_cast<ssize_t>(sizeof offset));
    CHECK(offset == x86::kExitStubFallback + 2); // out 0x64, al (after mov al, 0xfe)
}
#endif

// SPDX-License-Identifier: GPL-2.0-only
// The exit stub zone init kexecs into: what it reports, its encodings, and
// its whole listing as the cross objdump reads it.
#include "exit_stub.hpp"

#include <bulkhead/abi/hypercall.h>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ZONE_INIT_AARCH64_OBJDUMP
#error "ZONE_INIT_AARCH64_OBJDUMP must name aarch64-linux-gnu-objdump"
#endif

using namespace zone_init;

namespace {

uint64_t literal(const std::vector<uint32_t>& w, uint64_t off) {
    return uint64_t{w[off / 4]} | uint64_t{w[off / 4 + 1]} << 32;
}

// objdump's reading of the stub: "offset: mnemonic operands" per word,
// with the raw word and objdump's comments left out.
std::string disassemble(const std::vector<uint32_t>& w) {
    char path[] = "/tmp/zone-init-exit-stub-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    std::string bytes;
    for (uint32_t x : w)
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>(x >> (8 * i))); // little-endian
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
    const std::string cmd =
        std::string(ZONE_INIT_AARCH64_OBJDUMP) + " -D -b binary -m aarch64 -z --no-show-raw-insn " + path;
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
        if (auto c = insn.find("\t//"); c != std::string::npos) insn.erase(c);
        if (auto c = insn.find(" <"); c != std::string::npos) insn.erase(c);
        for (auto& ch : insn)
            if (ch == '\t') ch = ' ';
        while (!insn.empty() && insn.back() == ' ') insn.pop_back();
        std::string off = line.substr(0, colon);
        off.erase(0, off.find_first_not_of(' '));
        listing += off + ": " + insn + "\n";
    }
    return listing;
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

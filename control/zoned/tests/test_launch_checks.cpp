// SPDX-License-Identifier: GPL-2.0-only
// A launch's checks: each refusal names the zone and says what to do.
#include <bulkhead/zoned/launch_checks.hpp>

#include <bulkhead/control/fd.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

using namespace bh::zoned;
using bh::control::LaunchRequest;

namespace {

LaunchRequest request() {
    LaunchRequest r;
    r.name = "web";
    r.command = {"sh", "-c", "echo hi"};
    return r;
}

std::string problem(const LaunchRequest& r) { return launch_request_problem(r).value_or("(none)"); }

bh::control::Fd file_with(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
    return bh::control::Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

} // namespace

TEST_CASE("a well-formed request passes") { CHECK_FALSE(launch_request_problem(request())); }

TEST_CASE("vCPUs: 1 to 8") {
    LaunchRequest r = request();
    r.vcpus = 0;
    CHECK(problem(r) == "zone 'web': --vcpus must be at least 1");
    r.vcpus = 9;
    CHECK(problem(r).find("more than the 8 vCPUs") != std::string::npos);
}

TEST_CASE("memory: 16M to 64G in whole pages") {
    LaunchRequest r = request();
    r.memory = 0;
    CHECK(problem(r).find("--memory must not be 0") != std::string::npos);
    r.memory = 256;
    CHECK(problem(r).find("too little for a Linux zone: give at least 16M") != std::string::npos);
    r.memory = 65ULL << 30;
    CHECK(problem(r).find("more than the 64G") != std::string::npos);
    r.memory = (256ULL << 20) + 1;
    CHECK(problem(r).find("multiple of 4K") != std::string::npos);
}

TEST_CASE("names, workloads, environment and command line") {
    LaunchRequest r = request();
    r.name = "Web";
    CHECK(problem(r).find("zone name 'Web' contains 'W'") != std::string::npos);
    r = request();
    r.command.clear();
    CHECK(problem(r).find("zone 'web': no workload") != std::string::npos);
    r = request();
    r.env = {"1X=2"};
    CHECK(problem(r).find("--env '1X=2' is not KEY=VALUE") != std::string::npos);
    r.env = {"X"};
    CHECK(problem(r).find("--env 'X'") != std::string::npos);
    r = request();
    r.cmdline = std::string(3000, 'x');
    CHECK(problem(r).find("at most 2048 fit") != std::string::npos);
}

TEST_CASE("command line, workload and environment fit the hypervisor's 4096 bytes together") {
    LaunchRequest r = request();
    r.cmdline = std::string(2000, 'c');
    r.env = {"A=" + std::string(1990, 'a')};
    CHECK_FALSE(launch_request_problem(r));
    r.env.push_back("B=" + std::string(100, 'b'));
    CHECK(problem(r).find("zone 'web': the kernel command line, workload and environment take") != std::string::npos);
}

TEST_CASE("a kernel must carry the arm64 Image magic") {
    TempDir dir;
    std::string image(64, '\0');
    image.replace(56, 4, "ARM\x64");
    CHECK(kernel_file_problem(ZoneArch::arm64, file_with(dir.path / "Image", image).get()).empty());
    CHECK(kernel_file_problem(ZoneArch::arm64, file_with(dir.path / "text", "#!/bin/sh\necho\n").get())
              .find("not an arm64 Linux Image") != std::string::npos);
    bh::control::Fd directory(::open(dir.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    CHECK(kernel_file_problem(ZoneArch::arm64, directory.get()) == "it is not a regular file");
}

TEST_CASE("an x86-64 kernel must be an ELF vmlinux or a bzImage") {
    TempDir dir;
    std::string bz(0x300, '\0');
    bz.replace(0x202, 4, "HdrS");
    CHECK(kernel_file_problem(ZoneArch::x86_64, file_with(dir.path / "bzImage", bz).get()).empty());
    CHECK(kernel_file_problem(ZoneArch::x86_64, file_with(dir.path / "vmlinux", "\x7f"
                                                                                "ELF\2\1\1")
                                                    .get())
              .empty());
    std::string image(64, '\0');
    image.replace(56, 4, "ARM\x64");
    CHECK(kernel_file_problem(ZoneArch::x86_64, file_with(dir.path / "Image", image).get()) ==
          "it is not an x86-64 Linux kernel (neither an ELF vmlinux nor a bzImage)");
    CHECK(kernel_file_problem(ZoneArch::x86_64, file_with(dir.path / "short", bz.substr(0, 0x205)).get())
              .find("not an x86-64 Linux kernel") != std::string::npos);
    bh::control::Fd directory(::open(dir.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    CHECK(kernel_file_problem(ZoneArch::x86_64, directory.get()) == "it is not a regular file");
}

TEST_CASE("an initrd must be a readable, non-empty file") {
    TempDir dir;
    CHECK(initrd_file_problem(file_with(dir.path / "initrd", "070701").get()).empty());
    CHECK(initrd_file_problem(file_with(dir.path / "empty", "").get()) == "it is empty");
    CHECK(file_size_of(file_with(dir.path / "six", "123456").get()) == 6);
}

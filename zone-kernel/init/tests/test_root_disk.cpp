// SPDX-License-Identifier: GPL-2.0-only
// Host tests of the root disk's command-line words (root_disk.hpp).
#include "root_disk.hpp"
#include "workload.hpp"

#include <catch2/catch.hpp>

using namespace zone_init;

TEST_CASE("root disk: from the kernel command line", "[zone-init]") {
    auto w = parse_cmdline("console=hvc0 bulkhead.root=/dev/vda bulkhead.root-mode=ro -- python3 bulkhead.root=/x");
    REQUIRE(w);
    CHECK(w->root == "/dev/vda"); // the workload's own words do not count
    CHECK(w->root_mode == "ro");
    std::string error;
    auto r = root_disk_from(w->root, w->root_mode, &error);
    REQUIRE(r);
    CHECK(r->device == "/dev/vda");
    CHECK(r->read_only);
    CHECK(error.empty());

    r = root_disk_from("/dev/vdb", "", &error);
    REQUIRE(r);
    CHECK_FALSE(r->read_only); // read-write unless asked
    r = root_disk_from("/dev/vdb", "rw", &error);
    REQUIRE(r);
    CHECK_FALSE(r->read_only);
}

TEST_CASE("root disk: none asked for is no error", "[zone-init]") {
    std::string error;
    CHECK_FALSE(root_disk_from("", "", &error));
    CHECK(error.empty());
}

TEST_CASE("root disk: malformed words are refused with the reason", "[zone-init]") {
    std::string error;
    CHECK_FALSE(root_disk_from("vda", "", &error));
    CHECK(error == "bulkhead.root=vda: want a device under /dev/, like /dev/vda");
    CHECK_FALSE(root_disk_from("/dev/", "", &error));
    CHECK_FALSE(root_disk_from("/dev/../etc/passwd", "", &error));
    CHECK(error.find("want a device under /dev/") != std::string::npos);
    CHECK_FALSE(root_disk_from("/dev/vda", "readonly", &error));
    CHECK(error == "bulkhead.root-mode=readonly: want ro or rw");
    CHECK_FALSE(root_disk_from("", "ro", &error));
    CHECK(error == "bulkhead.root-mode=ro without bulkhead.root=DEVICE");
}

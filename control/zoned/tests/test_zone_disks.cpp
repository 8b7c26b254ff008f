// SPDX-License-Identifier: GPL-2.0-only
// `launch --disk`: the disks' files travel after the kernel's and
// initrd's; each is checked (whole sectors, opened as its :ro says) and
// refused with nothing changed; a disk written through is never attached
// twice, in one zone or two live ones; the zone's slots are served before
// it starts, and the record (info, a restarted zoned) keeps which files.
#include "manager_rig.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

using namespace bh::zoned;
using bh::control::DiskSpec;
using bh::control::ErrorCode;
using bh::control::Fd;
using bh::control::LaunchRequest;
using bh::control::RequestError;
using bh::control::ZoneState;

namespace {

using Rig = ManagerRig;

LaunchRequest request(const std::string& name, std::vector<DiskSpec> disks) {
    LaunchRequest r;
    r.name = name;
    r.command = {"sh", "-c", "echo hi"};
    r.disks = std::move(disks);
    return r;
}

std::vector<Fd> open_disks(const LaunchRequest& r) {
    std::vector<Fd> fds;
    for (const DiskSpec& d : r.disks) fds.emplace_back(::open(d.path.c_str(), d.read_only ? O_RDONLY : O_RDWR));
    return fds;
}

// The refusal's message (it names the zone), or "" if it launched.
std::string refusal(ZoneManager& m, const LaunchRequest& r, std::vector<Fd> fds, ErrorCode expected) {
    try {
        m.launch(r, std::move(fds));
    } catch (const RequestError& e) {
        CHECK(e.code() == expected);
        CHECK(std::string(e.what()).find("zone '" + r.name + "'") != std::string::npos);
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a zone's disks are served before it starts, and kept in its record") {
    Rig rig;
    std::string root = rig.file("root.img", 1 << 20), data = rig.file("data.img", 4096);
    LaunchRequest r = request("web", {{root, false}, {data, true}});
    {
        ZoneManager manager(rig.options, rig.hv);
        bh::control::ZoneInfo z = manager.launch(r, open_disks(r));
        CHECK(z.state == ZoneState::running);
        CHECK(rig.hv.zones_made.at(z.handle).disks == 2);
        CHECK(z.disks == r.disks);
        CHECK(manager.info("web").disks == r.disks);
    }
    // A later zoned knows them too (the record's schema holds them).
    ZoneManager again(rig.options, rig.hv);
    again.reattach();
    CHECK(again.info("web").disks == r.disks);
}

TEST_CASE("bad disks are refused with what to do, and nothing changes") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    std::string odd = rig.file("odd.img", 1000), empty = rig.file("empty.img", 0), good = rig.file("good.img", 512);

    LaunchRequest r = request("web", {{odd, false}});
    CHECK_THAT(refusal(manager, r, open_disks(r), ErrorCode::invalid_argument),
               Catch::Contains("not a whole number of 512-byte sectors") && Catch::Contains("truncate -s 1024"));
    r = request("web", {{empty, false}});
    CHECK_THAT(refusal(manager, r, open_disks(r), ErrorCode::invalid_argument), Catch::Contains("it is empty"));
    r = request("web", {{rig.dir.path.string(), true}});
    std::vector<Fd> dirs;
    dirs.emplace_back(::open(rig.dir.path.c_str(), O_RDONLY | O_DIRECTORY));
    CHECK_THAT(refusal(manager, r, std::move(dirs), ErrorCode::invalid_argument),
               Catch::Contains("neither a regular file nor a block device"));
    // Read-write, but only opened for reading: the backend could not write.
    r = request("web", {{good, false}});
    std::vector<Fd> read_only;
    read_only.emplace_back(::open(good.c_str(), O_RDONLY));
    CHECK_THAT(refusal(manager, r, std::move(read_only), ErrorCode::invalid_argument),
               Catch::Contains("not opened for writing (add :ro"));
    // A request whose files do not match its disks.
    r = request("web", {{good, false}});
    CHECK_THAT(refusal(manager, r, {}, ErrorCode::bad_request), Catch::Contains("1 file(s) but 0 open file(s)"));
    // Too many.
    r = request("web", std::vector<DiskSpec>(bh::control::kMaxDisks + 1, DiskSpec{good, true}));
    CHECK_THAT(refusal(manager, r, open_disks(r), ErrorCode::invalid_argument), Catch::Contains("at most 8"));

    CHECK(manager.list().empty());
    CHECK(rig.hv.zones_made.empty());
}

TEST_CASE("a disk written through is attached once: not twice in a zone, nor to two live zones") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    std::string img = rig.file("shared.img", 8192);

    LaunchRequest twice = request("twice", {{img, false}, {img, true}});
    CHECK_THAT(refusal(manager, twice, open_disks(twice), ErrorCode::invalid_argument), Catch::Contains("given twice"));

    LaunchRequest writer = request("writer", {{img, false}});
    manager.launch(writer, open_disks(writer));
    LaunchRequest reader = request("reader", {{img, true}});
    CHECK_THAT(refusal(manager, reader, open_disks(reader), ErrorCode::bad_state),
               Catch::Contains("zone 'writer' has it attached") && Catch::Contains("destroy zone 'writer' first"));

    // Read-only in both is fine; so is the file once its writer has ended.
    std::string base = rig.file("base.img", 8192);
    LaunchRequest a = request("a", {{base, true}}), b = request("b", {{base, true}});
    manager.launch(a, open_disks(a));
    manager.launch(b, open_disks(b));
    manager.stop("writer");
    CHECK(manager.launch(reader, open_disks(reader)).state == ZoneState::running);
}

TEST_CASE("a launch whose disks cannot be served is undone") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    rig.hv.fail_call = "serve_disks";
    LaunchRequest r = request("web", {{rig.file("d.img", 512), false}});
    CHECK_THROWS_AS(manager.launch(r, open_disks(r)), RequestError);
    CHECK(manager.list().empty());
    CHECK(rig.hv.zones_made.empty());
}

TEST_CASE("a root disk is the first disk, and the zone's init is told so") {
    Rig rig;
    std::string root = rig.file("root.img", 1 << 20), data = rig.file("data.img", 4096);
    ZoneManager manager(rig.options, rig.hv);
    LaunchRequest r = request("web", {{root, false, true}, {data, true}});
    bh::control::ZoneInfo z = manager.launch(r, open_disks(r));
    CHECK(z.disks == r.disks);
    CHECK(rig.hv.zones_made.at(z.handle).bootargs == "console=hvc0 bulkhead.root=/dev/vda");
    CHECK(manager.info("web").disks.front().root);

    r = request("ro", {{data, true, true}});
    r.cmdline = "console=ttyAMA0 quiet -- ignored";
    z = manager.launch(r, open_disks(r));
    CHECK(rig.hv.zones_made.at(z.handle).bootargs ==
          "console=ttyAMA0 quiet bulkhead.root=/dev/vda bulkhead.root-mode=ro -- ignored");

    // Anywhere but first: refused, nothing launched.
    r = request("late", {{data, true}, {root, false, true}});
    CHECK_THAT(refusal(manager, r, open_disks(r), ErrorCode::invalid_argument),
               Catch::Contains("only the first disk can be the root disk"));
    CHECK_FALSE(manager.exists("late"));
}

TEST_CASE("the root disk's words go before the command line's --") {
    const RootDisk rw{false}, ro{true};
    CHECK(zone_bootargs("", "console=hvc0", std::nullopt) == "console=hvc0");
    CHECK(zone_bootargs("quiet", "console=hvc0", std::nullopt) == "quiet");
    CHECK(zone_bootargs("", "", rw) == "bulkhead.root=/dev/vda");
    CHECK(zone_bootargs("a --b -- c", "", rw) == "a --b bulkhead.root=/dev/vda -- c");
    CHECK(zone_bootargs("--", "", ro) == "bulkhead.root=/dev/vda bulkhead.root-mode=ro --");
    CHECK(zone_bootargs("x \"y -- z\" w", "", rw) == "x \"y -- z\" w bulkhead.root=/dev/vda");
    CHECK(zone_bootargs("a --", "", rw) == "a bulkhead.root=/dev/vda --");
}

// SPDX-License-Identifier: GPL-2.0-only
// The protocol round trip: every message type through JSON and the line
// framing and back, and malformed messages refused with the field named.
#include <catch2/catch.hpp>

#include <bulkhead/control/base64.hpp>
#include <bulkhead/control/message_stream.hpp>
#include <bulkhead/control/protocol.hpp>

using namespace bh::control;

namespace {

json through_the_wire(const json& message) {
    MessageReader reader;
    std::string wire = frame(message);
    REQUIRE(wire.back() == '\n');
    REQUIRE(std::count(wire.begin(), wire.end(), '\n') == 1); // one message, one line
    // Arrives in pieces, as a stream socket may deliver it.
    for (std::size_t i = 0; i < wire.size(); i += 7) reader.feed(std::string_view(wire).substr(i, 7));
    auto out = reader.next();
    REQUIRE(out.has_value());
    CHECK_FALSE(reader.next().has_value());
    return *out;
}

ZoneInfo sample_zone() {
    ZoneInfo z;
    z.name = "web";
    z.handle = 0x10003;
    z.state = ZoneState::exited;
    z.vcpus = 2;
    z.memory = 512ULL << 20;
    z.kernel = "/usr/share/bulkhead/zone/Image";
    z.initrd = "/tmp/init\nrd.cpio";
    z.cmdline = "console=hvc0 quiet";
    z.command = {"/bin/sh", "-c", "echo \"hi\"; exit 3"};
    z.env = {"A=1", "B=two words"};
    z.created_at = 1700000000;
    z.started_at = 1700000001;
    z.ended_at = 1700000002;
    z.exit = ExitInfo{ExitReason::workload, 3, 3};
    z.backend = BackendInfo{4242, 4000001, 2, "done"};
    return z;
}

} // namespace

TEST_CASE("protocol: a zone's info round-trips", "[common][protocol]") {
    ZoneInfo z = sample_zone();
    ZoneInfo back = zone_info_from(through_the_wire(json(z)));
    CHECK(back.name == z.name);
    CHECK(back.handle == z.handle);
    CHECK(back.state == z.state);
    CHECK(back.vcpus == z.vcpus);
    CHECK(back.memory == z.memory);
    CHECK(back.kernel == z.kernel);
    CHECK(back.initrd == z.initrd);
    CHECK(back.cmdline == z.cmdline);
    CHECK(back.command == z.command);
    CHECK(back.env == z.env);
    CHECK(back.created_at == z.created_at);
    CHECK(back.ended_at == z.ended_at);
    REQUIRE(back.exit.has_value());
    CHECK(back.exit->reason == ExitReason::workload);
    CHECK(back.exit->status == 3);
    CHECK(back.backend.pid == 4242);
    CHECK(back.backend.uid == 4000001);
    CHECK(back.backend.restarts == 2);
    CHECK(back.backend.state == "done");
    CHECK(back.disks.empty());
    z.disks = {{"/d/root.img", false}};
    CHECK(zone_info_from(through_the_wire(json(z))).disks == z.disks);

    z.exit.reset();
    z.state = ZoneState::running;
    json j = through_the_wire(json(z));
    CHECK(j["exit_status"].is_null());
    CHECK_FALSE(zone_info_from(j).exit.has_value());
}

TEST_CASE("protocol: launch requests and host info round-trip", "[common][protocol]") {
    LaunchRequest r;
    r.name = "a";
    r.vcpus = 4;
    r.memory = 1ULL << 30;
    r.kernel = "/k/Image";
    r.cmdline = "quiet";
    r.env = {"X=1"};
    r.command = {"sleep", "10"};
    json req = make_request("launch");
    req.update(json(r));
    json wire = through_the_wire(req);
    CHECK(wire["v"] == kProtocolVersion);
    CHECK(wire["op"] == "launch");
    LaunchRequest back = launch_request_from(wire);
    CHECK(back.name == "a");
    CHECK(back.vcpus == 4);
    CHECK(back.memory == 1ULL << 30);
    CHECK(back.kernel == "/k/Image");
    CHECK_FALSE(back.initrd.has_value());
    CHECK(back.cmdline == "quiet");
    CHECK(back.env == r.env);
    CHECK(back.command == r.command);
    CHECK(back.disks.empty()); // none given: the field is left out, as an older zonectl sends it

    r.disks = {{"/d/root.img", false, true}, {"/d/base.img", true}};
    json with_disks = make_request("launch");
    with_disks.update(json(r));
    CHECK(launch_request_from(through_the_wire(with_disks)).disks == r.disks);
    json bad = json(r);
    bad["disks"] = json::array({{{"path", "/d"}, {"read_only", "yes"}}});
    CHECK_THROWS_WITH(launch_request_from(bad), Catch::Contains("'read_only'"));
    bad["disks"] = json::array({{{"path", "/d"}, {"read_only", false}, {"root", 1}}});
    CHECK_THROWS_WITH(launch_request_from(bad), Catch::Contains("'root' must be true or false"));
    // A disk from a zonectl that predates --root is not the root.
    bad["disks"] = json::array({{{"path", "/d"}, {"read_only", false}}});
    CHECK_FALSE(launch_request_from(bad).disks.at(0).root);
    bad["disks"] = "/d";
    CHECK_THROWS_WITH(launch_request_from(bad), Catch::Contains("'disks' must be a list"));

    HostInfo h{4, 3ULL << 30, 4ULL << 30, 2, 1};
    HostInfo hb = host_info_from(through_the_wire(json(h)));
    CHECK(hb.cpus == 4);
    CHECK(hb.free_memory == 3ULL << 30);
    CHECK(hb.total_memory == 4ULL << 30);
    CHECK(hb.zones == 2);
    CHECK(hb.zones_running == 1);
}

TEST_CASE("protocol: replies, errors and stream messages", "[common][protocol]") {
    json ok = through_the_wire(ok_reply(json{{"zones", json::array()}}));
    CHECK(check_reply(ok)["zones"].is_array());

    json err = through_the_wire(error_reply(ErrorCode::not_found, "zone 'x' does not exist"));
    try {
        check_reply(err);
        FAIL("an error reply must throw");
    } catch (const RequestError& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK(std::string(e.what()) == "zone 'x' does not exist");
    }

    std::string binary("\x00\x1d\xff\n\r\x7f", 6);
    json out = through_the_wire(stream_output(binary));
    CHECK(out["stream"] == "output");
    CHECK(base64_decode(out["data"].get<std::string>()) == binary);
    CHECK(through_the_wire(stream_input("ls\n"))["stream"] == "input");
    CHECK(through_the_wire(stream_detach())["stream"] == "detach");
    json end = through_the_wire(stream_end(sample_zone()));
    CHECK(zone_info_from(end["zone"]).exit->status == 3);
    CHECK(through_the_wire(stream_end(std::nullopt))["zone"].is_null());
}

TEST_CASE("protocol: malformed messages name what is wrong", "[common][protocol]") {
    json req = make_request("launch");
    req["name"] = "a";
    req["vcpus"] = 1;
    req["memory"] = 1;
    req["env"] = json::array();
    CHECK_THROWS_WITH(launch_request_from(req), "field 'command' is missing");
    req["command"] = "not a list";
    CHECK_THROWS_WITH(launch_request_from(req), "field 'command' must be a list of strings");
    req["command"] = {"x"};
    req["vcpus"] = -1;
    CHECK_THROWS_WITH(launch_request_from(req), "field 'vcpus' must be a non-negative integer");
    req["vcpus"] = 1;
    req["kernel"] = 7;
    CHECK_THROWS_WITH(launch_request_from(req), "field 'kernel' must be a string");
    CHECK_THROWS_AS(check_reply(json{{"ok", "yes"}}), ProtocolError);
    CHECK_THROWS_AS(field(json::array(), "x"), ProtocolError);
    // An error code from a newer zoned reads as internal, the message intact.
    try {
        check_reply(json{{"ok", false}, {"error", {{"code", "frobnicated"}, {"message", "m"}}}});
    } catch (const RequestError& e) {
        CHECK(e.code() == ErrorCode::internal);
    }
}

TEST_CASE("protocol: the line reader", "[common][protocol]") {
    MessageReader reader;
    reader.feed("{\"a\":1}\n\n  \n{\"b\":");
    CHECK(reader.next() == json{{"a", 1}});
    CHECK_FALSE(reader.next().has_value()); // blank lines skipped, the rest incomplete
    CHECK(reader.has_partial());
    reader.feed("2}\nnot json\n");
    CHECK(reader.next() == json{{"b", 2}});
    CHECK_THROWS_AS(reader.next(), ProtocolError);

    MessageReader big;
    std::string chunk(64 * 1024, 'x');
    CHECK_THROWS_AS(
        [&] {
            for (int i = 0; i < 20; ++i) big.feed(chunk); // 1.25 MiB without a newline
        }(),
        ProtocolError);

    // Odd bytes in strings do not stop a message from being framed.
    std::string odd = frame(json{{"path", std::string("\xff\xfe", 2)}});
    CHECK(odd.back() == '\n');
}

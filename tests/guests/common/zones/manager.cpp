// SPDX-License-Identifier: GPL-2.0-only
// Zone lifecycle through the management hypercalls, from a privileged zone:
// create, load, start, watch exit, destroy, and rebuild on the same frames,
// which must come back scrubbed. The two children's images are embedded in
// this zone's own image (manager_children.S).
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>
#include <guest/zone_admin.hpp>

extern "C" {
extern char child_pattern_start[], child_pattern_end[];
extern char child_zerocheck_start[], child_zerocheck_end[];
}

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u64 kChildMemory = 4u << 20;
constexpr u64 kChildTimeoutMs = 10000;

struct Child {
    u64 handle = 0;
    u64 first_frame = 0;
};

// Creates, loads and starts a child. A failed ZONE_CREATE ends the test at
// once: nothing after it could mean anything.
Child launch(const char* name, u64 name_len, const char* image, const char* image_end) {
    SmcccResult c = hc::zone_create(name, name_len, kChildMemory, 1);
    if (c.status != BH_OK) test::fail("ZONE_CREATE %s returned %lld", name, static_cast<long long>(c.status));
    Child child{c.r1, 0};
    hc::ZoneStatus s = hc::zone_status(child.handle);
    BH_EXPECT_EQ(s.status, BH_OK);
    BH_EXPECT_EQ(s.state, u64(BH_ZONE_CREATED));
    child.first_frame = s.first_frame;
    u64 len = static_cast<u64>(image_end - image);
    BH_EXPECT_EQ(hc::zone_load(child.handle, kRamBase, image, len), BH_OK);
    BH_EXPECT_EQ(hc::zone_set_entry(child.handle, 0, kRamBase, 0), BH_OK);
    BH_EXPECT_EQ(hc::zone_start(child.handle), BH_OK);
    print("%s: handle 0x%llx, first frame at host 0x%llx, %llu-byte image, started\n", name,
          static_cast<ull>(child.handle), static_cast<ull>(child.first_frame), static_cast<ull>(len));
    return child;
}

void expect_clean_exit(const char* name, const Child& child) {
    hc::ZoneStatus s = admin::wait_until_ended(child.handle, kChildTimeoutMs);
    print("%s ended: state %s, reason %llu, code %llu\n", name, admin::state_name(s.state),
          static_cast<ull>(s.exit_reason), static_cast<ull>(s.exit_code));
    BH_EXPECT_EQ(s.status, BH_OK);
    BH_EXPECT_EQ(s.state, u64(BH_ZONE_EXITED));
    BH_EXPECT_EQ(s.exit_reason, u64(BH_EXIT_CALL));
    BH_EXPECT_EQ(s.exit_code, 0ull);
}

void destroy(const char* name, const Child& child) {
    BH_EXPECT_EQ(admin::destroy_retrying(child.handle, kChildTimeoutMs), BH_OK);
    BH_EXPECT_EQ(hc::zone_status(child.handle).status, BH_ERR_NOT_FOUND);
    print("%s destroyed; its handle is stale\n", name);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("management");
    if (!hc::in_zone()) test::skip("needs the hypervisor");

    Child a = launch("child-a", 7, child_pattern_start, child_pattern_end);
    expect_clean_exit("child-a", a);
    // Ended zones cannot be reloaded or restarted, but stopping one is harmless.
    BH_EXPECT_EQ(hc::zone_load(a.handle, kRamBase, child_pattern_start, 16), BH_ERR_BAD_STATE);
    BH_EXPECT_EQ(hc::zone_start(a.handle), BH_ERR_BAD_STATE);
    BH_EXPECT_EQ(hc::zone_stop(a.handle), BH_OK);
    destroy("child-a", a);

    Child b = launch("child-b", 7, child_zerocheck_start, child_zerocheck_end);
    test::check(b.first_frame == a.first_frame, "child-b got first frame 0x%llx, child-a had 0x%llx",
                static_cast<ull>(b.first_frame), static_cast<ull>(a.first_frame));
    expect_clean_exit("child-b", b);
    destroy("child-b", b);
    test::finish();
}

// SPDX-License-Identifier: GPL-2.0-only
// The control-domain driver's UAPI header (drivers/linux/bulkhead/include/
// uapi/bulkhead.h) as user space sees it from C++. Its ABI is the ioctl
// numbers, which encode their argument's size, and the I/O fd's records:
// both are pinned here at compile time, with the constants the header
// shares with the hypervisor's ABI. linux_uapi_c.c compiles it as C.
#include <bulkhead.h>

#include <cstddef>
#include <iterator>

#include <bulkhead/abi/hypercall.h>
#include <bulkhead/ioreq.hpp>
#include <catch2/catch.hpp>

namespace {

struct Ioctl {
    unsigned long cmd;
    unsigned size; // the argument's size in bytes: fixed ABI
};

// /dev/bulkhead, then the zone fd's hypercall wrappers (numbered as the
// hypercall), then the zone fd's own.
constexpr Ioctl kIoctls[] = {
    {BULKHEAD_HOST_INFO, 24},      {BULKHEAD_ZONE_CREATE, 56},     {BULKHEAD_ZONE_OPEN, 16},
    {BULKHEAD_ZONE_LIST, 16},      {BULKHEAD_ZONE_INFO, 72},       {BULKHEAD_ZONE_LOAD, 24},
    {BULKHEAD_ZONE_SET_ENTRY, 24}, {BULKHEAD_ZONE_START, 0},       {BULKHEAD_ZONE_STOP, 0},
    {BULKHEAD_ZONE_STATUS, 24},    {BULKHEAD_ZONE_SERVE, 4},       {BULKHEAD_ZONE_IRQ, 4},
    {BULKHEAD_ZONE_MAP, 16},       {BULKHEAD_ZONE_UNMAP, 0},       {BULKHEAD_ZONE_PAUSE, 0},
    {BULKHEAD_ZONE_RESUME, 0},     {BULKHEAD_ZONE_BOOT_LINUX, 16}, {BULKHEAD_ZONE_IOREQ_FD, 0},
    {BULKHEAD_ZONE_IOEVENTFD, 16}, {BULKHEAD_ZONE_IRQFD, 16},      {BULKHEAD_ZONE_SET_KEEP, 4},
};

constexpr bool ioctls_encode_their_sizes() {
    for (const Ioctl& i : kIoctls)
        if (_IOC_TYPE(i.cmd) != BULKHEAD_IOCTL_MAGIC || _IOC_SIZE(i.cmd) != i.size ||
            (_IOC_DIR(i.cmd) == _IOC_NONE) != (i.size == 0))
            return false;
    return true;
}

constexpr bool ioctl_numbers_distinct() {
    for (const Ioctl& a : kIoctls)
        for (const Ioctl& b : kIoctls)
            if (&a != &b && _IOC_NR(a.cmd) == _IOC_NR(b.cmd)) return false;
    return true;
}

} // namespace

static_assert(ioctls_encode_their_sizes());
static_assert(ioctl_numbers_distinct());
static_assert(_IOC_NR(BULKHEAD_ZONE_LOAD) == (BH_HC_ZONE_LOAD & 0xff));
static_assert(_IOC_NR(BULKHEAD_ZONE_BOOT_LINUX) == (BH_HC_ZONE_BOOT_LINUX & 0xff));
// Out parameters must be copied back by the kernel.
static_assert((_IOC_DIR(BULKHEAD_ZONE_CREATE) & _IOC_READ) && (_IOC_DIR(BULKHEAD_ZONE_LIST) & _IOC_READ));

// The structs the ioctls carry are the sizes their numbers say...
static_assert(sizeof(bulkhead_zone_create) == _IOC_SIZE(BULKHEAD_ZONE_CREATE) &&
              offsetof(bulkhead_zone_create, handle) == 48);
static_assert(sizeof(bulkhead_zone_info) == _IOC_SIZE(BULKHEAD_ZONE_INFO) &&
              offsetof(bulkhead_zone_info, end_code) == 64);
static_assert(sizeof(bulkhead_zone_load) == _IOC_SIZE(BULKHEAD_ZONE_LOAD));
static_assert(sizeof(bulkhead_ioeventfd) == _IOC_SIZE(BULKHEAD_ZONE_IOEVENTFD));
// ...and the I/O fd's records, which no ioctl number pins.
static_assert(sizeof(bulkhead_ioreq) == 40 && offsetof(bulkhead_ioreq, dir) == 32);
static_assert(sizeof(bulkhead_ioreq_completion) == 16);

// The same meaning on both sides of the driver.
static_assert(BULKHEAD_NAME_MAX == BH_ZONE_NAME_MAX && sizeof(bulkhead_zone_create::name) == BH_ZONE_NAME_MAX + 1);
static_assert(BULKHEAD_IOREQ_POSTED == bh::kIoreqPosted);
static_assert(BULKHEAD_IOREQ_READ == IOREQ_READ && BULKHEAD_IOREQ_WRITE == IOREQ_WRITE);

extern "C" int bulkhead_uapi_c_sizes_ok(void);

TEST_CASE("linux uapi: the ioctl table holds every ioctl once", "[linux-uapi]") {
    // The static_asserts above did the work; this records that they ran
    // over all 21 ioctls (4 of /dev/bulkhead, 17 of a zone fd).
    CHECK(std::size(kIoctls) == 21);
}

TEST_CASE("linux uapi: the header compiles as C with the same layouts", "[linux-uapi]") {
    CHECK(bulkhead_uapi_c_sizes_ok() == 1);
}

// SPDX-License-Identifier: GPL-2.0-only
// The control domain's device tree (arch/aarch64/control_domain_fdt.cpp),
// derived from a host device tree shaped like QEMU virt's: padded to
// 1 MiB, with a memory reservation, devices the control domain must not
// see, and the virtio-mmio transports it owns.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <bulkhead/zone.hpp>

#include "control_domain_fdt.hpp"
#include "fdt_builder.hpp"
#include "sizes.hpp"

extern "C" {
#include <libfdt.h>
}

using namespace bh;
using bh::test::FdtBuilder;
using bh::test::MiB;

namespace {

constexpr u32 kGicPhandle = 0x8001;

// A QEMU virt-like host DTB: 4 CPUs, 1 GiB at 0x40000000, the GIC with an
// ITS, PSCI over SMC, PL011, fw-cfg, PCIe, flash, two virtio transports.
std::vector<u8> host_dtb() {
    FdtBuilder f;
    f.u32("#address-cells", 2).u32("#size-cells", 2).u32("interrupt-parent", kGicPhandle);
    f.str("compatible", "linux,dummy-virt");
    static const char psci[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
    f.node("psci").bytes("compatible", psci, sizeof psci).str("method", "smc").end();
    f.node("memory@40000000").str("device_type", "memory").cells("reg", {0, 0x40000000, 0, 0x40000000}).end();
    f.node("cpus").u32("#address-cells", 1).u32("#size-cells", 0);
    for (u32 i = 0; i < 4; ++i)
        f.node("cpu@" + std::to_string(i)).str("device_type", "cpu").u32("reg", i).str("enable-method", "psci").end();
    f.end();
    f.node("intc@8000000")
        .str("compatible", "arm,gic-v3")
        .cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000});
    f.cells("interrupts", {1, 9, 4}).u32("phandle", kGicPhandle).u32("#redistributor-regions", 1);
    f.node("its@8080000").str("compatible", "arm,gic-v3-its").cells("reg", {0, 0x08080000, 0, 0x20000}).end();
    f.end();
    f.node("timer").str("compatible", "arm,armv8-timer").cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4});
    f.end();
    f.node("apb-pclk").str("compatible", "fixed-clock").u32("#clock-cells", 0).u32("phandle", 0x8000).end();
    static const char pl011[] = "arm,pl011\0arm,primecell";
    f.node("pl011@9000000").bytes("compatible", pl011, sizeof pl011).cells("reg", {0, 0x09000000, 0, 0x1000});
    f.cells("interrupts", {0, 1, 4}).end();
    static const char pl031[] = "arm,pl031\0arm,primecell";
    f.node("pl031@9010000").bytes("compatible", pl031, sizeof pl031).cells("reg", {0, 0x09010000, 0, 0x1000});
    f.cells("interrupts", {0, 2, 1}).end(); // an edge the emulated PL031 does not raise
    f.node("pl031@9030000").bytes("compatible", pl031, sizeof pl031).cells("reg", {0, 0x09030000, 0, 0x1000});
    f.cells("interrupts", {0, 9, 4}).end();
    f.node("fw-cfg@9020000").str("compatible", "qemu,fw-cfg-mmio").cells("reg", {0, 0x09020000, 0, 0x18}).end();
    f.node("pcie@10000000").str("compatible", "pci-host-ecam-generic").end();
    f.node("flash@0").str("compatible", "cfi-flash").end();
    f.node("pmu").str("compatible", "arm,armv8-pmuv3").end();
    for (u32 i = 0; i < 2; ++i) {
        u32 base = 0x0a000000 + i * 0x200;
        char name[32];
        std::snprintf(name, sizeof name, "virtio_mmio@%x", base);
        f.node(name).str("compatible", "virtio,mmio").cells("reg", {0, base, 0, 0x200});
        f.cells("interrupts", {0, 16 + i, 1}).flag("dma-coherent").end();
    }
    f.node("chosen").str("bootargs", "the host's").u64("linux,initrd-start", 0x48000000).end();
    std::vector<u8> blob = f.finish();
    // QEMU pads its DTB to 1 MiB; and a reservation the zone must not keep.
    std::vector<u8> padded(1 * MiB);
    REQUIRE(fdt_open_into(blob.data(), padded.data(), static_cast<int>(padded.size())) == 0);
    REQUIRE(fdt_add_mem_rsv(padded.data(), 0x40000000, 0x200000) == 0);
    REQUIRE(fdt_totalsize(padded.data()) == 1 * MiB);
    return padded;
}

struct Derived {
    std::unique_ptr<Zone> zone = std::make_unique<Zone>();
    LinuxBoot linux_boot;
    std::vector<u8> dtb = std::vector<u8>(64 * 1024);
    u64 size = 0;
};

const char kBootargs[] = "console=ttyAMA0 quiet";
const char kCommand[] = "/bin/sh";

std::unique_ptr<Derived> derive(const std::vector<u8>& host, u64 buffer = 64 * 1024) {
    auto d = std::make_unique<Derived>();
    Zone& z = *d->zone;
    std::strcpy(z.name, "cdom");
    z.ram = {GuestPhys(0x48a00000), 256 * MiB};
    z.vcpu_count = 2;
    z.control_domain = true;
    d->linux_boot.bootargs = {reinterpret_cast<const u8*>(kBootargs), sizeof kBootargs};
    d->linux_boot.command = {reinterpret_cast<const u8*>(kCommand), sizeof kCommand};
    aarch64::ZoneFdtInputs in{GuestPhys(0x58000000), 0x1000, &d->linux_boot};
    d->dtb.resize(buffer);
    d->size = aarch64::build_control_domain_fdt(z, in, host.data(), d->dtb.data(), buffer);
    return d;
}

std::vector<u32> cells(const void* fdt, const char* path, const char* prop) {
    int node = fdt_path_offset(fdt, path);
    REQUIRE(node >= 0);
    int len = 0;
    const fdt32_t* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, prop, &len));
    std::vector<u32> out;
    for (int i = 0; p && i < len / 4; ++i) out.push_back(fdt32_ld(&p[i]));
    return out;
}

std::string str(const void* fdt, const char* path, const char* prop) {
    int node = fdt_path_offset(fdt, path);
    REQUIRE(node >= 0);
    const char* p = static_cast<const char*>(fdt_getprop(fdt, node, prop, nullptr));
    return p ? p : "(absent)";
}

bool exists(const void* fdt, const char* path) { return fdt_path_offset(fdt, path) >= 0; }

} // namespace

TEST_CASE("control-domain DT: derived from a padded host DT", "[control-domain][fdt]") {
    auto host = host_dtb();
    auto d = derive(host);
    REQUIRE(d->size > 0);
    const void* fdt = d->dtb.data();
    REQUIRE(fdt_check_header(fdt) == 0);
    CHECK(fdt_totalsize(fdt) == d->size);
    CHECK(d->size < 64 * 1024); // packed: the host's padding is gone
    CHECK(fdt_num_mem_rsv(fdt) == 0);

    SECTION("only what the control domain has") {
        for (const char* gone : {"/memory@40000000", "/fw-cfg@9020000", "/pcie@10000000", "/flash@0", "/pmu",
                                 "/intc@8000000/its@8080000", "/cpus/cpu@2", "/cpus/cpu@3", "/pl031@9030000"})
            CHECK_FALSE(exists(fdt, gone));
        for (const char* kept : {"/psci", "/timer", "/apb-pclk", "/pl011@9000000", "/pl031@9010000",
                                 "/virtio_mmio@a000000", "/virtio_mmio@a000200", "/cpus/cpu@0", "/cpus/cpu@1"})
            CHECK(exists(fdt, kept));
    }
    SECTION("memory: its RAM only") {
        CHECK(str(fdt, "/memory@48a00000", "device_type") == "memory");
        CHECK(cells(fdt, "/memory@48a00000", "reg") == std::vector<u32>{0, 0x48a00000, 0, 256 * MiB});
    }
    SECTION("the virtual GIC, PSCI over HVC") {
        CHECK(cells(fdt, "/intc@8000000", "reg") ==
              std::vector<u32>{0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 2 * 0x20000});
        CHECK(cells(fdt, "/intc@8000000", "interrupts").empty()); // the maintenance interrupt is not its
        CHECK(cells(fdt, "/intc@8000000", "phandle") == std::vector<u32>{kGicPhandle});
        CHECK(cells(fdt, "/", "interrupt-parent") == std::vector<u32>{kGicPhandle});
        CHECK(str(fdt, "/psci", "method") == "hvc");
    }
    SECTION("its devices as the host describes them") {
        CHECK(cells(fdt, "/virtio_mmio@a000200", "interrupts") == std::vector<u32>{0, 17, 1});
        CHECK(cells(fdt, "/virtio_mmio@a000200", "reg") == std::vector<u32>{0, 0x0a000200, 0, 0x200});
    }
    SECTION("the RTC: the zone's emulated PL031 at the host's address, its level line") {
        CHECK(cells(fdt, "/pl031@9010000", "reg") == std::vector<u32>{0, 0x09010000, 0, 0x1000});
        CHECK(cells(fdt, "/pl031@9010000", "interrupts") == std::vector<u32>{0, 2, 4});
    }
    SECTION("the bulkhead node: the event line") {
        CHECK(str(fdt, "/bulkhead", "compatible") == "bulkhead,control-v1");
        CHECK(cells(fdt, "/bulkhead", "interrupts") == std::vector<u32>{0, 63, 1});
    }
    SECTION("chosen: the manifest's, not the host's") {
        CHECK(str(fdt, "/chosen", "bootargs") == kBootargs);
        CHECK(str(fdt, "/chosen", "stdout-path") == "/pl011@9000000");
        CHECK(cells(fdt, "/chosen", "linux,initrd-start") == std::vector<u32>{0, 0x58000000});
        CHECK(cells(fdt, "/chosen", "linux,initrd-end") == std::vector<u32>{0, 0x58001000});
        CHECK(str(fdt, "/chosen/bulkhead,workload", "zone-name") == "cdom");
        CHECK(str(fdt, "/chosen/bulkhead,workload", "command") == kCommand);
    }
}

TEST_CASE("control-domain DT: no room, no tree", "[control-domain][fdt]") {
    auto host = host_dtb();
    auto d = derive(host, 512);
    CHECK(d->size == 0);
}

TEST_CASE("control-domain DT: not a device tree", "[control-domain][fdt]") {
    std::vector<u8> junk(4096, 0x5a);
    auto d = derive(junk);
    CHECK(d->size == 0);
}

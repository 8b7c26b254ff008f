# SPDX-License-Identifier: GPL-2.0-only
# The x86-64 test zones. Sources under zones/ are x86's; ${C}/ are the
# zones both architectures build (tests/guests/common/zones: hypercalls,
# console, clock only).
set(Z ${CMAKE_CURRENT_SOURCE_DIR}/zones)
set(C ${BH_COMMON_GUESTS}/zones)

# two-zones
bh_guest(lines-alpha SOURCES ${C}/two_zones.cpp DEFINITIONS ZONE_TAG="alpha")
bh_guest(lines-beta SOURCES ${C}/two_zones.cpp DEFINITIONS ZONE_TAG="beta")

# isolation
bh_guest(victim SOURCES ${Z}/victim.cpp)
bh_guest(intruder SOURCES ${Z}/intruder.cpp)
bh_guest(reader-hv SOURCES ${Z}/reader_hv.cpp)
bh_guest(writer-zone SOURCES ${Z}/writer_zone.cpp)
bh_guest(ports-msrs SOURCES ${Z}/ports_msrs.cpp)
bh_guest(i8042-reset SOURCES ${Z}/i8042_reset.cpp)
bh_guest(acpi-poweroff SOURCES ${Z}/acpi_poweroff.cpp)

# management: the manager (arm64 source) embeds its children's flat images
bh_guest(pattern SOURCES ${Z}/pattern.cpp)
bh_guest(zerocheck SOURCES ${Z}/zerocheck.cpp)
bh_guest(plain SOURCES ${C}/plain.cpp)
bh_guest(manager SOURCES ${C}/manager.cpp ${C}/manager_children.S
  DEFINITIONS PATTERN_BIN="${BH_GUEST_DIR}/pattern.bin" ZEROCHECK_BIN="${BH_GUEST_DIR}/zerocheck.bin")
add_dependencies(guest-manager guest-pattern guest-zerocheck)
set_source_files_properties(${C}/manager_children.S PROPERTIES
  OBJECT_DEPENDS "${BH_GUEST_DIR}/pattern.elf;${BH_GUEST_DIR}/zerocheck.elf")

# forwarded I/O: the server embeds the zone it serves
bh_guest(io-client SOURCES ${C}/io_client.cpp ${Z}/io_forward_arch.cpp)
bh_guest(io-server SOURCES ${C}/io_server.cpp ${C}/io_server_child.S ${Z}/io_forward_arch.cpp
  DEFINITIONS IO_CLIENT_BIN="${BH_GUEST_DIR}/io-client.bin")
add_dependencies(guest-io-server guest-io-client)
set_source_files_properties(${C}/io_server_child.S PROPERTIES OBJECT_DEPENDS "${BH_GUEST_DIR}/io-client.elf")

# Linux zones launched at run time (tests/scenarios/linux/x86_64/linux-launch.dts)
bh_guest(linux-launcher SOURCES ${Z}/linux_launcher.cpp)

# a console flood, and huge zones made, beside a zone counting its timer
# interrupts
bh_guest(ticker SOURCES ${C}/ticker.cpp DEFINITIONS TICKER_TEST="console-flood")
bh_guest(chatty SOURCES ${C}/chatty.cpp DEFINITIONS CHATTY_MIN_BYTES=0)
bh_guest(mgmt-ticker SOURCES ${C}/ticker.cpp DEFINITIONS TICKER_TEST="management-stall")
bh_guest(big-manager SOURCES ${C}/big_manager.cpp)

# destroy racing vCPU starts: the manager embeds the hammering child
bh_guest(hammer SOURCES ${C}/hammer.cpp)
bh_guest(destroy-race SOURCES ${C}/destroy_race.cpp ${C}/destroy_race_child.S
  DEFINITIONS HAMMER_BIN="${BH_GUEST_DIR}/hammer.bin")
add_dependencies(guest-destroy-race guest-hammer)
set_source_files_properties(${C}/destroy_race_child.S PROPERTIES OBJECT_DEPENDS "${BH_GUEST_DIR}/hammer.elf")

# two vCPUs: BH_HC_VCPU_ON, IPIs, the local APIC timer
bh_guest(smp SOURCES ${Z}/smp.cpp)
bh_guest(sipi SOURCES ${Z}/sipi.cpp ${Z}/sipi_trampoline.S LINK_BASE 0x100000)

# the local APIC page: MMIO instruction emulation and what it refuses
bh_guest(apic-mmio SOURCES ${Z}/apic_mmio.cpp ${Z}/apic_mmio_insns.S)

# hypercall errors, preemption
bh_guest(hc-unknown SOURCES ${C}/hc_unknown.cpp)
bh_guest(hc-arguments SOURCES ${C}/hc_arguments.cpp)
bh_guest(hc-fuzz SOURCES ${C}/hc_fuzz.cpp)
bh_guest(spinner SOURCES ${C}/spinner.cpp)
bh_guest(hang SOURCES ${C}/hang.cpp)
bh_guest(console-rx SOURCES ${Z}/console_rx.cpp)
bh_guest(timer-storm SOURCES ${Z}/timer_storm.cpp)
bh_guest(masked-interrupts SOURCES ${Z}/masked_interrupts.cpp)
bh_guest(apic-fuzz SOURCES ${Z}/apic_fuzz.cpp)
bh_guest(worker SOURCES ${C}/worker.cpp)

# benchmarks
bh_guest(bench SOURCES ${Z}/bench.cpp)
bh_guest(bench-switch SOURCES ${C}/bench_switch.cpp)

# make demo (BULKHEAD_DEMO_ARCH=x86_64)
bh_guest(demo-alpha SOURCES ${C}/demo_alpha.cpp)
bh_guest(demo-mallory SOURCES ${Z}/demo_mallory.cpp)

# security: what a zone (or its CPL-3 code) must not reach
bh_guest(hypercall-cpl SOURCES ${Z}/hypercall_cpl.cpp)
bh_guest(cr8 SOURCES ${Z}/cr8.cpp)
bh_guest(cr8-ticker SOURCES ${Z}/cr8_ticker.cpp)
bh_guest(state-crossing-a SOURCES ${Z}/state_crossing.cpp DEFINITIONS ZONE_TAG="a")
bh_guest(state-crossing-b SOURCES ${Z}/state_crossing.cpp DEFINITIONS ZONE_TAG="b")
bh_guest(rdpmc SOURCES ${Z}/rdpmc.cpp)

# world switches on CPU 0 while CPU 1 restores FPU state (the emulator's
# multi-threaded TCG must not be in use for SVM: docs/architecture.md)
bh_guest(world-switcher SOURCES ${Z}/world_switcher.cpp)
bh_guest(fxrstor-storm SOURCES ${Z}/fxrstor_storm.cpp)

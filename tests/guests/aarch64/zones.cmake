# SPDX-License-Identifier: GPL-2.0-only
# The test zones: which sources make which guest image. Manifests embed the
# flat images by these names (NAME.bin).
set(Z ${CMAKE_CURRENT_SOURCE_DIR}/zones)
set(C ${BH_COMMON_GUESTS}/zones) # the zones both architectures build

bh_guest(selftest SOURCES ${Z}/selftest.cpp)

# two-zones
bh_guest(lines-alpha SOURCES ${C}/two_zones.cpp DEFINITIONS ZONE_TAG="alpha")
bh_guest(lines-beta SOURCES ${C}/two_zones.cpp DEFINITIONS ZONE_TAG="beta")

# isolation
bh_guest(victim SOURCES ${Z}/victim.cpp)
bh_guest(intruder SOURCES ${Z}/intruder.cpp)
bh_guest(reader-hv SOURCES ${Z}/reader_hv.cpp)
bh_guest(writer-zone SOURCES ${Z}/writer_zone.cpp)

# management: the manager's image embeds its children's flat images
bh_guest(pattern SOURCES ${Z}/pattern.cpp)
bh_guest(zerocheck SOURCES ${Z}/zerocheck.cpp)
bh_guest(plain SOURCES ${C}/plain.cpp)
bh_guest(manager SOURCES ${C}/manager.cpp ${C}/manager_children.S
  DEFINITIONS PATTERN_BIN="${BH_GUEST_DIR}/pattern.bin" ZEROCHECK_BIN="${BH_GUEST_DIR}/zerocheck.bin")
add_dependencies(guest-manager guest-pattern guest-zerocheck)
# The .bin files appear with their ELF (POST_BUILD), so depending on the ELF
# rebuilds the manager whenever a child changes.
set_source_files_properties(${C}/manager_children.S PROPERTIES
  OBJECT_DEPENDS "${BH_GUEST_DIR}/pattern.elf;${BH_GUEST_DIR}/zerocheck.elf")

# a console flood, and huge zones made, beside a zone counting its timer
# interrupts
bh_guest(ticker SOURCES ${C}/ticker.cpp DEFINITIONS TICKER_TEST="console-flood")
bh_guest(chatty SOURCES ${C}/chatty.cpp DEFINITIONS CHATTY_MIN_BYTES=400*1024) # past the budget: 128 KiB + 16 KiB/s
bh_guest(mgmt-ticker SOURCES ${C}/ticker.cpp DEFINITIONS TICKER_TEST="management-stall")
bh_guest(big-manager SOURCES ${C}/big_manager.cpp)

# destroy racing vCPU starts: the manager embeds the hammering child
bh_guest(hammer SOURCES ${C}/hammer.cpp)
bh_guest(destroy-race SOURCES ${C}/destroy_race.cpp ${C}/destroy_race_child.S
  DEFINITIONS HAMMER_BIN="${BH_GUEST_DIR}/hammer.bin")
add_dependencies(guest-destroy-race guest-hammer)
set_source_files_properties(${C}/destroy_race_child.S PROPERTIES OBJECT_DEPENDS "${BH_GUEST_DIR}/hammer.elf")

# forwarded I/O: the server embeds the zone it serves
bh_guest(io-client SOURCES ${C}/io_client.cpp ${Z}/io_forward_arch.cpp)
bh_guest(io-server SOURCES ${C}/io_server.cpp ${C}/io_server_child.S ${Z}/io_forward_arch.cpp
  DEFINITIONS IO_CLIENT_BIN="${BH_GUEST_DIR}/io-client.bin")
add_dependencies(guest-io-server guest-io-client)
set_source_files_properties(${C}/io_server_child.S PROPERTIES OBJECT_DEPENDS "${BH_GUEST_DIR}/io-client.elf")

# smp, hypercall errors, preemption
bh_guest(smp SOURCES ${Z}/smp.cpp)
bh_guest(hc-unknown SOURCES ${C}/hc_unknown.cpp)
bh_guest(hc-arguments SOURCES ${C}/hc_arguments.cpp)
bh_guest(hc-fuzz SOURCES ${C}/hc_fuzz.cpp)
bh_guest(spinner SOURCES ${C}/spinner.cpp)
bh_guest(worker SOURCES ${C}/worker.cpp)
bh_guest(yielder SOURCES ${Z}/yielder.cpp)

# benchmarks
bh_guest(bench SOURCES ${Z}/bench.cpp)
bh_guest(bench-switch SOURCES ${C}/bench_switch.cpp)

# make demo
bh_guest(demo-alpha SOURCES ${C}/demo_alpha.cpp)
bh_guest(demo-mallory SOURCES ${Z}/demo_mallory.cpp)

# virtual GIC identification registers (regression: GICR_TYPER read as IIDR)
bh_guest(vgic-regs SOURCES ${Z}/vgic_regs.cpp)
bh_guest(gic-fuzz SOURCES ${Z}/gic_fuzz.cpp)

# the EL1 physical timer
bh_guest(ptimer SOURCES ${Z}/ptimer.cpp)

# the zone console's receive side
bh_guest(console-rx SOURCES ${Z}/console_rx.cpp)

# a zone that never ends (watchdog)
bh_guest(hang SOURCES ${C}/hang.cpp)

# waiting just after a timer's deadline (regression: lost timer interrupt)
bh_guest(timer-expired SOURCES ${Z}/timer_expired.cpp)

# security: state that must not cross between zones sharing a CPU
bh_guest(state-leak SOURCES ${Z}/state_leak.cpp)
bh_guest(id-regs SOURCES ${Z}/id_regs.cpp)
bh_guest(wfit SOURCES ${Z}/wfit.cpp)
bh_guest(inject-pstate SOURCES ${Z}/inject_pstate.cpp)

# conformance: the generic timer and the GIC as the architecture defines them
bh_guest(timer-rules SOURCES ${Z}/timer_rules.cpp)
bh_guest(gic-rules SOURCES ${Z}/gic_rules.cpp)
bh_guest(bench-xen XEN SOURCES ${Z}/bench.cpp)

# Linux zones made at run time by a privileged zone (tests/scenarios/linux/
# linux-launch.dts gives it the zone kernel and initramfs)
bh_guest(linux-launcher SOURCES ${Z}/linux_launcher.cpp)

# A hostile driver of its own virtio-console, launched by zoned as a zone's
# kernel (control-domain.hostile-virtio, tests/scenarios/control-domain/)
bh_guest(hostile-virtio IMAGE SOURCES ${Z}/hostile_virtio.cpp)

# A hostile driver of its own virtio-blk disks (slots 1 and 2), launched
# the same way with two --disk (control-domain.hostile-virtio)
bh_guest(hostile-block IMAGE SOURCES ${Z}/hostile_block.cpp)

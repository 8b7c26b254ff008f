# SPDX-License-Identifier: GPL-2.0-only
# x86-64 scenarios. Each boots the scenario's GRUB ISO (hypervisor and
# manifest, built by the nested x86_64 build) in a fresh emulator:
#   qemu-x86_64-svm   QEMU TCG -cpu max (AMD SVM with nested paging), SeaBIOS
#                     unless FIRMWARE uefi (OVMF)
#   bochs-x86_64-vmx  Bochs corei7_skylake_x (Intel VMX with EPT), BIOS; the
#                     same scenarios, named x86_64-vmx.NAME
#   kvm-x86_64        QEMU on KVM, -cpu host, where /dev/kvm offers nested VMX
#                     or SVM (the back end the host CPU has); named
#                     x86_64-kvm.NAME, skipped with the reason elsewhere
set(BH_X86_ISOS ${BULKHEAD_X86_64_DIR}/tests/scenarios)
set(BH_X86_HYPERVISOR ${BULKHEAD_X86_64_DIR}/hypervisor/bulkhead.elf)

# Bochs runs 2 emulated CPUs at 50 M instructions per emulated second, far
# slower than QEMU: its scenarios get three times the time, and take one
# host core (BH_BOCHS_PROCESSORS, top-level CMakeLists.txt).
set(BH_BOCHS_RUN_TIMEOUT 180)
set(BH_BOCHS_CTEST_TIMEOUT 300)

# bh_x86_scenario(NAME [ISO iso-name] [FIRMWARE bios|uefi] [SEED zone] [LABELS ...] ARGS ...):
# test x86_64.NAME booting ISO.iso (default NAME.iso) under QEMU (SVM), and
# test x86_64-vmx.NAME booting it under Bochs (VMX) unless NO_BOCHS; with
# VMX_ONLY only the Bochs test (LABELS name the QEMU label as usual). SEED
# names a fuzzing zone that gets a fresh seed each run, as on arm64: the
# runner then boots an ISO it builds from ISO.dtb with the seed in it.
function(bh_x86_scenario name)
  cmake_parse_arguments(S "NO_BOCHS;VMX_ONLY" "ISO;FIRMWARE;SEED" "LABELS;ARGS" ${ARGN})
  set(test x86_64.${name})
  if(NOT S_ISO)
    set(S_ISO ${name})
  endif()
  if(S_SEED)
    set(boot --hypervisor ${BH_X86_HYPERVISOR} --manifest ${BH_X86_ISOS}/${S_ISO}.dtb --seed-zone ${S_SEED})
  else()
    set(boot --iso ${BH_X86_ISOS}/${S_ISO}.iso)
  endif()
  if(NOT S_FIRMWARE)
    set(S_FIRMWARE bios)
  endif()
  if(NOT S_LABELS)
    set(S_LABELS qemu-x86_64-svm)
  endif()
  if(NOT S_VMX_ONLY)
    add_test(NAME ${test}
      COMMAND ${Python3_EXECUTABLE} ${BH_RUNNER} --name ${test} --arch x86_64 ${boot}
              --firmware ${S_FIRMWARE} --timeout ${BH_RUN_TIMEOUT}
              --junit ${BH_REPORTS}/${test}.xml --log ${BH_REPORTS}/${test}.log --expect-poweroff ${S_ARGS})
    set_tests_properties(${test} PROPERTIES LABELS "${S_LABELS}" TIMEOUT ${BH_CTEST_TIMEOUT} PROCESSORS 2)
  endif()
  if(S_NO_BOCHS)
    return()
  endif()
  if(NOT S_VMX_ONLY) # under KVM the host CPU picks the back end
    set(test x86_64-kvm.${name})
    set(kvm_labels ${S_LABELS})
    list(TRANSFORM kvm_labels REPLACE "^qemu-x86_64-svm$" "kvm-x86_64")
    add_test(NAME ${test}
      COMMAND ${Python3_EXECUTABLE} ${BH_RUNNER} --name ${test} --arch x86_64 --emulator kvm ${boot}
              --timeout ${BH_RUN_TIMEOUT}
              --junit ${BH_REPORTS}/${test}.xml --log ${BH_REPORTS}/${test}.log --expect-poweroff ${S_ARGS})
    set_tests_properties(${test} PROPERTIES LABELS "${kvm_labels}" TIMEOUT ${BH_CTEST_TIMEOUT} PROCESSORS 2
      SKIP_RETURN_CODE 77)
  endif()
  set(test x86_64-vmx.${name})
  list(TRANSFORM S_LABELS REPLACE "^qemu-x86_64-svm$" "bochs-x86_64-vmx")
  add_test(NAME ${test}
    COMMAND ${Python3_EXECUTABLE} ${BH_RUNNER} --name ${test} --arch x86_64 --emulator bochs ${boot}
            --timeout ${BH_BOCHS_RUN_TIMEOUT}
            --junit ${BH_REPORTS}/${test}.xml --log ${BH_REPORTS}/${test}.log --expect-poweroff ${S_ARGS})
  set_tests_properties(${test} PROPERTIES LABELS "${S_LABELS}" TIMEOUT ${BH_BOCHS_CTEST_TIMEOUT}
                                           PROCESSORS ${BH_BOCHS_PROCESSORS})
endfunction()

# a. Two zones side by side, each line tagged with its own zone only; booted
#    under SeaBIOS and under OVMF (the BIOS and the EFI Multiboot2 hand-off).
set(args --expect alpha:two-zones-alpha:SUCCESS --expect beta:two-zones-beta:SUCCESS)
foreach(zone alpha beta)
  foreach(i RANGE 1 10)
    list(APPEND args --expect-log "^\\[${zone}\\] ${zone} line ${i} of 10$")
  endforeach()
  list(APPEND args --forbid-log "^(?!\\[${zone}\\] ).*${zone} line" --expect-log "zone '${zone}' exited: code 0")
endforeach()
list(APPEND args --expect-log [=[all zones have ended.*powering off]=])
bh_x86_scenario(two-zones ARGS ${args} --expect-log [=[Bulkhead .* \(x86-64\) starting]=]
  --expect-log [=[2 of 2 CPU\(s\) online]=])
# The UEFI boot also holds up the hypervisor's first TSC measurement past
# the PIT's count-down (boot option pit-held-up): that one is refused, the
# next trusted, and the TSC's rate is a real one (at least 100 MHz, where
# the measurement once read a held-up CPU's rate as a thousandth of it).
bh_x86_scenario(two-zones-uefi ISO two-zones-held-up FIRMWARE uefi NO_BOCHS ARGS ${args}
  --expect-log [=[timer: a precise PIT measurement after 2 tries]=]
  --expect-log [=[TSC at [0-9]{6,} kHz]=])

# b. Fault policy "abort": every illegal access gets #GP(0), is logged and
#    leaks nothing; the victim completes undisturbed.
set(args --expect victim:isolation-victim:SUCCESS --expect intruder:isolation-intruder:SUCCESS
  --forbid-log [=[(?i)5ec2e7]=] --forbid-log [=[zone '[^']+' (crashed|stopped)]=])
foreach(ipa 8000000 8100000 200000 210000 fee00000 fed00000 40200000 100000000)
  foreach(access read write)
    list(APPEND args --expect-log "zone 'intruder'.*illegal ${access}.*IPA (?i:0x0*${ipa})\\b.*#GP")
  endforeach()
endforeach()
# Its IPIs through its own (virtual) APIC page reach no other CPU: INIT and
# STARTUP find no other vCPU in its zone, NMI is not offered.
list(APPEND args --expect-log "zone 'intruder' vcpu 0: NMI interrupt not delivered")
bh_x86_scenario(isolation-abort ARGS ${args})

# c. Fault policy "stop": the offending zones end at the access, print no verdict.
bh_x86_scenario(isolation-stop ARGS
  --expect victim:isolation-victim:SUCCESS
  --expect-log [=[zone 'reader-hv'.*illegal read.*IPA (?i:0x0*200000)\b]=]
  --expect-log [=[zone 'reader-hv' crashed]=]
  --expect-log [=[zone 'writer-zone'.*illegal write.*IPA (?i:0x0*8000000)\b]=]
  --expect-log [=[zone 'writer-zone' crashed]=]
  --forbid-log [=[^\[(reader-hv|writer-zone)\] BULKHEAD-TEST]=]
  --forbid-log [=[(?i)5ec2e7]=])

# d. CPUID, unassigned I/O ports (including the emulators' power-off ports:
#    the machine must keep running) and MSRs; the zone's PC devices (the
#    CMOS RTC with the host's time, fixed answers at the PIT, port B, the
#    8259s), a zone ending itself as crashed through the i8042's reset, and
#    one powering off (exited) through the ACPI sleep control register.
bh_x86_scenario(ports-msrs ARGS --expect ports-msrs:ports-msrs:SUCCESS
  --expect-log [=[zone 'ports-msrs'.*write of 4 byte\(s\) at unassigned port 0xf4 dropped]=]
  --expect-log [=[zone 'ports-msrs'.*rdmsr 0xc0010117 refused]=]
  --expect-log [=[wall clock from the host's CMOS RTC: 20[0-9][0-9]-]=]
  --expect-log [=[^\[i8042-reset\] pulsing the reset line]=]
  --expect-log [=[zone 'i8042-reset' crashed: i8042 reset \(kernel panic or reboot\) from vCPU 0]=]
  --forbid-log [=[^\[i8042-reset\] (BULKHEAD-TEST|FAIL)]=]
  --expect-log [=[^\[acpi-poweroff\] entering S5]=]
  --expect-log [=[zone 'acpi-poweroff' exited: code 0 \(ACPI S5 \(poweroff\)\)]=]
  --forbid-log [=[^\[acpi-poweroff\] (BULKHEAD-TEST|FAIL)]=])

# e. Zone management from a privileged zone (memory scrubbed on reuse);
#    refused to an unprivileged one.
bh_x86_scenario(management ARGS
  --expect manager:management:SUCCESS --expect plain:management-denied:SUCCESS
  --expect-log [=[^\[child-a\] pattern: filled]=]
  --expect-log [=[zone 'child-a' exited: code 0]=]
  --expect-log [=[^\[child-b\] zerocheck: .* is all zero]=]
  --expect-log [=[zone 'child-b' exited: code 0]=])

# Forwarded I/O (security): a privileged zone serves virtio-mmio slots of
# a zone it made, through the zone's I/O APIC (slot lines 24-55, event line
# 56); confused completions are refused, a read never answered does not
# keep the zone from ending or being destroyed, nothing leaks.
bh_x86_scenario(io-forward LABELS qemu-x86_64-svm security ARGS
  --expect server:io-forward:SUCCESS --expect served1:io-client:SUCCESS
  --expect served2:io-client:SUCCESS
  --forbid-log [=[zone '[^']+' crashed]=] --forbid-log [=[PANIC]=])

# Hole 5 (security): a zone flooding the console does not slow another
# zone's timer. (Every byte a zone writes to its 16550 is an exit, which
# under QEMU's emulation keeps it below its console budget, unlike arm64's
# faster PL011 traps: the budget's dropping is checked on arm64 and in the
# unit tests.)
# (These three count timer interrupts per second on two CPUs at once, which
# QEMU's single-threaded TCG cannot give them: they run multi-threaded, at
# the small risk of the FXRSTOR race the fxrstor-race scenario shows.)
bh_x86_scenario(console-flood LABELS qemu-x86_64-svm security ARGS --tcg-threads multi
  --expect ticker:console-flood:SUCCESS
  --expect-log [=[^\[ticker\] ticker: still ticking]=]
  --expect-log [=[^\[chatty\] chatty: done after [0-9]+ lines$]=]
  --expect-log [=[zone 'chatty' exited: code 0]=])

# Hole 5 (security), management: making huge zones holds nothing other
# CPUs need; a watchdog falling due meanwhile is on time and CPU 0's zone
# keeps its timer rate.
bh_x86_scenario(management-stall LABELS qemu-x86_64-svm security ARGS --tcg-threads multi
  --expect ticker:management-stall:SUCCESS --expect manager:big-manager:SUCCESS
  --expect-log [=[^\[manager\] created a [0-9]+ MiB zone]=]
  --expect-log [=[zone 'overdue' crashed: watchdog]=])

# Hole 3 (security): destroying a zone whose vCPUs keep restarting each
# other, 500 times; no memory lost, nothing of a destroyed zone runs.
bh_x86_scenario(destroy-race LABELS qemu-x86_64-svm security ARGS
  --expect manager:destroy-race:SUCCESS
  --forbid-log [=[zone '[^']+' crashed]=] --forbid-log [=[PANIC]=])

# The emulator, not the hypervisor: in QEMU's multi-threaded TCG every CPU's
# FXRSTOR rewrites CPU 0's SVM state, so that CPU 0 may run a zone without
# nested paging or run its host state as a zone (docs/architecture.md,
# "QEMU"); the runner uses single-threaded TCG for SVM. A zone on CPU 0
# switching in and out while one on CPU 1 restores FPU state in a loop shows
# it within seconds.
bh_x86_scenario(fxrstor-race ARGS
  --expect switcher:fxrstor-race:SUCCESS --expect storm:fxrstor-race-storm:SUCCESS
  --forbid-log [=[zone '[^']+' (crashed|stopped)]=] --forbid-log [=[PANIC]=])

# f. Unknown hypercalls and bad arguments.
bh_x86_scenario(hypercall-errors ARGS
  --expect hc-unknown:hypercall-unknown:SUCCESS --expect hc-arguments:hypercall-arguments:SUCCESS)
# Thousands of random hypercalls from an unprivileged zone, from a new seed
# each run (printed first; BULKHEAD_FUZZ_SEED=N replays one).
bh_x86_scenario(hypercall-fuzz SEED hc-fuzz ARGS --expect hc-fuzz:hypercall-fuzz:SUCCESS
  --expect-log [=[^\[hc-fuzz\] hypercall-fuzz: seed {seed}$]=]
  --forbid-log [=[zone 'hc-fuzz' (crashed|stopped)]=])

# g. A zone that never yields cannot starve another on its CPU.
bh_x86_scenario(preemption ARGS
  --expect spinner:preemption-spinner:SUCCESS --expect worker:preemption-worker:SUCCESS
  --order [=[worker.*SUCCESS]=] [=[spinner done]=])

# g2. A zone flooding itself with timer and UART interrupts cannot starve
#     the worker on its CPU either.
bh_x86_scenario(interrupt-storm ARGS
  --expect storm:timer-storm:SUCCESS --expect worker:preemption-worker:SUCCESS
  --order [=[worker.*SUCCESS]=] [=[storm done]=])

# g3. Interrupts arrive only where the zone takes them: never inside a CLI
#     section, never inside the handler (two zones, one per CPU, each with
#     a fast periodic timer; QEMU delivered EVENTINJ interrupts twice).
bh_x86_scenario(masked-interrupts ARGS
  --expect left:masked-interrupts:SUCCESS --expect right:masked-interrupts:SUCCESS)

# h. Two vCPUs: BH_HC_VCPU_ON, IPIs both ways (waking a halted vCPU),
#    broadcast and self IPIs, TPR, the APIC timer at 1 kHz (at most 10% over, a third under), TSC deadline.
bh_x86_scenario(smp ARGS --tcg-threads multi --expect smp:smp:SUCCESS
  --expect-log [=[^\[smp\] 100 IPI round trips between vCPU 0 and vCPU 1]=])

# h2. INIT-SIPI-SIPI: a vCPU started the way an unmodified OS starts one,
#     in real mode below 1 MiB, climbing to long mode by itself.
bh_x86_scenario(sipi ARGS --expect sipi:sipi:SUCCESS)

# i. The xAPIC page: loads and stores in many encodings emulated; a
#    read-modify-write and a string move refused with #GP and logged.
bh_x86_scenario(apic-mmio ARGS --expect apic-mmio:apic-mmio:SUCCESS
  --expect-log [=[zone 'apic-mmio' vcpu 0: access to device page IPA 0xfee00080 at RIP 0x[0-9a-f]+ not emulated: not a plain load or store]=]
  --expect-log [=[zone 'apic-mmio' vcpu 0: access to device page IPA 0xfee00030 at RIP 0x[0-9a-f]+ not emulated: not a plain load or store]=]
  --forbid-log [=[zone 'apic-mmio' (crashed|stopped)]=])

# i2. Random values into every local and I/O APIC register of one zone;
#     the hypervisor and the neighbour zone are unaffected. A new seed each
#     run, as hypercall-fuzz.
bh_x86_scenario(apic-fuzz SEED fuzz ARGS --expect fuzz:apic-fuzz:SUCCESS --expect neighbour:two-zones-beta:SUCCESS
  --expect-log [=[^\[fuzz\] apic-fuzz: seed {seed}$]=]
  --expect-log [=[zone 'fuzz' vcpu 0: (NMI|INIT|STARTUP|SMI|reserved) interrupt not delivered]=]
  --forbid-log [=[zone '[^']*' (crashed|stopped)]=]
  --forbid-log [=[zone 'neighbour'.*(illegal|not delivered)]=])

# j. A zone halted for good (HLT with interrupts off) is crashed by its
#    manifest watchdog; the other finishes.
bh_x86_scenario(watchdog ARGS --expect fine:two-zones-beta:SUCCESS
  --expect-log [=[zone 'hung' crashed: watchdog: still running after 800 ms]=]
  --forbid-log [=[zone 'fine' crashed]=])

# l. Host console input reaches the console-input zone's 16550 by its
#    receive interrupt through the zone's I/O APIC (QEMU only: the Bochs
#    runs cannot type).
bh_x86_scenario(console-input NO_BOCHS ARGS --expect reader:console-input:SUCCESS
  --send [=[\[reader\] console-input: ready]=] [=[hello bulkhead, this line is longer than any uart fifo\n]=]
  --forbid-log [=[\[bystander\].*hello bulkhead]=])

# k. A zone whose RAM would hide its local APIC page is refused at boot,
#    and so is the whole manifest: nothing starts, the machine powers off.
bh_x86_scenario(bad-apic-window ARGS
  --expect-log [=[manifest: zone 'hole': memory .0xfec00000, 0xfee00000. overlaps the device window .0xfec00000, 0x100000000. of x86-64 zones]=]
  --expect-log [=[refusing to start any zone]=]
  --forbid-log [=[^\[[a-z0-9_-]+\] ]=]
  --forbid-log [=[zone '[^']*' (exited|crashed|stopped)]=])

# Benchmarks (numbers only): null hypercall, CPUID, port I/O, APIC register
# reads through the xAPIC page (MMIO emulation) and the x2APIC MSRs, NPF to
# #GP, IPI round trip.
bh_x86_scenario(bench LABELS bench ARGS --expect bench:bench:SUCCESS)
# Zone switch: two zones yielding to each other on one CPU.
bh_x86_scenario(bench-switch LABELS bench ARGS
  --expect switch-a:bench-switch-a:SUCCESS --expect switch-b:bench-switch-b:SUCCESS)

# Security: holes an attacker's review of the x86 back ends found, each
# shown by a zone that tries it.
# s1. Hypercalls from CPL 3 (a privileged zone's processes): every call,
#     management or not, is refused with PERMISSION_DENIED and logged.
bh_x86_scenario(hypercall-cpl LABELS qemu-x86_64-svm security ARGS --expect ring3:hypercall-cpl:SUCCESS
  --expect-log [=[zone 'ring3' vcpu 0: hypercall 0xc6000001 from CPL 3 refused]=]
  --forbid-log [=[zone 'ring3' exited: code 15934]=])

# s2. CR8 is the zone's own virtual TPR: a zone halting with CR8 = 15 blocks
#     none of the hypervisor's interrupts on its CPU; CR8 and TPR agree.
bh_x86_scenario(cr8 LABELS qemu-x86_64-svm security ARGS
  --expect cr8:cr8:SUCCESS --expect ticker:cr8-ticker:SUCCESS)

# s3. Debug registers, TSC_AUX, PKRU and extended state do not cross from
#     one zone to the next on a CPU; hardware breakpoints keep working.
bh_x86_scenario(state-crossing LABELS qemu-x86_64-svm security ARGS
  --expect crossing-a:state-crossing-a:SUCCESS --expect crossing-b:state-crossing-b:SUCCESS)

# s4. RDPMC of counters CPUID does not offer: #GP, the zone goes on.
bh_x86_scenario(rdpmc LABELS qemu-x86_64-svm security ARGS --expect rdpmc:rdpmc:SUCCESS
  --forbid-log [=[zone 'rdpmc' (crashed|stopped)]=])

# s5. VMX on a CPU without VPIDs (boot option vmx-no-vpid): more than one
#     zone can run, and two zones sharing a CPU (the same guest-linear
#     addresses over different memory) still see only their own.
bh_x86_scenario(state-crossing-no-vpid ISO state-crossing-no-vpid VMX_ONLY LABELS qemu-x86_64-svm security ARGS
  --expect crossing-a:state-crossing-a:SUCCESS --expect crossing-b:state-crossing-b:SUCCESS
  --expect-log [=[VMX without VPIDs \(boot option vmx-no-vpid\)]=])

# SPDX-License-Identifier: GPL-2.0-only
# The arm64 foundation's acceptance scenarios. Regexes are bracket arguments
# so that CMake leaves their backslashes alone; hypervisor log lines are
# matched loosely (wording may change, the facts may not).

# a. Two zones run side by side; each line is tagged with its own zone only.
set(args --expect alpha:two-zones-alpha:SUCCESS --expect beta:two-zones-beta:SUCCESS)
foreach(zone alpha beta)
  foreach(i RANGE 1 10)
    list(APPEND args --expect-log "^\\[${zone}\\] ${zone} line ${i} of 10$")
  endforeach()
  list(APPEND args
    --forbid-log "^(?!\\[${zone}\\] ).*${zone} line"
    --expect-log "zone '${zone}' exited: code 0")
endforeach()
# (No ';' in regexes: CMake lists would split them.)
list(APPEND args --expect-log [=[all zones have ended.*powering off]=])
bh_scenario(two-zones ARGS ${args})

# b. Fault policy "abort": every illegal access aborts, is logged, leaks
#    nothing; the victim completes undisturbed. IPAs in log lines may have
#    leading zeros and either case.
set(args --expect victim:isolation-victim:SUCCESS --expect intruder:isolation-intruder:SUCCESS
  --forbid-log [=[(?i)5ec2e7]=]
  --forbid-log [=[zone '[^']+' (crashed|stopped)]=])
foreach(ipa 70000000 70100000 40200000 40280000 08080000 080e0000 09010000 09020000)
  string(REGEX REPLACE "^0+" "" digits ${ipa})
  foreach(access read write)
    list(APPEND args --expect-log "zone 'intruder'.*illegal ${access}.*IPA (?i:0x0*${digits})\\b")
  endforeach()
endforeach()
bh_scenario(isolation-abort ARGS ${args})

# c. Fault policy "stop": the offending zones are stopped at the access and
#    print no verdict; the victim completes.
bh_scenario(isolation-stop ARGS
  --expect victim:isolation-victim:SUCCESS
  --expect-log [=[zone 'reader-hv'.*illegal read.*IPA (?i:0x0*40200000)\b]=]
  --expect-log [=[zone 'reader-hv' crashed]=]
  --expect-log [=[zone 'writer-zone'.*illegal write.*IPA (?i:0x0*70000000)\b]=]
  --expect-log [=[zone 'writer-zone' crashed]=]
  --forbid-log [=[^\[(reader-hv|writer-zone)\] BULKHEAD-TEST]=]
  --forbid-log [=[(?i)5ec2e7]=])

# d. Zone management from a privileged zone; refused to an unprivileged one.
bh_scenario(management ARGS
  --expect manager:management:SUCCESS --expect plain:management-denied:SUCCESS
  --expect-log [=[^\[child-a\] pattern: filled]=]
  --expect-log [=[zone 'child-a' exited: code 0]=]
  --expect-log [=[^\[child-b\] zerocheck: .* is all zero]=]
  --expect-log [=[zone 'child-b' exited: code 0]=])

# Hole 5 (security): a zone flooding the console neither slows another
# zone's timer nor loses the hypervisor's lines; its excess is dropped and
# reported, and it gets through again once it is quiet.
bh_scenario(console-flood LABELS qemu-aarch64 security ARGS
  --expect ticker:console-flood:SUCCESS
  --expect-log [=[zone 'chatty': [0-9]+ console and log lines dropped]=]
  --expect-log [=[^\[chatty\] chatty: done after [0-9]+ lines$]=]
  --expect-log [=[zone 'chatty' exited: code 0]=])

# Hole 5 (security), management: making huge zones holds nothing other
# CPUs need; a watchdog falling due meanwhile is on time and CPU 0's zone
# keeps its timer rate.
bh_scenario(management-stall LABELS qemu-aarch64 security ARGS
  --expect ticker:management-stall:SUCCESS --expect manager:big-manager:SUCCESS
  --expect-log [=[^\[manager\] created a [0-9]+ MiB zone]=]
  --expect-log [=[zone 'overdue' crashed: watchdog]=])

# Hole 3 (security): destroying a zone whose vCPUs keep restarting each
# other, 500 times; no memory lost, nothing of a destroyed zone runs.
bh_scenario(destroy-race LABELS qemu-aarch64 security ARGS
  --expect manager:destroy-race:SUCCESS
  --forbid-log [=[zone '[^']+' crashed]=] --forbid-log [=[PANIC]=])

# Forwarded I/O (security): a privileged zone serves slots of a zone it
# made; confused completions are refused, a read never answered does not
# keep the zone from ending or being destroyed, nothing leaks.
bh_scenario(io-forward LABELS qemu-aarch64 security ARGS
  --expect server:io-forward:SUCCESS --expect served1:io-client:SUCCESS
  --expect served2:io-client:SUCCESS
  --forbid-log [=[zone '[^']+' crashed]=] --forbid-log [=[PANIC]=])

# e. Two vCPUs: PSCI, SGIs both ways, virtual timer rate.
bh_scenario(smp ARGS --expect smp:smp:SUCCESS)

# f. Unknown hypercalls and bad arguments.
bh_scenario(hypercall-errors ARGS
  --expect hc-unknown:hypercall-unknown:SUCCESS --expect hc-arguments:hypercall-arguments:SUCCESS)
# Thousands of random hypercalls from an unprivileged zone, from a new seed
# each run (printed first; BULKHEAD_FUZZ_SEED=N replays one).
bh_scenario(hypercall-fuzz SEED hc-fuzz ARGS --expect hc-fuzz:hypercall-fuzz:SUCCESS
  --expect-log [=[^\[hc-fuzz\] hypercall-fuzz: seed {seed}$]=]
  --forbid-log [=[zone 'hc-fuzz' (crashed|stopped)]=])

# g. A zone that never yields cannot starve another on its CPU.
bh_scenario(preemption ARGS
  --expect spinner:preemption-spinner:SUCCESS --expect worker:preemption-worker:SUCCESS
  --order [=[worker.*SUCCESS]=] [=[spinner done]=])

# The guest library's self-test, in a zone and on bare QEMU (the latter needs
# no hypervisor, so it checks the test zones' own foundations).
bh_scenario(guest-lib ARGS --expect selftest:guest-lib:SUCCESS)
bh_scenario(guest-lib-native NATIVE ${BH_GUESTS}/selftest.elf LABELS qemu-aarch64 native
  ARGS --expect [=[:guest-lib:SUCCESS]=])
bh_scenario(smp-native NATIVE ${BH_GUESTS}/smp.elf LABELS qemu-aarch64 native
  ARGS --expect [=[:smp:SUCCESS]=])

# Zones sharing a CPU all run to their end before the machine powers off
# (found by the zone-switch benchmark: under load, the second zone sometimes
# never ran and the machine powered off when the first exited).
bh_scenario(shared-cpu ARGS
  --expect first:shared-cpu:SUCCESS --expect second:shared-cpu:SUCCESS
  --expect-log [=[^\[second\] started]=]
  --order [=[zone 'first' exited]=] [=[zone 'second' exited]=])

# The virtual GIC's identification registers as Linux probes them.
bh_scenario(vgic-registers ARGS --expect vgic:vgic-registers:SUCCESS)

# The EL1 physical timer, switched with the vCPU, wakes a vCPU in WFI.
bh_scenario(physical-timer ARGS --expect ptimer:physical-timer:SUCCESS --expect neighbour:physical-timer:SUCCESS)

# Host console input reaches the console-input zone's PL011 by its receive interrupt.
bh_scenario(console-input ARGS --expect reader:console-input:SUCCESS
  --send [=[\[reader\] console-input: ready]=] [=[hello bulkhead, this line is longer than any uart fifo\n]=]
  --forbid-log [=[\[bystander\].*hello bulkhead]=])

# Random values into every GIC register a zone can reach, and random SGIs
# (a new seed each run, as hypercall-fuzz); the hypervisor and the neighbour
# zone are unaffected.
bh_scenario(gic-fuzz SEED fuzz ARGS --expect fuzz:gic-fuzz:SUCCESS --expect neighbour:two-zones-beta:SUCCESS
  --expect-log [=[^\[fuzz\] gic-fuzz: seed {seed}$]=]
  --forbid-log [=[zone '[^']*' (crashed|stopped)]=]
  --forbid-log [=[zone 'neighbour'.*illegal]=])

# A zone that hangs is crashed by its manifest watchdog; the other finishes.
bh_scenario(watchdog ARGS --expect fine:two-zones-beta:SUCCESS
  --expect-log [=[zone 'hung' crashed: watchdog: still running after 800 ms]=]
  --forbid-log [=[zone 'fine' crashed]=])

# Waiting just after a timer's deadline still delivers the interrupt, ISTATUS set.
bh_scenario(timer-expired ARGS --expect timers:timer-expired-wait:SUCCESS)

# Security: no register state crosses from one zone to the next on a CPU
# (debug registers, DISR_EL1, TPIDR2_EL0, RAS error records, LORegions).
bh_scenario(state-leak LABELS qemu-aarch64 security
  ARGS --expect planter:state-leak:SUCCESS --expect observer:state-leak:SUCCESS)

# Security: the ID registers advertise only what the hypervisor supports
# for a zone (HCRX_EL2-gated features hidden).
bh_scenario(id-registers LABELS qemu-aarch64 security ARGS --expect ids:id-registers:SUCCESS)

# Robustness: WFIT wakes at its timeout (SKIP where the CPU has no FEAT_WFxT).
bh_scenario(wfit LABELS qemu-aarch64 security
  ARGS --expect-log [=[^\[wfit\] BULKHEAD-TEST wfit: (SUCCESS|SKIP)$]=])
# Robustness: PSTATE on entry to an injected exception (PAN per SCTLR_EL1.SPAN,
# UAO, DIT, SSBS per DSSBS), checked against a native exception, also on bare QEMU.
bh_scenario(inject-pstate LABELS qemu-aarch64 security ARGS --expect inject-pstate:inject-pstate:SUCCESS)
bh_scenario(inject-pstate-native NATIVE ${BH_GUESTS}/inject-pstate.elf LABELS qemu-aarch64 native
  ARGS --expect [=[:inject-pstate:SUCCESS]=])

# Conformance: the generic timer's rules and its level-sensitive PPI, in a
# zone and (the reference) on bare QEMU.
bh_scenario(timer-rules ARGS --expect timers:timer-rules:SUCCESS)
bh_scenario(timer-rules-native NATIVE ${BH_GUESTS}/timer-rules.elf LABELS qemu-aarch64 native
  ARGS --expect [=[:timer-rules:SUCCESS]=])
# Conformance: GICv3 pending/active/enable state, priority, preemption,
# EOImode and SGI targeting, in a zone and on bare QEMU.
bh_scenario(gic-rules ARGS --expect gic:gic-rules:SUCCESS)
bh_scenario(gic-rules-native NATIVE ${BH_GUESTS}/gic-rules.elf LABELS qemu-aarch64 native
  ARGS --expect [=[:gic-rules:SUCCESS]=])

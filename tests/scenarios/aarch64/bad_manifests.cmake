# SPDX-License-Identifier: GPL-2.0-only
# h. Boot-time rejection: each bad manifest must be refused with one
#    `manifest: ...` line naming the problem, before any zone starts, and the
#    machine must power off.
set(bh_refusal_args
  --expect-log [=[refusing to start any zone]=]
  --order [=[manifest: ]=] [=[refusing to start any zone]=]
  --forbid-log [=[^\[[a-z0-9_-]+\] ]=]
  --forbid-log [=[zone '[^']*' (exited|crashed|stopped)]=])

# bh_bad_manifest(CASE MANIFEST REGEX [runner args...])
function(bh_bad_manifest case manifest regex)
  bh_scenario(bad-manifest.${case} MANIFEST ${manifest} ARGS --expect-log ${regex} ${bh_refusal_args} ${ARGN})
endfunction()

bh_bad_manifest(missing-vcpus bad-missing-vcpus [=[manifest: zone 'beta': required property 'vcpus' is missing]=])
bh_bad_manifest(zero-vcpus bad-zero-vcpus [=[manifest: zone 'empty': vcpus is zero]=])
bh_bad_manifest(overlap bad-overlap [=[manifest: zone '(first|second)': host memory overlaps that of zone '(first|second)']=])
bh_bad_manifest(no-zones bad-no-zones [=[manifest: no /zones node]=])
bh_bad_manifest(truncated two-zones [=[manifest: .*truncated]=] --truncate-manifest 50%)

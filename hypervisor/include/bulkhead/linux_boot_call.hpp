// SPDX-License-Identifier: GPL-2.0-only
// BH_HC_ZONE_BOOT_LINUX: a manager makes a zone it created boot the Linux
// Image it loaded there (abi/linux_boot.h). The generic part decodes the
// descriptor and its strings; the arch checks the Image and the layout,
// writes the device tree and resets vCPU 0 (arch::boot_loaded_linux).
#pragma once

#include <bulkhead/abi/linux_boot.h>
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

static_assert(sizeof(bh_linux_boot) == 56, "the descriptor's layout is ABI");

// The descriptor, decoded: every range checked against the platform's
// guest-physical limit, the string lengths against what follows it.
struct LinuxLoaded {
    GuestPhys kernel;
    u64 kernel_size = 0;
    GuestPhys initrd;
    u64 initrd_size = 0;
    u32 bootargs_len = 0, command_len = 0, args_len = 0, env_len = 0, cwd_len = 0;
    GuestPhys strings; // in the caller, right after the descriptor
    u64 strings_size = 0;
};

// `total` is the length the caller gave (descriptor plus strings).
[[nodiscard]] Status decode_linux_boot(const bh_linux_boot& d, GuestPhys at, u64 total, LinuxLoaded& out);
// Points `out`'s strings into `buf` (a copy of the caller's strings),
// refusing any that is not NUL-terminated, a command that is empty, or
// arguments and environment without a command.
[[nodiscard]] Status linux_boot_strings(const u8* buf, const LinuxLoaded& l, LinuxBoot& out);

HypercallResult hc_zone_boot_linux(Vcpu& caller, const HypercallArgs& a);

} // namespace bh

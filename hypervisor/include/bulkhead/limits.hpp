// SPDX-License-Identifier: GPL-2.0-only
// Limits every architecture shares.
#pragma once

namespace bh {

// Physical CPUs the hypervisor runs on: the per-CPU table and everything
// sized by CPUs use it (asm_defs.h's BH_MAX_CPUS must agree).
inline constexpr unsigned kMaxCpus = 8;

} // namespace bh

// SPDX-License-Identifier: GPL-2.0-only
// The fake arch keeps no per-CPU hardware state.
#pragma once

namespace bh::arch {

struct CpuContext {};

} // namespace bh::arch

// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::aarch64 {

void el2_setup_cpu();

} // namespace bh::aarch64

// SPDX-License-Identifier: GPL-2.0-only
// The function every test zone defines: vCPU 0 enters it after start-up
// (BSS cleared, vectors installed, static constructors run) with the x0 the
// zone was started with.
#pragma once

#include <guest/types.hpp>

extern "C" void zone_main(bh::u64 x0);

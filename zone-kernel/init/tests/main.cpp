// SPDX-License-Identifier: GPL-2.0-only
// Catch2 main for the zone-init host tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// SPDX-License-Identifier: GPL-2.0-only
// Catch2's main for zoned's tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// SPDX-License-Identifier: GPL-2.0-only
// Catch2's main for the shared control-plane library's tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

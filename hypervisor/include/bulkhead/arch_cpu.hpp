// SPDX-License-Identifier: GPL-2.0-only
// The small CPU interface generic code may use. Each arch (and the fake arch
// used by host unit tests) provides <arch/cpu.hpp> on its include path.
#pragma once

#include <arch/cpu.hpp>

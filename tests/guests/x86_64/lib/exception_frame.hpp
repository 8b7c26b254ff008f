// SPDX-License-Identifier: GPL-2.0-only
// The probes' part in exception handling (exceptions.cpp calls it).
#pragma once

#include <guest/exceptions.hpp>

namespace bh::probe {
// True if the exception belongs to an armed probe (the frame then resumes after it).
bool handle_exception(ExceptionFrame& f);
} // namespace bh::probe

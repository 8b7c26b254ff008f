// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::x86_64 {

// Programs COM1 for 115200 8N1 before the first log line.
void console_init();

} // namespace bh::x86_64

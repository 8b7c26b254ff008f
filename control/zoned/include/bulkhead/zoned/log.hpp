// SPDX-License-Identifier: GPL-2.0-only
// zoned's own log: one line per event worth knowing after the fact (a zone
// ended, a backend died, a launch was undone), to standard error, where
// systemd's journal or the terminal takes it.
#pragma once

#include <string_view>

namespace bh::zoned {

void log_line(std::string_view text);
// Tests run many daemons; they keep quiet unless BULKHEAD_ZONED_VERBOSE is set.
void set_log_quiet(bool quiet);

} // namespace bh::zoned

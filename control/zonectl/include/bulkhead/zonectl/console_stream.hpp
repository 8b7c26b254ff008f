// SPDX-License-Identifier: GPL-2.0-only
// A zone's console output as zoned streams it (after a `logs` or `console`
// request): output to standard output as it comes, until zoned ends the
// stream. For `console`, also standard input to the zone: the terminal in
// raw mode, Ctrl-] detaches (as telnet and virsh do); from a pipe, input
// is forwarded until its end and output shown until the stream ends or a
// Ctrl-] byte arrives.
#pragma once

#include <bulkhead/control/message_stream.hpp>

#include <optional>

namespace bh::zonectl {

inline constexpr char kDetachByte = 0x1d; // Ctrl-]

struct StreamEnd {
    bool detached = false;                 // the user detached
    std::optional<control::ZoneInfo> zone; // as zoned last saw it (unset: destroyed meanwhile)
};

// Copies the stream's output to standard output until it ends.
StreamEnd copy_stream(control::MessageConnection& connection);
// The same, forwarding standard input as console input until Ctrl-].
StreamEnd run_console(control::MessageConnection& connection);

} // namespace bh::zonectl

// SPDX-License-Identifier: GPL-2.0-only
// Standard input from the host, through the zone's console, with its end.
//
// A serial console carries bytes but no end of input, so whoever feeds the
// host console for a workload with `stdin = "stream"` (scripts/run-zone
// does) frames what it sends; zone-init's relay decodes it into a pipe that
// is the workload's standard input and closes the pipe at the end, so the
// workload reads end of file:
//
//     0xff 0xff   one data byte 0xff
//     0xff 0x04   end of input (nothing after it counts)
//     0xff other  reserved: both bytes are dropped
//     any other   itself
//
// The console is put in raw mode first (no echo, no line editing, no
// signals from ^C, 8 bits, RTS/CTS so the tty's throttling reaches the
// UART), and zone-init says BULKHEAD-START only after that: the feeder
// waits for that line before it sends anything.
#pragma once

#include <string>
#include <string_view>

namespace zone_init {

inline constexpr unsigned char kStreamEscape = 0xff;
inline constexpr unsigned char kStreamEnd = 0x04;

class StreamDecoder {
  public:
    // Appends the data in `in` to `out`; true once the end has been seen
    // (bytes after it are ignored).
    bool feed(std::string_view in, std::string& out);
    bool ended() const { return ended_; }

  private:
    bool escaped_ = false;
    bool ended_ = false;
};

// "stream" when the workload's standard input is the host's stream.
bool is_stream_mode(std::string_view mode);

} // namespace zone_init

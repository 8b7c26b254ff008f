// SPDX-License-Identifier: GPL-2.0-only
// The terminal in raw mode for the life of the object: every key goes to
// the zone as typed (Ctrl-C included; the zone's own terminal interprets
// it), and the settings come back however zonectl leaves the console.
#pragma once

#include <optional>
#include <termios.h>

namespace bh::zonectl {

class RawTerminal {
  public:
    // Does nothing unless `fd` is a terminal.
    explicit RawTerminal(int fd);
    ~RawTerminal();
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

  private:
    int fd_;
    std::optional<termios> saved_;
};

} // namespace bh::zonectl

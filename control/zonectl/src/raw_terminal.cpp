// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/raw_terminal.hpp>

#include <unistd.h>

namespace bh::zonectl {

RawTerminal::RawTerminal(int fd) : fd_(fd) {
    termios t{};
    if (!::isatty(fd) || ::tcgetattr(fd, &t) < 0) return;
    saved_ = t;
    ::cfmakeraw(&t);
    ::tcsetattr(fd, TCSANOW, &t);
}

RawTerminal::~RawTerminal() {
    if (saved_) ::tcsetattr(fd_, TCSANOW, &*saved_);
}

} // namespace bh::zonectl

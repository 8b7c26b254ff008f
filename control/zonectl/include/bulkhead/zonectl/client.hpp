// SPDX-License-Identifier: GPL-2.0-only
// zonectl's connection to zoned: one request per connection (a stream,
// once opened, keeps it), failures to connect turned into a message that
// says what to check.
#pragma once

#include <bulkhead/control/message_stream.hpp>

#include <span>
#include <string>

namespace bh::zonectl {

// Where zoned listens unless --socket or BULKHEAD_ZONED_SOCKET says otherwise.
inline constexpr const char* kDefaultSocket = "/run/bulkhead/zoned.sock";
inline constexpr const char* kSocketEnv = "BULKHEAD_ZONED_SOCKET";

// Connects; CommandError(unreachable) naming the socket if nobody listens.
control::MessageConnection connect_to_zoned(const std::string& socket_path);

// Sends `request` on a new connection and returns zoned's reply to it;
// control::RequestError if zoned refused it.
control::json ask_zoned(const std::string& socket_path, const control::json& request, std::span<const int> fds = {});

} // namespace bh::zonectl

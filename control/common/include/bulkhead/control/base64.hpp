// SPDX-License-Identifier: GPL-2.0-only
// Base64 (RFC 4648, with padding) for console bytes inside JSON messages:
// a zone's console is arbitrary bytes, and JSON strings must be UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bh::control {

std::string base64_encode(std::string_view bytes);
// nullopt for anything but well-formed, padded base64.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace bh::control

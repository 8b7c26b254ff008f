// SPDX-License-Identifier: GPL-2.0-only
// Memory sizes as people write them: "256M", "1G", "1.5G", "64KiB", "4096".
// Suffixes are binary (K = 1024) as for every memory size in Bulkhead; a
// bare number is bytes, like numfmt and docker, so "256" is 256 bytes and
// zoned refuses it as too small, suggesting "256M".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bh::control {

// nullopt for anything that is not a size or overflows 64 bits.
std::optional<std::uint64_t> parse_size(std::string_view text);
// The shortest exact form: 268435456 -> "256M", 1610612736 -> "1536M",
// 1073741824 -> "1G", 1000 -> "1000".
std::string format_size(std::uint64_t bytes);
// For people, rounded: "1.5 GiB", "256 MiB", "12 KiB", "100 B".
std::string human_size(std::uint64_t bytes);

} // namespace bh::control

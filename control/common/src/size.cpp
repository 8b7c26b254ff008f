// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/size.hpp>

#include <array>
#include <cctype>
#include <cstdio>

namespace bh::control {

namespace {

// Suffix letter -> shift; K M G T P E as powers of 1024.
int suffix_shift(char c) {
    switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default: return -1;
    }
}

} // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::size_t i = 0;
    std::uint64_t whole = 0;
    bool digits = false;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        if (whole > (UINT64_MAX - 9) / 10) return std::nullopt;
        whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
        digits = true;
    }
    // A fraction ("1.5G") is kept as numerator/denominator so that the
    // result is exact whenever it is a whole number of bytes.
    std::uint64_t frac = 0, frac_div = 1;
    if (i < text.size() && text[i] == '.') {
        if (!digits || i + 1 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1])))
            return std::nullopt; // "1." and ".5" are typos, not sizes
        ++i;
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            if (frac_div >= 1000000000000ULL) return std::nullopt; // 12 decimals are plenty
            frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
            frac_div *= 10;
            digits = true;
        }
    }
    if (!digits) return std::nullopt;
    int shift = 0;
    std::string_view rest = text.substr(i);
    if (!rest.empty()) {
        shift = suffix_shift(rest[0]);
        if (shift < 0) return std::nullopt;
        rest.remove_prefix(1);
        // Accept K, KB, KiB (all binary) and B alone.
        if (shift > 0 && (rest == "iB" || rest == "ib" || rest == "B" || rest == "b")) rest = {};
        if (!rest.empty()) return std::nullopt;
    }
    if (shift > 0 && whole > (UINT64_MAX >> shift)) return std::nullopt;
    std::uint64_t bytes = whole << shift;
    if (frac != 0) {
        // frac / frac_div of one unit; refuse fractions of a byte.
        unsigned __int128 part = (static_cast<unsigned __int128>(frac) << shift);
        if (part % frac_div != 0) return std::nullopt;
        part /= frac_div;
        if (part > UINT64_MAX - bytes) return std::nullopt;
        bytes += static_cast<std::uint64_t>(part);
    }
    return bytes;
}

std::string format_size(std::uint64_t bytes) {
    static constexpr std::array<char, 6> units{'E', 'P', 'T', 'G', 'M', 'K'};
    if (bytes == 0) return "0";
    for (std::size_t u = 0; u < units.size(); ++u) {
        int shift = 60 - 10 * static_cast<int>(u);
        std::uint64_t unit = 1ULL << shift;
        if (bytes % unit == 0) return std::to_string(bytes >> shift) + units[u];
    }
    return std::to_string(bytes);
}

std::string human_size(std::uint64_t bytes) {
    static constexpr std::array<const char*, 6> units{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    std::size_t u = 0;
    double value = static_cast<double>(bytes);
    while (value >= 1024.0 && u + 1 < units.size()) {
        value /= 1024.0;
        ++u;
    }
    char buf[32];
    if (u == 0 || value >= 100.0 || value == static_cast<double>(static_cast<std::uint64_t>(value)))
        std::snprintf(buf, sizeof buf, "%.0f %s", value, units[u]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", value, units[u]);
    return buf;
}

} // namespace bh::control

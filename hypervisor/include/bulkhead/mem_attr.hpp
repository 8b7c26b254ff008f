// SPDX-License-Identifier: GPL-2.0-only
// Architecture-neutral description of a mapping; each page-table format
// turns it into its own attribute bits.
#pragma once

namespace bh {

enum class MemType : unsigned char { normal, device };

struct MemAttr {
    MemType type = MemType::normal;
    bool read = true;
    bool write = true;
    bool exec = true;

    static constexpr MemAttr ram() { return {MemType::normal, true, true, true}; }
    static constexpr MemAttr ram_ro() { return {MemType::normal, true, false, true}; }
    static constexpr MemAttr device() { return {MemType::device, true, true, false}; }
    constexpr bool operator==(const MemAttr&) const = default;
};

} // namespace bh

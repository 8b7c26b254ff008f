// SPDX-License-Identifier: GPL-2.0-only
#include "stdin_stream.hpp"

namespace zone_init {

bool StreamDecoder::feed(std::string_view in, std::string& out) {
    for (const char ch : in) {
        if (ended_) break;
        const auto c = static_cast<unsigned char>(ch);
        if (!escaped_) {
            if (c == kStreamEscape)
                escaped_ = true;
            else
                out.push_back(ch);
            continue;
        }
        escaped_ = false;
        if (c == kStreamEscape)
            out.push_back(ch);
        else if (c == kStreamEnd)
            ended_ = true;
        // anything else: reserved, dropped
    }
    return ended_;
}

bool is_stream_mode(std::string_view mode) { return mode == "stream"; }

} // namespace zone_init

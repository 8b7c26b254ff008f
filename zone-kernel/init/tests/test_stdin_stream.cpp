// SPDX-License-Identifier: GPL-2.0-only
// Host tests of the stream framing zone-init's stdin relay decodes
// (stdin_stream.hpp; scripts/run-zone encodes it).
#include "stdin_stream.hpp"

#include <catch2/catch.hpp>

using namespace zone_init;
using namespace std::string_literals;

namespace {

// What the decoder makes of `in` fed in pieces of `chunk` bytes.
std::string decoded(const std::string& in, size_t chunk, bool* ended = nullptr) {
    StreamDecoder d;
    std::string out;
    for (size_t i = 0; i < in.size(); i += chunk) d.feed(std::string_view(in).substr(i, chunk), out);
    if (ended) *ended = d.ended();
    return out;
}

} // namespace

TEST_CASE("stream: data passes, the end marker ends it", "[zone-init][stdin]") {
    for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(64)}) {
        CAPTURE(chunk);
        bool ended = false;
        CHECK(decoded("data\n\xff\x04", chunk, &ended) == "data\n");
        CHECK(ended);
        CHECK(decoded("no end yet", chunk, &ended) == "no end yet");
        CHECK_FALSE(ended);
        // Every byte value, 0xff escaped; nothing after the end counts.
        std::string all, framed;
        for (int b = 0; b < 256; ++b) {
            all.push_back(static_cast<char>(b));
            framed.push_back(static_cast<char>(b));
            if (b == 0xff) framed.push_back(static_cast<char>(0xff));
        }
        CHECK(decoded(framed + "\xff\x04" + "after", chunk, &ended) == all);
        CHECK(ended);
        // Reserved escapes are dropped whole.
        CHECK(decoded("a\xff"
                      "b"
                      "c\xff\x00"
                      "d"s,
                      chunk) == "acd");
    }
}

TEST_CASE("stream: an empty stream is just the end", "[zone-init][stdin]") {
    StreamDecoder d;
    std::string out;
    CHECK(d.feed("\xff", out) == false);
    CHECK(d.feed("\x04", out) == true);
    CHECK(out.empty());
    CHECK(d.feed("more", out) == true);
    CHECK(out.empty());
}

TEST_CASE("stream: the mode's name", "[zone-init][stdin]") {
    CHECK(is_stream_mode("stream"));
    CHECK_FALSE(is_stream_mode("console"));
    CHECK_FALSE(is_stream_mode(""));
}

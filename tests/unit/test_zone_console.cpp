// SPDX-License-Identifier: GPL-2.0-only
// A zone's console output: long lines whole (or in pieces tools can join),
// UTF-8 through, everything that could drive the host's terminal replaced.
#include <bulkhead/zone_console.hpp>

#include <arch/console.hpp>

#include <string>
#include <vector>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

namespace {

std::string printed(Zone& z, const std::string& bytes) {
    arch::fake_console_clear();
    for (char c : bytes) z.console.write_byte(c);
    z.console.flush();
    return arch::fake_console_take();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

// What a tool does with the pieces of one zone's long line.
std::string joined(const std::vector<std::string>& lines, const std::string& zone) {
    std::string out;
    const std::string piece = "[" + zone + "]+ ", last = "[" + zone + "] ";
    for (const auto& l : lines) {
        if (l.rfind(piece, 0) == 0)
            out += l.substr(piece.size());
        else if (l.rfind(last, 0) == 0)
            out += l.substr(last.size());
    }
    return out;
}

std::string json_of(usize n) {
    std::string s = "{\"msg\":\"";
    while (s.size() < n - 2) s.push_back(static_cast<char>('a' + s.size() % 26));
    return s + "\"}";
}

} // namespace

TEST_CASE("zone console: a 300-character line comes out whole", "[console]") {
    FakeMachine m;
    Zone* z = m.create("json");
    const std::string line = json_of(300);
    CHECK(printed(*z, line + "\n") == "[json] " + line + "\n");
    CHECK(printed(*z, std::string(ZoneConsole::kLineMax, 'x') + "\n") ==
          "[json] " + std::string(ZoneConsole::kLineMax, 'x') + "\n");
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("zone console: longer lines come in pieces marked to continue", "[console]") {
    FakeMachine m;
    Zone* z = m.create("json");
    const std::string line = json_of(2 * ZoneConsole::kLineMax + 500);
    auto lines = lines_of(printed(*z, line + "\nnext\n"));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind("[json]+ ", 0) == 0);
    CHECK(lines[1].rfind("[json]+ ", 0) == 0);
    CHECK(lines[2].rfind("[json] ", 0) == 0);
    CHECK(lines[0].size() == 8 + ZoneConsole::kLineMax);
    CHECK(joined({lines[0], lines[1], lines[2]}, "json") == line);
    CHECK(lines[3] == "[json] next");
    // A partial line flushed at the zone's end is a complete one.
    lines = lines_of(printed(*z, std::string(ZoneConsole::kLineMax + 1, 'y')));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "[json] y");
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("zone console: UTF-8 passes, what could drive a terminal does not", "[console][security]") {
    FakeMachine m;
    Zone* z = m.create("text");
    CHECK(printed(*z, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\n") ==
          "[text] caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\n");
    CHECK(printed(*z, "esc \x1b[2J bell \x07 tab\tcr\r\n") == "[text] esc .[2J bell . tab\tcr\n");
    // C1 controls (CSI as one byte or as UTF-8), stray continuation bytes,
    // overlong forms, surrogates, beyond U+10FFFF, sequences cut short.
    CHECK(printed(*z, "a\x9b"
                      "b\xc2\x9b"
                      "c\x80"
                      "d\xc0\xaf"
                      "e\xed\xa0\x80"
                      "f\xf4\x90\x80\x80"
                      "g\xe2\x9c"
                      "h\n") == "[text] a.b..c.d..e...f....g..h\n");
    // A character is never cut between two pieces of a long line.
    const std::string head(ZoneConsole::kLineMax - 1, 'x');
    auto lines = lines_of(printed(*z, head + "\xe2\x9c\x93" + "\n"));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "[text]+ " + head);
    CHECK(lines[1] == "[text] \xe2\x9c\x93");
    REQUIRE(m.destroy(*z) == Status::ok);
}

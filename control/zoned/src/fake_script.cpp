// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/fake_script.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace bh::zoned::fake {

namespace {

using control::ExitReason;

constexpr std::size_t kSeqChunk = 4096; // numbers per output step
constexpr std::int64_t kSeqMax = 10'000'000;

std::optional<std::int64_t> integer(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

bool name_char(char c, bool first) {
    return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Expands the $ reference at s[i] (s[i] == '$'); advances i past it.
std::string expand_at(std::string_view s, std::size_t& i, const std::map<std::string, std::string>& env) {
    std::size_t start = i + 1;
    if (start < s.size() && s[start] == '$') {
        i = start + 1;
        return "1"; // $$: the workload is the zone's first process after init
    }
    std::string name;
    if (start < s.size() && s[start] == '{') {
        std::size_t close = s.find('}', start);
        if (close == std::string_view::npos) {
            i = s.size();
            return std::string(s.substr(i));
        }
        name = std::string(s.substr(start + 1, close - start - 1));
        i = close + 1;
    } else {
        std::size_t end = start;
        while (end < s.size() && name_char(s[end], end == start)) ++end;
        if (end == start) {
            i = start;
            return "$";
        }
        name = std::string(s.substr(start, end - start));
        i = end;
    }
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
}

} // namespace

std::optional<int> signal_number(std::string_view text) {
    if (auto n = integer(text); n && *n >= 1 && *n <= 64) return static_cast<int>(*n);
    if (text.substr(0, 3) == "SIG") text.remove_prefix(3);
    static constexpr std::array<std::pair<std::string_view, int>, 10> kNames{{
        {"HUP", 1},
        {"INT", 2},
        {"QUIT", 3},
        {"ABRT", 6},
        {"KILL", 9},
        {"USR1", 10},
        {"SEGV", 11},
        {"USR2", 12},
        {"PIPE", 13},
        {"TERM", 15},
    }};
    for (auto [name, number] : kNames)
        if (name == text) return number;
    return std::nullopt;
}

std::optional<std::vector<Statement>> parse_script(std::string_view s, const std::map<std::string, std::string>& env) {
    std::vector<Statement> out;
    Statement current;
    std::string word;
    bool in_word = false;
    auto end_word = [&] {
        if (in_word) current.push_back(word);
        word.clear();
        in_word = false;
    };
    auto end_statement = [&] {
        end_word();
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
    };
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        if (c == ';' || c == '\n') {
            end_statement();
            ++i;
        } else if (c == ' ' || c == '\t') {
            end_word();
            ++i;
        } else if (c == '\'') {
            std::size_t close = s.find('\'', i + 1);
            if (close == std::string_view::npos) return std::nullopt;
            word += s.substr(i + 1, close - i - 1);
            in_word = true;
            i = close + 1;
        } else if (c == '"') {
            in_word = true;
            ++i;
            for (;;) {
                if (i >= s.size()) return std::nullopt;
                if (s[i] == '"') {
                    ++i;
                    break;
                }
                if (s[i] == '\\' && i + 1 < s.size() && std::string_view("\"\\$").find(s[i + 1]) != std::string::npos) {
                    word += s[i + 1];
                    i += 2;
                } else if (s[i] == '$') {
                    word += expand_at(s, i, env);
                } else {
                    word += s[i++];
                }
            }
        } else if (c == '\\' && i + 1 < s.size()) {
            word += s[i + 1];
            in_word = true;
            i += 2;
        } else if (c == '$') {
            word += expand_at(s, i, env);
            in_word = true;
        } else {
            word += c;
            in_word = true;
            ++i;
        }
    }
    end_statement();
    return out;
}

Script::Script(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    for (const std::string& kv : env) {
        auto eq = kv.find('=');
        if (eq != std::string::npos) env_[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    if (argv.empty()) return;
    std::string base = argv[0].substr(argv[0].rfind('/') + 1);
    if ((base == "sh" || base == "bash" || base == "dash") && argv.size() >= 3 && argv[1] == "-c") {
        auto parsed = parse_script(argv[2], env_);
        if (!parsed) {
            ended_ = Step{Step::Kind::end, {}, {}, ZoneEnd{ExitReason::workload, 2}};
            statements_.push_back({"echo", "sh: syntax error: unterminated quoted string"});
            return;
        }
        statements_ = std::move(*parsed);
    } else {
        statements_.push_back(argv);
        statements_.back()[0] = base;
    }
}

Step Script::next() {
    for (;;) {
        if (auto chunk = seq_chunk()) return *chunk;
        if (pc_ >= statements_.size()) {
            if (!ended_)
                ended_ = Step{
                    Step::Kind::end, {}, {}, ZoneEnd{ExitReason::workload, static_cast<std::uint64_t>(last_status_)}};
            return *ended_;
        }
        if (auto step = run(statements_[pc_++])) return *step;
    }
}

std::optional<Step> Script::seq_chunk() {
    if (seq_next_ > seq_last_) return std::nullopt;
    std::string text;
    for (std::size_t n = 0; n < kSeqChunk && seq_next_ <= seq_last_; ++n) text += std::to_string(seq_next_++) + "\n";
    return Step{Step::Kind::output, std::move(text), {}, {}};
}

std::optional<Step> Script::run(const Statement& w) {
    auto output = [](std::string text) { return Step{Step::Kind::output, std::move(text), {}, {}}; };
    auto end = [this](ExitReason reason, std::uint64_t code) {
        ended_ = Step{Step::Kind::end, {}, {}, ZoneEnd{reason, code}};
        pc_ = statements_.size();
        return *ended_;
    };
    const std::string& cmd = w[0];
    int previous = last_status_; // what a bare `exit` returns
    last_status_ = 0;
    if (cmd == "echo") {
        bool newline = !(w.size() > 1 && w[1] == "-n");
        std::string text;
        for (std::size_t i = newline ? 1 : 2; i < w.size(); ++i) text += (text.empty() ? "" : " ") + w[i];
        return output(text + (newline ? "\n" : ""));
    }
    if (cmd == "true" || cmd == ":") return std::nullopt;
    if (cmd == "false") {
        last_status_ = 1;
        return std::nullopt;
    }
    if (cmd == "sleep") {
        if (w.size() > 1 && (w[1] == "infinity" || w[1] == "inf")) return Step{Step::Kind::sleep, {}, std::nullopt, {}};
        char* endp = nullptr;
        double secs = w.size() > 1 ? std::strtod(w[1].c_str(), &endp) : -1;
        if (w.size() < 2 || endp == w[1].c_str() || *endp != '\0' || secs < 0) {
            last_status_ = 1;
            return output("sleep: invalid number '" + (w.size() > 1 ? w[1] : std::string()) + "'\n");
        }
        return Step{Step::Kind::sleep, {}, secs, {}};
    }
    if (cmd == "exit") {
        if (w.size() < 2) return end(ExitReason::workload, static_cast<std::uint64_t>(previous));
        auto n = integer(w[1]);
        if (!n || *n < 0) {
            statements_.insert(statements_.begin() + static_cast<std::ptrdiff_t>(pc_), {"exit", "2"});
            return output("sh: exit: Illegal number: " + w[1] + "\n");
        }
        return end(ExitReason::workload, static_cast<std::uint64_t>(*n & 0xff));
    }
    if (cmd == "kill") {
        int sig = 15;
        if (w.size() > 1 && w[1].size() > 1 && w[1][0] == '-') {
            auto n = signal_number(std::string_view(w[1]).substr(1));
            if (!n) {
                last_status_ = 1;
                return output("sh: kill: " + w[1].substr(1) + ": invalid signal specification\n");
            }
            sig = *n;
        }
        return end(ExitReason::workload_signal, static_cast<std::uint64_t>(sig));
    }
    if (cmd == "cat") return Step{Step::Kind::echo_input, {}, {}, {}};
    if (cmd == "seq") {
        auto first = w.size() > 2 ? integer(w[1]) : std::optional<std::int64_t>(1);
        auto last = integer(w.size() > 2 ? w[2] : (w.size() > 1 ? w[1] : ""));
        if (!first || !last || *last - *first >= kSeqMax) {
            last_status_ = 1;
            return output("seq: invalid or too large a range\n");
        }
        seq_next_ = *first;
        seq_last_ = *last;
        return std::nullopt;
    }
    if (cmd == "env") {
        std::string text;
        for (const auto& [k, v] : env_) text += k + "=" + v + "\n";
        return output(text);
    }
    if (cmd == "poweroff") return end(ExitReason::psci_off, 0);
    if (cmd == "fake-crash") {
        end(ExitReason::psci_reset, 0);
        return output("Kernel panic - not syncing: fake-crash\n");
    }
    last_status_ = 127;
    return output("sh: " + cmd + ": not found\n");
}

} // namespace bh::zoned::fake

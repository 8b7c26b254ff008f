// SPDX-License-Identifier: GPL-2.0-only
#include "workload.hpp"

#include <cerrno>
#include <sys/wait.h>

namespace zone_init {

std::string dt_string(std::string_view raw) {
    const auto nul = raw.find('\0');
    return std::string(raw.substr(0, nul));
}

std::vector<std::string> dt_string_list(std::string_view raw) {
    std::vector<std::string> out;
    while (!raw.empty()) {
        const auto nul = raw.find('\0');
        if (nul == std::string_view::npos) {
            out.emplace_back(raw);
            break;
        }
        out.emplace_back(raw.substr(0, nul));
        raw.remove_prefix(nul + 1);
    }
    return out;
}

namespace {
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
} // namespace

std::optional<std::vector<std::string>> split_words(std::string_view text, std::string* error) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
        const char c = text[i];
        if (is_blank(c)) {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            ++i;
        } else if (c == '\'') {
            in_word = true;
            const auto end = text.find('\'', i + 1);
            if (end == std::string_view::npos) {
                if (error) *error = "unterminated single quote";
                return std::nullopt;
            }
            word.append(text.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (c == '"') {
            in_word = true;
            ++i;
            for (;;) {
                if (i >= n) {
                    if (error) *error = "unterminated double quote";
                    return std::nullopt;
                }
                const char d = text[i];
                if (d == '"') {
                    ++i;
                    break;
                }
                if (d == '\\' && i + 1 < n) {
                    const char e = text[i + 1];
                    if (e == '"' || e == '\\' || e == '$' || e == '`') {
                        word.push_back(e);
                        i += 2;
                        continue;
                    }
                    if (e == '\n') { // line continuation
                        i += 2;
                        continue;
                    }
                }
                word.push_back(d);
                ++i;
            }
        } else if (c == '\\') {
            in_word = true;
            if (i + 1 < n) {
                if (text[i + 1] != '\n') word.push_back(text[i + 1]);
                i += 2;
            } else {
                word.push_back('\\'); // a lone trailing backslash stays
                ++i;
            }
        } else {
            in_word = true;
            word.push_back(c);
            ++i;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

std::optional<CmdlineWorkload> parse_cmdline(std::string_view cmdline, std::string* error) {
    auto words = split_words(cmdline, error);
    if (!words) return std::nullopt;
    CmdlineWorkload w;
    constexpr std::string_view zone_key = "bulkhead.zone-name=";
    constexpr std::string_view stdin_key = "bulkhead.stdin=";
    constexpr std::string_view cwd_key = "bulkhead.cwd=";
    constexpr std::string_view env_key = "bulkhead.env=";
    constexpr std::string_view root_key = "bulkhead.root=";
    constexpr std::string_view root_mode_key = "bulkhead.root-mode=";
    for (size_t i = 0; i < words->size(); ++i) {
        std::string& word = (*words)[i];
        if (word == "--") {
            w.has_separator = true;
            for (size_t j = i + 1; j < words->size(); ++j) w.argv.push_back(std::move((*words)[j]));
            break;
        }
        if (word.starts_with(zone_key)) w.zone_name = word.substr(zone_key.size());
        if (word.starts_with(stdin_key)) w.stdin_mode = word.substr(stdin_key.size());
        if (word.starts_with(cwd_key)) w.cwd = word.substr(cwd_key.size());
        if (word.starts_with(env_key)) w.env.push_back(word.substr(env_key.size()));
        if (word.starts_with(root_key)) w.root = word.substr(root_key.size());
        if (word.starts_with(root_mode_key)) w.root_mode = word.substr(root_mode_key.size());
    }
    return w;
}

std::vector<std::string> default_environment() {
    return {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=/root",
        "TERM=linux",
    };
}

namespace {
std::string_view env_key(std::string_view entry) {
    const auto eq = entry.find('=');
    return eq == std::string_view::npos ? entry : entry.substr(0, eq);
}
} // namespace

std::vector<std::string> merge_environment(std::vector<std::string> base, const std::vector<std::string>& overrides) {
    for (const auto& entry : overrides) {
        const bool has_eq = entry.find('=') != std::string::npos;
        bool replaced = false;
        if (has_eq) {
            for (auto& b : base) {
                if (b.find('=') != std::string::npos && env_key(b) == env_key(entry)) {
                    b = entry;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) base.push_back(entry);
    }
    return base;
}

std::vector<std::string> zone_environment(std::vector<std::string> env, std::string_view zone, unsigned vcpus) {
    return merge_environment(std::move(env),
                             {"BULKHEAD_ZONE=" + std::string(zone), "BULKHEAD_VCPUS=" + std::to_string(vcpus)});
}

std::optional<unsigned> cpu_list_count(std::string_view list) {
    while (!list.empty() && (list.back() == '\n' || list.back() == '\0')) list.remove_suffix(1);
    if (list.empty()) return std::nullopt;
    // A decimal number at the front of s, consumed; nothing if none.
    auto number = [](std::string_view& s) -> std::optional<unsigned> {
        size_t i = 0;
        unsigned v = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 6) v = v * 10 + unsigned(s[i++] - '0');
        if (i == 0 || (i < s.size() && s[i] >= '0' && s[i] <= '9')) return std::nullopt;
        s.remove_prefix(i);
        return v;
    };
    unsigned count = 0;
    for (;;) {
        const auto first = number(list);
        if (!first) return std::nullopt;
        unsigned last = *first;
        if (!list.empty() && list.front() == '-') {
            list.remove_prefix(1);
            const auto l = number(list);
            if (!l || *l < *first) return std::nullopt;
            last = *l;
        }
        count += last - *first + 1;
        if (list.empty()) return count;
        if (list.front() != ',') return std::nullopt;
        list.remove_prefix(1);
    }
}

std::optional<std::string> env_lookup(const std::vector<std::string>& env, std::string_view key) {
    for (const auto& e : env) {
        const auto eq = e.find('=');
        if (eq != std::string::npos && std::string_view(e).substr(0, eq) == key) return e.substr(eq + 1);
    }
    return std::nullopt;
}

std::vector<std::string> exec_candidates(std::string_view cmd, std::string_view path) {
    if (cmd.empty()) return {};
    if (cmd.find('/') != std::string_view::npos) return {std::string(cmd)};
    std::vector<std::string> out;
    for (;;) {
        const auto colon = path.find(':');
        std::string_view dir = path.substr(0, colon);
        std::string candidate = dir.empty() ? std::string(".") : std::string(dir);
        if (candidate.back() != '/') candidate.push_back('/');
        candidate.append(cmd);
        out.push_back(std::move(candidate));
        if (colon == std::string_view::npos) break;
        path.remove_prefix(colon + 1);
    }
    return out;
}

int exec_failure_status(int err) {
    switch (err) {
    case EACCES:
    case EPERM:
    case ENOEXEC:
    case EISDIR: return 126;
    default: return 127;
    }
}

std::string format_exit_status_record(int status) { return "BULKHEAD-EXIT status=" + std::to_string(status); }

std::string format_exit_record(int wait_status) {
    if (WIFSIGNALED(wait_status)) return "BULKHEAD-EXIT signal=" + std::to_string(WTERMSIG(wait_status));
    if (WIFEXITED(wait_status)) return format_exit_status_record(WEXITSTATUS(wait_status));
    // Stopped/continued are never reported by the waits zone-init does.
    return format_exit_status_record(127);
}

std::string format_cannot_run(std::string_view cmd, std::string_view detail) {
    std::string s = "zone-init: cannot run '";
    s.append(cmd);
    s.append("': ");
    s.append(detail);
    return s;
}

} // namespace zone_init

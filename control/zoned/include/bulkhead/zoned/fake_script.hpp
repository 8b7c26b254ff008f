// SPDX-License-Identifier: GPL-2.0-only
// What a fake zone runs: the workload of `zonectl launch NAME -- COMMAND`
// interpreted as a very small shell, so that tests (and people trying
// zoned on a host) script zones the way they would write them for a real
// one: `sh -c 'echo hi; exit 3'`. Nothing is executed on the host.
//
// `sh -c SCRIPT` (or /bin/sh, bash) runs SCRIPT; any other command line is
// one statement. Statements are separated by ';' or newlines; words by
// blanks, with '...', "..." and backslash quoting; $NAME and ${NAME}
// expand from the zone's environment (not inside '...'), $$ is 1.
//
//   echo [-n] WORDS    prints WORDS
//   sleep SECONDS      waits (fractions allowed; "infinity": until stopped)
//   exit [N]           the workload exits with N (default: the last status)
//   kill -N|-NAME ...  the workload dies of signal N (e.g. kill -9 $$)
//   cat                echoes console input until Ctrl-D (byte 4)
//   seq [FIRST] LAST   prints the numbers, one a line
//   env                prints the environment
//   true, :, false     status 0, 0, 1
//   poweroff           the zone powers off without a status (PSCI_OFF)
//   fake-crash         the zone's kernel panics (crashed, PSCI_RESET)
//   anything else      "sh: NAME: not found", status 127
//
// The script ends with the last statement's status, as sh does.
#pragma once

#include <bulkhead/control/zone_types.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bh::zoned::fake {

struct ZoneEnd {
    control::ExitReason reason = control::ExitReason::workload;
    std::uint64_t code = 0;
};

struct Step {
    enum class Kind { output, sleep, echo_input, end };
    Kind kind = Kind::end;
    std::string text;              // output
    std::optional<double> seconds; // sleep; nullopt: forever
    ZoneEnd end;                   // end
};

using Statement = std::vector<std::string>;

// Splits and expands a script; nullopt for an unterminated quote.
std::optional<std::vector<Statement>> parse_script(std::string_view script,
                                                   const std::map<std::string, std::string>& env);

class Script {
  public:
    Script(const std::vector<std::string>& argv, const std::vector<std::string>& env);
    // The next thing the zone does; after an end, always that end.
    Step next();

  private:
    std::optional<Step> run(const Statement& words);
    std::optional<Step> seq_chunk();

    std::vector<Statement> statements_;
    std::size_t pc_ = 0;
    int last_status_ = 0;
    std::map<std::string, std::string> env_;
    std::optional<Step> ended_;
    std::int64_t seq_next_ = 0, seq_last_ = -1; // a seq being printed
};

// "9", "KILL", "SIGKILL" -> 9; nullopt for anything else.
std::optional<int> signal_number(std::string_view text);

} // namespace bh::zoned::fake

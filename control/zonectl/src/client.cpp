// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/client.hpp>
#include <bulkhead/zonectl/exit_codes.hpp>

namespace bh::zonectl {

control::MessageConnection connect_to_zoned(const std::string& socket_path) {
    try {
        return control::MessageConnection::connect(socket_path);
    } catch (const std::system_error& e) {
        // zoned's socket is for root and its group (0660): for anyone else the hint
        // is whom to run as, not whether zoned runs.
        if (e.code() == std::errc::permission_denied || e.code() == std::errc::operation_not_permitted)
            throw CommandError(Exit::unreachable, "zoned at " + socket_path + " refuses this user (" +
                                                      e.code().message() +
                                                      "): run zonectl as root or as a member of zoned's group");
        throw CommandError(Exit::unreachable, "cannot reach zoned at " + socket_path + " (" + e.code().message() +
                                                  "): is zoned running? Give its socket with --socket or " +
                                                  kSocketEnv);
    }
}

control::json ask_zoned(const std::string& socket_path, const control::json& request, std::span<const int> fds) {
    control::MessageConnection connection = connect_to_zoned(socket_path);
    return connection.request(request, fds);
}

} // namespace bh::zonectl

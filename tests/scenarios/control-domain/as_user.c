// SPDX-License-Identifier: GPL-2.0-only
// as-user UID COMMAND [ARG...]: runs COMMAND as user and group UID with no
// supplementary groups, for the node tests' "an unprivileged process in
// the control domain" (its busybox has no su or chpst). Static, arm64.
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: as-user UID COMMAND [ARG...]\n");
        return 2;
    }
    const long id = strtol(argv[1], NULL, 10);
    if (setgroups(0, NULL) < 0 || setgid((gid_t)id) < 0 || setuid((uid_t)id) < 0) {
        perror("as-user: cannot become that user");
        return 2;
    }
    execvp(argv[2], argv + 2);
    perror("as-user: exec");
    return 127;
}

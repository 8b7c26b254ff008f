# SPDX-License-Identifier: GPL-2.0-only
# Host toolchain: unit tests against the fake arch, and the test orchestration.
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)

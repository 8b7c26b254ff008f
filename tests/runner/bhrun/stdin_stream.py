# SPDX-License-Identifier: GPL-2.0-only
"""Standard input for a zone whose workload has `stdin = "stream"`: the
framing zone init's relay decodes (zone-kernel/init/stdin_stream.hpp), so
that any bytes, and the end of input, cross the serial console:

    0xff 0xff  a data byte 0xff;   0xff 0x04  end of input"""
ESCAPE = 0xff
END = bytes([ESCAPE, 0x04])


def encode(data: bytes) -> bytes:
    return data.replace(b"\xff", b"\xff\xff")

# SPDX-License-Identifier: GPL-2.0-only
"""Damaged copies of manifests for the boot-time rejection tests."""
import os


def truncated_copy(src: str, spec: str, directory: str) -> str:
    """Copies src cut to spec bytes ("123") or percent of its size ("50%")."""
    data = open(src, "rb").read()
    if spec.endswith("%"):
        size = len(data) * int(spec[:-1]) // 100
    else:
        size = int(spec, 0)
    if not 0 <= size < len(data):
        raise ValueError(f"--truncate-manifest {spec}: {src} has {len(data)} bytes")
    dst = os.path.join(directory, os.path.basename(src) + f".truncated-{size}")
    with open(dst, "wb") as f:
        f.write(data[:size])
    return dst

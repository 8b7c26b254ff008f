#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Writes the virtio fuzzers' seed corpora (seeds/*.bin for the console,
# seeds-block/*.bin for the block device): a few well-formed driver
# sessions in the fuzzers' step format (fuzz_steps.hpp), from which
# libFuzzer mutates its way into every corner. Rerun after changing the
# step format: python3 control/virtio/fuzz/make-seeds.py
import os
import struct

BASE = 0x4000_0000
MMIO_WRITE, MMIO_READ, MEMORY_WRITE, DOORBELL, RUN, INPUT, RESIZE, BRING_UP = range(8)
STORE_FAILS, CONFIG_READ = INPUT, RESIZE  # the block fuzzer's own steps
NEXT, WRITE, INDIRECT = 1, 2, 4
EVENT_IDX, INDIRECT_DESC = 1 << 29, 1 << 28
QUEUE_LOG2 = 4  # 16 entries
# Offsets in the fuzzer's 8 KiB of guest RAM.
RX = dict(desc=0x000, avail=0x100, used=0x200)
TX = dict(desc=0x400, avail=0x500, used=0x600)
TABLE, BUF = 0x800, 0x1000


def bring_up(features, queues=(RX, TX)):
    out = bytes([BRING_UP]) + struct.pack('<I', features)
    for q in queues:
        out += struct.pack('<BHHH', QUEUE_LOG2, q['desc'], q['avail'], q['used'])
    return out


def mem(offset, data):
    return bytes([MEMORY_WRITE]) + struct.pack('<HB', offset, len(data)) + data


def desc(table, i, addr, length, flags=0, nxt=0):
    return mem(table + 16 * i, struct.pack('<QIHH', BASE + addr, length, flags, nxt))


def avail(q, heads, used_event=None):
    data = struct.pack('<HH', 0, len(heads)) + b''.join(struct.pack('<H', h) for h in heads)
    out = mem(q['avail'], data)
    if used_event is not None:
        out += mem(q['avail'] + 4 + 2 * (1 << QUEUE_LOG2), struct.pack('<H', used_event))
    return out


def doorbell(q):
    return bytes([DOORBELL, 0, q])


def run(us=1000):
    return bytes([RUN]) + struct.pack('<H', us)


WIDTH = {4: 0, 1: 2, 2: 3, 8: 4, 3: 5}  # the fuzzer's width(): kWidths[v % 6]


def mmio_write(offset, value, width=4):
    return bytes([MMIO_WRITE]) + struct.pack('<HBI', offset, WIDTH[width], value)


def mmio_read(offset, width=4):
    return bytes([MMIO_READ]) + struct.pack('<HB', offset, WIDTH[width])


SEEDS = {
    'transmit': bring_up(EVENT_IDX | INDIRECT_DESC) + mem(BUF, b'hello') + desc(TX['desc'], 0, BUF, 5)
    + avail(TX, [0]) + doorbell(1) + run(),
    'receive': bring_up(0) + bytes([INPUT, 5]) + b'typed' + desc(RX['desc'], 0, BUF, 16, WRITE)
    + avail(RX, [0]) + doorbell(0) + run(),
    'indirect': bring_up(INDIRECT_DESC) + desc(TX['desc'], 0, TABLE, 32, INDIRECT)
    + desc(TABLE, 0, BUF, 3, NEXT, 1) + desc(TABLE, 1, BUF + 0x10, 3) + avail(TX, [0]) + doorbell(1) + run(),
    'chain-loop': bring_up(0) + desc(TX['desc'], 0, BUF, 4, NEXT, 1) + desc(TX['desc'], 1, BUF, 4, NEXT, 0)
    + avail(TX, [0]) + doorbell(1) + run() + mmio_write(0x70, 0) + bring_up(0),
    'event-idx': bring_up(EVENT_IDX) + b''.join(desc(TX['desc'], i, BUF + 0x10 * i, 8) for i in range(4))
    + avail(TX, [0, 1, 2, 3], used_event=2) + doorbell(1) + run() + run(50000) + doorbell(1) + run(),
    'registers': b''.join(mmio_read(off) for off in range(0, 0x100, 4))
    + b''.join(mmio_read(0x100 + off, w) for off, w in ((0, 2), (2, 2), (4, 4), (8, 4), (1, 2), (0, 1), (0, 8)))
    + mmio_write(0x108, ord('!')) + bytes([RESIZE]) + struct.pack('<HH', 100, 40),
}

# The block device: one request queue (RX's place); a request's header at
# BUF, its data at BUF + 0x100, its status byte at BUF + 0x400.
BLK_IN, BLK_OUT, BLK_FLUSH, BLK_GET_ID, BLK_DISCARD, BLK_WRITE_ZEROES = 0, 1, 4, 8, 11, 13
HDR, DATA, STATUS = BUF, BUF + 0x100, BUF + 0x400


def blk_request(kind, sector, data_len=512, data_flags=0, payload=b'', status=True):
    out = mem(HDR, struct.pack('<IIQ', kind, 0, sector))
    descs = [(HDR, 16, 0)]
    if payload:
        out += mem(DATA, payload)
        descs.append((DATA, len(payload), 0))
    elif data_len:
        descs.append((DATA, data_len, data_flags))
    if status:
        descs.append((STATUS, 1, WRITE))
    for i, (addr, length, flags) in enumerate(descs):
        last = i == len(descs) - 1
        out += desc(RX['desc'], i, addr, length, flags | (0 if last else NEXT), 0 if last else i + 1)
    return out + avail(RX, [0]) + doorbell(0) + run()


def blk(sectors, read_only, request):
    # The fuzzer's disk has (first byte % 64) + 1 sectors.
    return bytes([sectors - 1, 1 if read_only else 0]) + bring_up(0, (RX,)) + request


def segment(sector, count):
    return struct.pack('<QII', sector, count, 0)


BLOCK_SEEDS = {
    'read': blk(8, False, blk_request(BLK_IN, 1, data_flags=WRITE)),
    'write': blk(8, False, blk_request(BLK_OUT, 2)),
    'flush': blk(8, False, blk_request(BLK_FLUSH, 0, data_len=0)),
    'get-id': blk(8, False, blk_request(BLK_GET_ID, 0, data_len=20, data_flags=WRITE)),
    'discard': blk(8, False, blk_request(BLK_DISCARD, 0, payload=segment(1, 2))),
    'write-zeroes': blk(8, False, blk_request(BLK_WRITE_ZEROES, 0, payload=segment(3, 4))),
    'read-only-write': blk(8, True, blk_request(BLK_OUT, 0)),
    'out-of-range': blk(8, False, blk_request(BLK_IN, 1000, data_flags=WRITE)),
    # The edges of an 8-sector disk: the last sector, one past it, and a
    # read that straddles the end.
    'last-sector': blk(8, False, blk_request(BLK_IN, 7, data_flags=WRITE)),
    'past-end': blk(8, False, blk_request(BLK_OUT, 8)),
    'straddles-end': blk(8, False, blk_request(BLK_IN, 7, data_len=1024, data_flags=WRITE)),
    'discard-past-end': blk(8, False, blk_request(BLK_DISCARD, 0, payload=segment(6, 3))),
    'no-status': blk(8, False, blk_request(BLK_IN, 0, data_flags=WRITE, status=False)),
    'store-fails': blk(8, False, bytes([STORE_FAILS, 3]) + blk_request(BLK_OUT, 1)),
    'config': blk(8, False, b''.join(bytes([CONFIG_READ, w, off]) for off, w in ((0, 4), (4, 4), (0, 4), (20, 3)))),
}

if __name__ == '__main__':
    fuzz = os.path.dirname(os.path.abspath(__file__))
    for directory, seeds in (('seeds', SEEDS), ('seeds-block', BLOCK_SEEDS)):
        here = os.path.join(fuzz, directory)
        os.makedirs(here, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(here, name + '.bin'), 'wb') as f:
                f.write(data)

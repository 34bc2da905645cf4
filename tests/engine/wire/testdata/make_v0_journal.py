#!/usr/bin/env python3
"""Records v0_input.journal from v0_input.jsonl with the revision-0 schema (messages_v0.fbs).

This is how the checked-in old journal was made; it does not run in the build. It uses flatc for
the FlatBuffers encoding (as a revision-0 build's encoder would lay tables out differently from
the current one, which is part of what the test covers) and writes the journal format of
engine/journal/format.h by hand: a 64-byte header, then 8-byte-aligned frames of
(u32 length, u32 CRC-32C of length bytes + payload, payload, zero padding).

Usage: make_v0_journal.py [OUT]   (run from this directory; default OUT v0_input.journal)
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "messages_v0.fbs")
INPUT = os.path.join(HERE, "v0_input.jsonl")


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def header(schema_hash, created_ns, version):
    body = b"CSCDJRNL" + struct.pack("<HHIQq", 1, 1, 64, schema_hash, created_ns)
    body += version.encode().ljust(24, b"\0") + struct.pack("<I", 0)
    return body + struct.pack("<I", crc32c(body))


def frame(payload):
    length = struct.pack("<I", len(payload))
    crc = crc32c(length + payload)
    out = length + struct.pack("<I", crc) + payload
    return out + b"\0" * (-len(out) % 8)


def encode(line, workdir):
    src = os.path.join(workdir, "line.json")
    with open(src, "w") as f:
        f.write(line)
    subprocess.run(["flatc", "-b", "--size-prefixed", "-o", workdir, SCHEMA, src], check=True)
    with open(os.path.join(workdir, "line.bin"), "rb") as f:
        return f.read()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "v0_input.journal")
    with open(SCHEMA, "rb") as f:
        schema_hash = fnv1a64(f.read())
    data = header(schema_hash, 1340280000000000000, "0.0.0-rev0")
    with tempfile.TemporaryDirectory() as workdir, open(INPUT) as lines:
        for line in lines:
            if line.strip():
                data += frame(encode(line, workdir))
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()

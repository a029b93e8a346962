#!/usr/bin/env python3
# bigframe.py ROWS: a TMT stream of one deflate frame of ROWS x 8 zero F64
# (ROWS*64 bytes decoded, about 1/1000 of it stored) and its end frame,
# written by hand from tm-tensor(5), for t1006.
import json, struct, sys, zlib
def crc(*parts):
    c = 0
    for p in parts: c = zlib.crc32(p, c)
    return c & 0xffffffff
def frame(hdr, body):
    h = json.dumps(hdr, separators=(',', ':')).encode()
    h += b' ' * ((64 - (32 + len(h)) % 64) % 64)
    pad = b'\0' * ((64 - len(body) % 64) % 64)
    lead = b'\x89TMT\r\n\x1a\n' + bytes([1, 0]) + b'\0\0' + struct.pack('<IQ', len(h), len(body))
    return lead + struct.pack('<II', crc(lead, h), crc(body, pad)) + h + body + pad
rows = int(sys.argv[1])
n = rows * 8 * 8
co = zlib.compressobj(9)
chunk = b'\0' * (1 << 24)
parts = []
left = n
while left:
    k = min(left, len(chunk)); parts.append(co.compress(chunk[:k])); left -= k
parts.append(co.flush())
body = b''.join(parts)
hdr = {"axes": ["row", "field"], "coords": {"date": "2024-01-02"}, "dtype": "F64",
       "encoding": "deflate", "nbytes": n, "seq": 0, "shape": [rows, 8]}
out = sys.stdout.buffer
out.write(frame(hdr, body))
out.write(frame({"end": True, "frames": 1}, b''))

"""tmt_damage.py - frame arithmetic for the tests that damage TMT files
(t0200-corrupt, t1009-tm-cat-mmap); standard library only, so it runs
under any python3 (tmt_np needs numpy).

  bounds = frame_bounds(data)   [(start, end)] of every frame
  frame_of(bounds, i)           the (start, end) holding byte offset i
  recrc(b, bounds, i)           b (a bytearray) with the CRCs of the frame
                                holding i recomputed, so a flip gets past
                                the CRC check to the parsers behind it
"""
import struct
import zlib


def frame_bounds(data):
    """The (start, end) of each frame: lead 32, header, payload padded
    to 64, as tm-tensor(5) lays them out."""
    bounds, off = [], 0
    while off < len(data):
        hlen, plen = struct.unpack_from("<IQ", data, off + 12)
        end = off + 32 + hlen + plen + (-plen % 64)
        bounds.append((off, end))
        off = end
    return bounds


def frame_of(bounds, i):
    return next((s, e) for s, e in bounds if s <= i < e)


def recrc(b, bounds, i):
    s, _ = frame_of(bounds, i)
    hlen, plen = struct.unpack_from("<IQ", b, s + 12)
    if hlen + s + 32 > len(b) or plen > len(b):
        return b	# the flip made the lengths absurd: leave as is
    h = zlib.crc32(b[s + 32:s + 32 + hlen], zlib.crc32(b[s:s + 24]))
    body = b[s + 32 + hlen:s + 32 + hlen + plen + (-plen % 64)]
    struct.pack_into("<II", b, s + 24, h, zlib.crc32(body))
    return b

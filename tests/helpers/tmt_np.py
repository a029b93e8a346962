#!/usr/bin/python3
"""tmt_np.py - an independent TMT 1.0 reader and writer (numpy + stdlib).

It shares no code with libcommon, so a test that round-trips a stream
through it and through tmt-fixture checks the C code against tm-tensor(5)
rather than against itself.  Run it with Debian's /usr/bin/python3 (the one
with numpy).

    tmt_np.py write-fixture >f.tmt   the interop fixture, written in Python
    tmt_np.py check-fixture <f.tmt   read f.tmt, compare with the literals
    tmt_np.py dump <f.tmt            one line per frame: header, then values
    tmt_np.py read <f.tmt            check a stream; exit 65 "byte N: why"

The reader is strict like libcommon's: magic, version, flags, lengths,
both CRCs, zero padding, seq and the end frame's count are all checked.
"""
import json
import struct
import sys
import zlib

import numpy as np

MAGIC = b"\x89TMT\r\n\x1a\n"
LEAD = struct.Struct("<8sBBHIQII")
ALIGN = 64
MAX_HLEN = 16 << 20
MAX_NBYTES = 1 << 32
MAX_LABEL = 256
MAXDIM = 8
DT = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8", "U8": "u1"}
DTNAME = {np.dtype(v): k for k, v in DT.items()}


class TMTError(Exception):
    def __init__(self, off, msg):
        super().__init__("byte %d: %s" % (off, msg))
        self.off = off


# ------------------------------------------------------------ canonical JSON
# Byte-identical to jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS):
# keys sorted by UTF-8 bytes (= code point order), non-ASCII raw, the short
# escapes for " \ \b \f \n \r \t, \u00XX (upper-case hex) for other control
# characters, '/' unescaped; reals as "%.17g" with ".0" added to integral
# values and the exponent's '+' and leading zeros dropped.  Python's json
# module differs on the last two (lower-case hex, shortest reals).

_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
        "\r": "\\r", "\t": "\\t"}


def _jstr(s):
    out = ['"']
    for ch in s:
        if ch in _ESC:
            out.append(_ESC[ch])
        elif ch < " ":
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _jreal(v):
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError("JSON has no NaN or infinity")
    s = "%.17g" % v
    if not any(c in s for c in ".eE"):
        s += ".0"
    if "e" in s:
        mant, exp = s.split("e")
        neg = exp.startswith("-")
        exp = exp.lstrip("+-").lstrip("0") or "0"
        s = mant + "e" + ("-" if neg else "") + exp
    return s


def canon(v):
    """The canonical (jansson) text of a JSON value."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return _jreal(float(v))
    if isinstance(v, str):
        return _jstr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-8"))
        return "{" + ",".join(_jstr(k) + ":" + canon(v[k]) for k in keys) + "}"
    raise TypeError("cannot encode %r" % (v,))


# ------------------------------------------------------------------ writing

class Writer:
    """Writes frames to a binary file; end() writes the end frame."""

    def __init__(self, f):
        self.f = f
        self.seq = 0

    def _emit(self, hdr, pay):
        js = canon(hdr).encode("utf-8")
        hlen = len(js) + 1
        hlen += -(LEAD.size + hlen) % ALIGN
        head = js + b" " * (hlen - len(js) - 1) + b"\n"
        pad = b"\0" * (-len(pay) % ALIGN)
        lead24 = MAGIC + struct.pack("<BBHIQ", 1, 0, 0, hlen, len(pay))
        hcrc = zlib.crc32(head, zlib.crc32(lead24))
        bcrc = zlib.crc32(pad, zlib.crc32(pay))
        self.f.write(lead24 + struct.pack("<II", hcrc, bcrc) + head + pay + pad)

    def frame(self, arr, axes, labels=None, coords=None, meta=None,
              encoding="raw"):
        a = np.asarray(arr)
        name = DTNAME.get(a.dtype.newbyteorder("<"))
        if name is None:
            raise ValueError("dtype %s has no TMT name" % a.dtype)
        if len(axes) != a.ndim:
            raise ValueError("one axis name per dimension")
        raw = np.ascontiguousarray(a, dtype=DT[name]).tobytes()
        # The same keys libcommon writes: labels always, coords when given,
        # meta when not empty.
        hdr = {"dtype": name, "shape": list(a.shape), "axes": list(axes),
               "labels": dict(labels or {}), "encoding": encoding,
               "nbytes": len(raw), "seq": self.seq}
        if coords is not None:
            hdr["coords"] = coords
        if meta:
            hdr["meta"] = meta
        if encoding == "deflate":
            pay = zlib.compress(raw, 1)	# = compress2(..., TM_DEFLATE_LEVEL = 1)
        elif encoding == "raw":
            pay = raw
        else:
            raise ValueError("unknown encoding %r" % encoding)
        self._emit(hdr, pay)
        self.seq += 1

    def end(self):
        self._emit({"end": True, "frames": self.seq}, b"")
        self.f.flush()


# ------------------------------------------------------------------ reading

def _readn(f, n):
    """Read exactly n bytes or fewer at EOF, from a pipe too."""
    parts, got = [], 0
    while got < n:
        b = f.read(n - got)
        if not b:
            break
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def frames(f):
    """Yield (header, array) for each data frame; segments are joined.

    Raises TMTError naming the byte offset of the first problem.
    """
    off, seq = 0, 0		# seq None: just after an end frame
    while True:
        start = off
        lead = _readn(f, LEAD.size)
        off += len(lead)
        if not lead:
            if seq is None:
                return
            raise TMTError(off, "empty stream" if start == 0 else
                           "truncated stream: no end frame")
        if seq is None:
            seq = 0
        if len(lead) < LEAD.size:
            raise TMTError(off, "truncated frame lead")
        magic, major, _minor, flags, hlen, plen, hcrc, bcrc = LEAD.unpack(lead)
        if magic != MAGIC:
            raise TMTError(start, "bad magic")
        if major != 1:
            raise TMTError(start + 8, "unsupported major version %d" % major)
        if flags:
            raise TMTError(start + 10, "reserved flags set")
        if hlen == 0 or hlen > MAX_HLEN or (LEAD.size + hlen) % ALIGN:
            raise TMTError(start + 12, "bad header length %d" % hlen)
        head = _readn(f, hlen)
        off += len(head)
        if len(head) < hlen:
            raise TMTError(off, "truncated frame header")
        if zlib.crc32(head, zlib.crc32(lead[:24])) != hcrc:
            raise TMTError(start + 24, "header CRC mismatch")
        try:
            h = json.loads(head.decode("utf-8"))
        except ValueError as e:
            raise TMTError(start + 32, "bad header JSON: %s" % e)
        if not isinstance(h, dict):
            raise TMTError(start + 32, "header is not an object")
        pad = -plen % ALIGN
        if h.get("end") is True:
            if plen:
                raise TMTError(start + 16, "end frame with a payload")
            if h.get("frames") != seq:
                raise TMTError(start + 32, "end frame counts %r frames, "
                               "stream has %d" % (h.get("frames"), seq))
            if bcrc:
                raise TMTError(start + 28, "body CRC mismatch")
            seq = None
            continue
        nbytes = _check_header(h, seq, start + 32)
        bound = nbytes + (nbytes >> 12) + (nbytes >> 14) + (nbytes >> 25) + 13
        if (h["encoding"] == "raw" and plen != nbytes) or plen > bound or \
                (h["encoding"] == "deflate" and nbytes > plen * 1032 + 1024):
            raise TMTError(start + 16, "payload length %d does not fit "
                           "nbytes %d" % (plen, nbytes))
        body = _readn(f, plen + pad)
        off += len(body)
        if len(body) < plen + pad:
            raise TMTError(off, "truncated payload")
        if zlib.crc32(body) != bcrc:
            raise TMTError(start + 28, "body CRC mismatch")
        if body[plen:].strip(b"\0"):
            raise TMTError(start + 32 + hlen + plen, "non-zero padding")
        raw = body[:plen]
        if h["encoding"] == "deflate":
            try:
                d = zlib.decompressobj()
                raw = d.decompress(raw, nbytes + 1)
                if not d.eof or d.unused_data:
                    raise zlib.error("stream not whole")
            except zlib.error:
                raise TMTError(start + 32 + hlen, "deflate payload does not "
                               "inflate to %d bytes" % nbytes)
        if len(raw) != nbytes:
            raise TMTError(start + 32 + hlen, "size mismatch")
        seq += 1
        yield h, np.frombuffer(raw, DT[h["dtype"]]).reshape(h["shape"])


def _check_header(h, seq, at):
    if h.get("dtype") not in DT:
        raise TMTError(at, "unknown or missing dtype")
    shape, axes = h.get("shape"), h.get("axes")
    if not isinstance(shape, list) or not isinstance(axes, list) or \
            len(shape) > MAXDIM or len(axes) != len(shape) or \
            not all(type(n) is int and n >= 0 for n in shape) or \
            not all(isinstance(a, str) for a in axes) or \
            len(set(axes)) != len(axes):
        raise TMTError(at, "bad shape or axes")
    nbytes = int(np.prod(shape, dtype=object)) * np.dtype(DT[h["dtype"]]).itemsize
    if nbytes > MAX_NBYTES or h.get("nbytes") != nbytes:
        raise TMTError(at, "nbytes does not match shape")
    if h.get("encoding") not in ("raw", "deflate"):
        raise TMTError(at, "unknown encoding")
    if h.get("seq") != seq:
        raise TMTError(at, "frame out of sequence (expected seq %d)" % seq)
    labels = h.get("labels", {})
    if not isinstance(labels, dict):
        raise TMTError(at, "labels is not an object")
    for ax, n in zip(axes, shape):
        lab = labels.get(ax)
        if lab is None:
            continue
        if not isinstance(lab, list) or len(lab) != n or \
                not all(isinstance(s, str) and len(s.encode()) <= MAX_LABEL
                        for s in lab):
            raise TMTError(at, "bad labels of axis '%s'" % ax)
    for k in ("coords", "meta"):
        if k in h and not isinstance(h[k], dict):
            raise TMTError(at, "%s is not an object" % k)
    return nbytes


# ------------------------------------------------------------------ fixture
# The same frames as tests/helpers/tmt-fixture.c, as Python literals.

NAN, INF = float("nan"), float("inf")
TICKERS = ["AAPL", "BRK-B", "ZÜRICH"]
FIXTURE = [
    dict(arr=np.array([[189.5, 5.25e7], [NAN, NAN], [-0.125, 3.4028235e38]],
                      dtype="<f4"),
         axes=["ticker", "field"],
         labels={"ticker": TICKERS, "field": ["close", "volume"]},
         coords={"date": "2024-06-03"},
         meta={"producer": "tmt-fixture",
               "note": "tab\there \"quoted\" back\\slash /é€ \x1f"},
         encoding="raw"),
    dict(arr=np.array([[0.1, -0.0, NAN], [1e300, 5e-324, -2.5],
                       [INF, 4, 1]], dtype="<f8"),
         axes=["ticker", "field"],
         labels={"ticker": TICKERS, "field": ["open", "close", "split"]},
         coords={"date": "2024-06-04", "day": 19878, "turbulence": 0.1},
         meta=None, encoding="deflate"),
    dict(arr=np.array([[0, -1], [2**31 - 1, -2**31]], dtype="<i4"),
         axes=["slot", "field"], labels={"slot": ["", "MSFT"]},
         coords={"date": "2024-06-05"}, meta=None, encoding="raw"),
    dict(arr=np.array([0, 1, 2, 255], dtype="u1"), axes=["region"],
         labels={}, coords=None, meta=None, encoding="raw"),
    dict(arr=np.array([[[-2**63, -1]], [[2**53 + 1, 2**63 - 1]]], dtype="<i8"),
         axes=["a", "b", "c"], labels={}, coords={"date": "2024-06-06"},
         meta=None, encoding="deflate"),
]


def write_fixture(out):
    w = Writer(out)
    for fr in FIXTURE:
        w.frame(**fr)
    w.end()


def check_fixture(f):
    """Compare a stream with FIXTURE; returns a list of differences."""
    got = list(frames(f))
    errs = []
    if len(got) != len(FIXTURE):
        return ["%d frames, want %d" % (len(got), len(FIXTURE))]
    for i, ((h, a), want) in enumerate(zip(got, FIXTURE)):
        w = want["arr"]
        if a.dtype != w.dtype or a.shape != w.shape:
            errs.append("frame %d: %s%s, want %s%s" % (i, a.dtype, a.shape,
                                                       w.dtype, w.shape))
            continue
        # Bit for bit: catches -0.0 and NaN payloads that == would not.
        if a.tobytes() != w.tobytes() or \
                not np.array_equal(a, w, equal_nan=a.dtype.kind == "f"):
            errs.append("frame %d: values %r, want %r" % (i, a.tolist(),
                                                         w.tolist()))
        if h["axes"] != want["axes"]:
            errs.append("frame %d: axes %r" % (i, h["axes"]))
        if h.get("labels", {}) != want["labels"]:
            errs.append("frame %d: labels %r" % (i, h.get("labels")))
        if h.get("coords") != want["coords"]:
            errs.append("frame %d: coords %r" % (i, h.get("coords")))
        if (h.get("meta") or None) != want["meta"]:
            errs.append("frame %d: meta %r" % (i, h.get("meta")))
        if h["encoding"] != want["encoding"]:
            errs.append("frame %d: encoding %s" % (i, h["encoding"]))
    return errs


def main(argv):
    cmd = argv[1] if len(argv) == 2 else ""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    try:
        if cmd == "write-fixture":
            write_fixture(out)
        elif cmd == "check-fixture":
            errs = check_fixture(inp)
            for e in errs:
                print("tmt_np: " + e, file=sys.stderr)
            return 1 if errs else 0
        elif cmd == "dump":
            for h, a in frames(inp):
                print(canon(h))
                print(a.tolist())
        elif cmd == "read":
            n = sum(1 for _ in frames(inp))
            print("%d frames" % n)
        else:
            print("usage: tmt_np.py write-fixture | check-fixture | dump | "
                  "read", file=sys.stderr)
            return 64
    except TMTError as e:
        print("tmt_np: <stdin>: %s" % e, file=sys.stderr)
        return 65
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/bin/sh
# Every damaged version of a small stream is refused cleanly: truncation at
# every byte offset and every single byte flipped (xor 0xff) must exit 65
# naming "byte N", never die on a signal, trip a sanitizer or hang.  With
# the CRCs recomputed after the flip, the checks behind the CRCs are
# reached too: then 0 (a harmless change) or 65 are the only answers.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# Under ASan a run costs ~10x more: test every k-th offset.
step=1
[ "${TM_SAN:-}" = 1 ] && step=17

cat >"$TRASH/drive.py" <<'PYEOF'
import concurrent.futures as cf, os, re, struct, subprocess, sys, zlib
import tmt_damage
mode, step, path, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
data = open(path, "rb").read()

# Frame boundaries, to check that the offset named lies in the right frame.
bounds = tmt_damage.frame_bounds(data)

def frame_of(i):
    return tmt_damage.frame_of(bounds, i)

def recrc(b, i):
    return tmt_damage.recrc(b, bounds, i)

def case(i):
    if mode == "truncate":
        b, lo, hi = data[:i], 0, i
    else:
        b = bytearray(data); b[i] ^= 0xff
        if mode == "recrc":
            b = recrc(b, i)
        lo, hi = frame_of(i)
    try:
        p = subprocess.run(["timeout", "5"] + cmd, input=bytes(b),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as e:
        return "%d: %s" % (i, e)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode == 124:
        return "%d: hang (killed after 5 s)" % i
    if p.returncode == 0 and mode == "recrc":
        accepted.append(i)
        return None
    if p.returncode != 65:
        return "%d: exit %d: %s" % (i, p.returncode, err.strip()[:200])
    m = re.search(r"byte (\d+)", err)
    if not m:
        return "%d: no 'byte N' in: %s" % (i, err.strip()[:200])
    n = int(m.group(1))
    # A damaged length can claim more bytes than the stream holds: the
    # reader then can only report where the data ran out.
    if n == len(b) and "truncated" in err:
        return None
    if not lo <= n <= hi:
        return "%d: names byte %d, outside [%d, %d]" % (i, n, lo, hi)
    return None

accepted = []
offs = range(0, len(data), step)
with cf.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
    bad = [r for r in ex.map(case, offs) if r]
print("%s: %d runs over %d bytes, %d accepted, %d bad" %
      (mode, len(offs), len(data), len(accepted), len(bad)))
for r in bad[:10]:
    print("  " + r)
sys.exit(1 if bad else 0)
PYEOF

# Damage of each kind at frame 1, CRCs recomputed where the damage is
# behind them: the offset named is the one tm-tensor(5) documents.
cat >"$TRASH/exact.py" <<'PYEOF'
import struct, subprocess, sys, zlib
data = open(sys.argv[1], "rb").read()
cmd = sys.argv[2:]
hlen0, plen0 = struct.unpack_from("<IQ", data, 12)
F = 32 + hlen0 + plen0 + (-plen0 % 64)		# frame 1 (deflate F64)
hlen, plen = struct.unpack_from("<IQ", data, F + 12)
H, P = F + 32, F + 32 + hlen

def recrc(b):
    h = zlib.crc32(b[H:H + hlen], zlib.crc32(b[F:F + 24]))
    body = b[P:P + plen + (-plen % 64)]
    struct.pack_into("<II", b, F + 24, h, zlib.crc32(body))
    return b

def header(b, old, new):
    i = b.index(old, H)
    b[i:i + len(old)] = new
    return recrc(b)

def put(fmt, at, v, fix=True):
    def f(b):
        struct.pack_into(fmt, b, at, v)
        return recrc(b) if fix else b
    return f

def xor(at, fix=False):
    def f(b):
        b[at] ^= 0xff
        return recrc(b) if fix else b
    return f

cases = [
    ("bad magic", xor(F + 1), F),
    ("major 2", put("<B", F + 8, 2), F + 8),
    ("flags set", put("<H", F + 10, 1), F + 10),
    ("hlen not aligned", put("<I", F + 12, hlen + 1), F + 12),
    ("plen beyond compressBound", put("<Q", F + 16, 100000), F + 16),
    ("header byte", xor(H + 3), F + 24),
    ("payload byte", xor(P + 3), F + 28),
    ("unknown dtype", lambda b: header(b, b'"F64"', b'"X64"'), H),
    ("seq out of order", lambda b: header(b, b'"seq":1', b'"seq":7'), H),
    ("bad deflate", xor(P + 3, fix=True), P),
]
bad = 0
for name, damage, want in cases:
    b = damage(bytearray(data))
    p = subprocess.run(["timeout", "5"] + cmd, input=bytes(b),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.decode("utf-8", "replace").strip()
    ok = p.returncode == 65 and ("byte %d:" % want) in err
    bad += not ok
    print("%s %s: want byte %d, exit %d: %s" %
          ("ok" if ok else "BAD", name, want, p.returncode, err))
sys.exit(1 if bad else 0)
PYEOF

test_expect_success 'the fixture stream' '
	tmt-fixture >s.tmt &&
	tmt-fixture -r <s.tmt | cmp - s.tmt
'

readers="tmt-fixture -r"
[ -x "$TM_BIN/tm-cat" ] && readers="$readers|tm-cat -o tmt"
IFS='|'
for rd in $readers; do
	unset IFS
	for mode in truncate flip; do
		test_expect_success "$rd: $mode at every offset (step $step): exit 65, byte N" "
			\"\$PY\" drive.py $mode $step s.tmt $rd
		"
	done
	test_expect_success "$rd: each kind of damage names the documented offset" "
		\"\$PY\" exact.py s.tmt $rd
	"
done
unset IFS


# An extra beyond the every-byte checks above: every third byte is plenty.
test_expect_success 'tmt-fixture -r: flips behind recomputed CRCs: exit 0 or 65' "
	\"\$PY\" drive.py recrc $((step * 3)) s.tmt tmt-fixture -r
"

test_done

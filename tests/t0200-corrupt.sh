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
[ "${TM_SAN:-}" = 1 ] && step=11

cat >"$TRASH/drive.py" <<'PYEOF'
import concurrent.futures as cf, os, re, struct, subprocess, sys, zlib
mode, step, path, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
data = open(path, "rb").read()

# Frame boundaries, to check that the offset named lies in the right frame.
bounds, off = [], 0
while off < len(data):
    hlen, plen = struct.unpack_from("<IQ", data, off + 12)
    end = off + 32 + hlen + plen + (-plen % 64)
    bounds.append((off, end))
    off = end

def frame_of(i):
    return next((s, e) for s, e in bounds if s <= i < e)

def recrc(b, i):
    s, _ = frame_of(i)
    hlen, plen = struct.unpack_from("<IQ", b, s + 12)
    if hlen + s + 32 > len(b) or plen > len(b):
        return b	# the flip made the lengths absurd: leave as is
    h = zlib.crc32(b[s + 32:s + 32 + hlen], zlib.crc32(b[s:s + 24]))
    body = b[s + 32 + hlen:s + 32 + hlen + plen + (-plen % 64)]
    struct.pack_into("<II", b, s + 24, h, zlib.crc32(body))
    return b

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
done
unset IFS

test_expect_success 'tmt-fixture -r: flips behind recomputed CRCs: exit 0 or 65' "
	\"\$PY\" drive.py recrc $step s.tmt tmt-fixture -r
"

test_done

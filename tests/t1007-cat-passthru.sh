#!/bin/sh
# tm-cat's pass-through reads lazily (tm_reader_lazy, issue 12): frames
# are copied without their labels or payload being decoded, plain headers
# are read without jansson, and a run of frames repeating their labels
# checks them once.  None of that may change a verdict: each header below
# (CRCs fixed up, so the checks behind them are reached) gets the same
# exit status and message from the pass-through as from a full read
# (--last makes one), and an accepted stream comes out byte for byte.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# craft.py IN K CASE: IN with the header of data frame K rewritten as CASE
# says, padded again, its header CRC recomputed.
cat >"$TRASH/craft.py" <<'PYEOF'
import re, struct, sys, zlib
b = open(sys.argv[1], "rb").read()
k, case = int(sys.argv[2]), sys.argv[3]
out, off, i = b"", 0, 0
while off < len(b):
    hlen, plen = struct.unpack_from("<IQ", b, off + 12)
    end = off + 32 + hlen + plen + (-plen % 64)
    lead, h, rest = b[off:off + 32], b[off + 32:off + 32 + hlen], b[off + 32 + hlen:end]
    if i == k:
        h = h.rstrip(b" \n")
        t = b'"ticker":["'
        if case == "escape":     # the first ticker's first letter as \u00XX
            h = re.sub(rb'"ticker":\["(.)', lambda m: t + b"\\u%04x" % m.group(1)[0], h, count=1)
        elif case == "nonascii":
            h = re.sub(rb'"ticker":\["[^"]*"', t + "\u00e9t\u00e9".encode() + b'"', h, count=1)
        elif case == "badutf8":
            h = re.sub(rb'"ticker":\["[^"]*"', t + b'\xc3"', h, count=1)
        elif case == "droplabel":  # one ticker fewer than the shape says
            h = re.sub(rb'"ticker":\["[^"]*",', t[:-1], h, count=1)
        elif case == "longlabel":
            h = re.sub(rb'"ticker":\["[^"]*"', t + b"X" * 300 + b'"', h, count=1)
        elif case == "dupkey":
            h = h.replace(b'"labels":{', b'"labels":{"field":["x"],', 1)
        elif case == "extrakey":
            h = h.replace(b'"labels":{', b'"labels":{"zz":[1,{}],', 1)
        elif case == "renameaxis":  # the labels name an axis no more
            h = h.replace(b'"axes":["ticker"', b'"axes":["tick"', 1)
        elif case == "blank":
            h = h.replace(b'"labels":{', b'"labels": {', 1)
        elif case == "badjson":
            h = h.replace(b'"meta":{', b'"meta":{{', 1)
        elif case == "nestedseq":  # a "seq" key after the top-level one
            h = h[:-1] + b',"zz":{"seq":7}}'
        elif case == "floatcoord":
            h = h.replace(b'"coords":{', b'"coords":{"x":0.5,', 1)
        elif case == "negseq":
            h = re.sub(rb'"seq":\d+', b'"seq":-1', h)
        elif case == "unknowndtype":
            h = h.replace(b'"dtype":"F64"', b'"dtype":"F16"', 1)
        hl = len(h) + 1 + (-(32 + len(h) + 1)) % 64
        h = h + b" " * (hl - len(h) - 1) + b"\n"
        lead = lead[:12] + struct.pack("<I", hl) + lead[16:24]
        lead += struct.pack("<I", zlib.crc32(h, zlib.crc32(lead))) + b[off + 28:off + 32]
    if b'"end":true' not in h:
        i += 1
    out += lead + h + rest
    off = end
sys.stdout.buffer.write(out)
PYEOF

test_expect_success 'setup: a price stream whose universe changes' '
	tm-synth -n 40 -y 1 --seed 5 -o m &&
	tm-cat --to 2015-03-31 m/prices.tmt >p.tmt
'

test_expect_success 'a pass-through is its input byte for byte' '
	tm-cat p.tmt >out.tmt &&
	cmp p.tmt out.tmt &&
	cat p.tmt | tm-cat >out.tmt &&
	cmp p.tmt out.tmt &&
	tm-cat -z p.tmt | tm-cat >out.tmt &&
	cmp p.tmt out.tmt
'

for c in escape nonascii dupkey extrakey renameaxis blank nestedseq \
    floatcoord; do
	test_expect_success "accepted header ($c): copied as it is, as a full read accepts it" "
		\"\$PY\" \"\$TRASH/craft.py\" p.tmt 3 $c >$c.tmt &&
		! cmp -s p.tmt $c.tmt &&
		tm-cat $c.tmt >out.tmt &&
		cmp $c.tmt out.tmt &&
		tm-cat --last 1000 $c.tmt >/dev/null
	"
done

for c in badutf8 droplabel longlabel badjson negseq unknowndtype; do
	test_expect_success "refused header ($c): 65 and the message of a full read" "
		\"\$PY\" \"\$TRASH/craft.py\" p.tmt 3 $c >$c.tmt &&
		st=0 && tm-cat $c.tmt >/dev/null 2>lazy.err || st=\$? &&
		test \$st = 65 &&
		st=0 && tm-cat --last 1000 $c.tmt >/dev/null 2>full.err || st=\$? &&
		test \$st = 65 &&
		test_cmp full.err lazy.err
	"
done

# Renumbering a later file's frames rewrites the top-level seq, never a
# nested key of the same name (that frame is re-encoded instead, as one
# whose seq digits cannot be patched is): the result reads back.
test_expect_success 'a nested "seq" key is not the one renumbered' '
	tm-cat p.tmt nestedseq.tmt >out.tmt &&
	tm-cat out.tmt >/dev/null &&
	test $(tm-cat --info out.tmt | wc -l) = \
	    $(($(tm-cat --info p.tmt | wc -l) * 2))
'

# A renumbered frame whose seq digits change its header's padded length
# is padded anew when its header is the writer's own text (else it is
# re-encoded): either way the bytes of a re-encoded stream.  hlens.py
# counts the data frames of A whose header length differs from B's.
cat >"$TRASH/hlens.py" <<'PYEOF'
import struct, sys
def hlens(p):
    b, off, out = open(p, "rb").read(), 0, []
    while off < len(b):
        hlen, plen = struct.unpack_from("<IQ", b, off + 12)
        if not b[off + 32:off + 39] == b'{"end":':
            out.append(hlen)
        off += 32 + hlen + plen + (-plen % 64)
    return out
a, b = hlens(sys.argv[1]), hlens(sys.argv[2])
print(sum(x != y for x, y in zip(a, b)))
PYEOF

test_expect_success 'a renumbered header padded anew is the re-encoded bytes' '
	tm-synth -n 50 -y 1 --seed 5 -o m2 &&
	tmt-split tree <m2/prices.tmt &&
	tm-cat tree >got.tmt &&
	tm-cat -z tree | tm-cat >re.tmt &&
	cmp got.tmt re.tmt &&
	tm-cat tree/*/*/*.tmt | cmp - got.tmt &&
	cat tree/*/*/*.tmt >days.tmt &&
	n=$("$PY" "$TRASH/hlens.py" got.tmt days.tmt) &&
	test "$n" -gt 0
'

# --last keeps the stored bytes of a frame whose header is the writer's
# own text and writes them renumbered at the end; the rest it decodes
# and re-encodes, as it did every frame (-z reads in full: the reference).
test_expect_success '--last writes the bytes a re-encoding would' '
	tm-cat --last 40 tree >got.tmt &&
	tm-cat --last 40 -z tree | tm-cat >re.tmt &&
	cmp got.tmt re.tmt &&
	n=$(tm-cat --info blank.tmt | wc -l) &&
	tm-cat --last $((n + 5)) tree escape.tmt blank.tmt >got.tmt &&
	tm-cat --last $((n + 5)) -z tree escape.tmt blank.tmt | tm-cat >re.tmt &&
	cmp got.tmt re.tmt &&
	test $(tm-cat --info got.tmt | wc -l) = $((n + 5))
'

# The labels are checked once for a run that repeats them, but the run
# is keyed by the bytes and the axes: a frame whose labels differ from
# the run's by one byte is checked afresh, after either kind of file.
test_expect_success 'a refused frame after a run of good ones, in a later file' '
	"$PY" "$TRASH/craft.py" p.tmt 0 droplabel >d0.tmt &&
	test_must_fail tm-cat p.tmt d0.tmt >/dev/null 2>err &&
	grep -q "d0.tmt: byte 32: labels of axis .ticker. do not match its length" err
'

test_done

#!/bin/sh
# tm-cat over a raw tree (data/raw/YYYY/MM/DD.tmt): the stream is the
# files' frames with only seq renumbered (headers and payloads otherwise
# byte for byte, CRCs right), the same as re-encoding them; files named
# outside --from/--to are not opened; named files are always read.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# same A B: the data frames of A and B, header text with "seq" cut out and
# payload bytes, are equal, and B's seq count 0, 1, 2, ...
cat >"$TRASH/same.py" <<'PYEOF'
import re, struct, sys, zlib
LEAD = struct.Struct("<8sBBHIQII")
def frames(path):
    b = open(path, "rb").read()
    off, out, seqs = 0, [], []
    while off < len(b):
        _m, _a, _b, _f, hlen, plen, hcrc, bcrc = LEAD.unpack_from(b, off)
        h = b[off + LEAD.size:off + LEAD.size + hlen]
        assert zlib.crc32(h, zlib.crc32(b[off:off + 24])) == hcrc, "hcrc"
        pad = -plen % 64
        body = b[off + LEAD.size + hlen:off + LEAD.size + hlen + plen + pad]
        assert zlib.crc32(body) == bcrc, "bcrc"
        off += LEAD.size + hlen + plen + pad
        if b'"end":true' in h:
            continue
        m = re.findall(rb'"seq":([0-9]+)', h)
        seqs.append(int(m[-1]))
        out.append((re.sub(rb'"seq":[0-9]+', b"", h.rstrip(b" \n")), body))
    return out, seqs
a, _ = frames(sys.argv[1])
b, seqs = frames(sys.argv[2])
assert len(a) == len(b) and len(a) > 0, (len(a), len(b))
assert a == b, "frames differ"
assert seqs == list(range(len(b))), seqs
PYEOF

test_expect_success 'setup: a raw tree of 40 days, seq 0 in every file' '
	tm-synth -n 30 -y 1 --seed 2 -o m &&
	tm-cat --info m/prices.tmt | sed -n "1,40p" |
	    sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/" >days &&
	test $(wc -l <days) = 40 &&
	while read -r d; do
		y=${d%%-*} rest=${d#*-} &&
		mkdir -p raw/$y/${rest%-*} &&
		tm-cat --from $d --to $d m/prices.tmt \
		    >raw/$y/${rest%-*}/${rest#*-}.tmt || return 1
	done <days &&
	tm-cat --to $(sed -n 40p days) m/prices.tmt >want.tmt
'

test_expect_success 'the tree reads as the stream, seq renumbered' '
	tm-cat raw >got.tmt &&
	$PY "$TRASH/same.py" want.tmt got.tmt &&
	tm-cat raw/*/*/*.tmt >got2.tmt &&
	cmp got.tmt got2.tmt
'

# tm-cat -z then tm-cat re-encodes every frame through tm_write (deflate
# in, raw out): the renumbered copies must be those bytes.
test_expect_success 'a renumbered stream has the bytes of a re-encoded one' '
	tm-cat -z raw | tm-cat >re.tmt &&
	cmp got.tmt re.tmt &&
	d=$(sed -n 5p days) &&
	tm-cat --from $d want.tmt >cut.tmt &&
	tm-cat -z --from $d want.tmt | tm-cat >cut-re.tmt &&
	cmp cut.tmt cut-re.tmt &&
	tm-cat --from $d raw >cut2.tmt &&
	cmp cut.tmt cut2.tmt
'

test_expect_success 'files named outside --from/--to are not opened' '
	first=$(sed -n 1p days) && last=$(sed -n 40p days) &&
	mkdir -p raw/1999/01 raw/2090/12 &&
	echo junk >raw/1999/01/04.tmt &&
	echo junk >raw/2090/12/31.tmt &&
	tm-cat --from $first --to $last raw >in.tmt &&
	cmp got.tmt in.tmt &&
	test_must_fail tm-cat --to $last raw >/dev/null 2>err &&
	grep -q "raw/1999/01/04.tmt" err &&
	test_must_fail tm-cat --from $first raw >/dev/null 2>err &&
	grep -q "raw/2090/12/31.tmt" err
'

test_expect_success 'a file named on the command line is read whatever its name' '
	test_must_fail tm-cat --from $(sed -n 1p days) raw/1999/01/04.tmt \
	    >/dev/null 2>err &&
	grep -q "raw/1999/01/04.tmt" err
'

test_expect_success '--last n opens only the last n day files of the window' '
	first=$(sed -n 1p days) && last=$(sed -n 40p days) &&
	tm-cat --to $last --last 3 want.tmt >l3-want.tmt &&
	# the junk file of 1999 is inside the window but not among the last 3
	tm-cat --to $last --last 3 raw >l3.tmt &&
	cmp l3-want.tmt l3.tmt &&
	tm-cat --to $last --last 3 -o csv raw >l3.csv &&
	tm-cat --last 3 -o csv want.tmt >l3-want.csv &&
	test_cmp l3-want.csv l3.csv &&
	# a window that reaches the junk: it is opened, and refused
	test_must_fail tm-cat --to $last --last 41 raw >/dev/null 2>err &&
	grep -q "raw/1999/01/04.tmt" err
'

test_expect_success '--last: fewer frames than n in the last n files reads the whole tree' '
	first=$(sed -n 1p days) && last=$(sed -n 40p days) &&
	mkdir -p short/a short/b &&
	cp -r raw/20* short/a/ && rm -rf short/a/2090 &&
	# the last day file holds no frame (an end frame alone): the last 3
	# frames are then those of the 3 files before it
	lastf=$(find short/a -name "*.tmt" | sort | tail -n 1) &&
	tm-cat --from 1900-01-01 --to 1900-01-01 want.tmt >"$lastf" &&
	tm-cat short/a >all.tmt &&
	tm-cat --last 3 all.tmt >w3.tmt &&
	tm-cat --last 3 short/a >g3.tmt &&
	cmp w3.tmt g3.tmt &&
	test "$(tm-cat --info g3.tmt | wc -l)" = 3
'

test_done

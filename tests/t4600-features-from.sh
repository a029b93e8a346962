#!/bin/sh
# tm-features --from: the frames written are, byte for byte apart from
# their sequence number, the frames of a run without it over the same
# input, for every set, with fundamentals, carried fields and deflate.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# raw-frames FILE: each data frame as its header with "seq" cut out and
# its payload bytes, so two streams compare byte for byte.
cat >"$TRASH/frames.py" <<'PYEOF'
import re, struct, sys
LEAD = struct.Struct("<8sBBHIQII")
def frames(path):
    b = open(path, "rb").read()
    off, out = 0, []
    while off < len(b):
        _m, _a, _b, _f, hlen, plen, _hc, _bc = LEAD.unpack_from(b, off)
        h = b[off + LEAD.size:off + LEAD.size + hlen]
        body = b[off + LEAD.size + hlen:off + LEAD.size + hlen + plen]
        off += LEAD.size + hlen + plen + (-plen % 64)
        if b'"end":true' in h:
            continue
        out.append((re.sub(rb'"seq":[0-9]+', b"", h.rstrip(b" \0\n")), body))
    return out
a, b = frames(sys.argv[1]), frames(sys.argv[2])
want = int(sys.argv[3])
assert len(b) == want, (len(b), want)
assert a[len(a) - len(b):] == b, "frames differ"
PYEOF

test_expect_success 'setup: a market of three years' '
	tm-synth -n 80 -y 3 --seed 5 --signal 0.3 -o m &&
	tm-cat --info m/prices.tmt >info &&
	from=$(sed -n 400p info | sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/") &&
	echo "$from" >from && test -n "$from" &&
	n=$(wc -l <info) && echo $((n - 399)) >nkeep
'

for opts in "" "--set finrl" "--set ta" "-f m/fundamentals.tmt --carry signal" \
    "-z -k rsi,pe,close_sma60"; do
	test_expect_success "--from writes the full run's last days: ${opts:-default}" "
		tm-features $opts m/prices.tmt >full.tmt &&
		tm-features $opts --from \$(cat from) m/prices.tmt >part.tmt &&
		\$PY \"\$TRASH/frames.py\" full.tmt part.tmt \$(cat nkeep)
	"
done

test_expect_success '--from before the first day writes all; the first frame is the --from day' '
	tm-features m/prices.tmt >full.tmt &&
	d=$(cat from) &&
	prev=$(sed -n 399p info | sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/") &&
	test "$prev" != "$d" &&
	tm-features --from 1990-01-01 m/prices.tmt >all.tmt &&
	$PY "$TRASH/frames.py" full.tmt all.tmt $(wc -l <info) &&
	tm-features --from "$d" m/prices.tmt >a.tmt &&
	tm-cat --info a.tmt | head -n 1 | grep -q "\"date\":\"$d\""
'

test_expect_success '--from after the last day writes an empty stream' '
	tm-features --from 2090-01-01 m/prices.tmt >none.tmt &&
	test -s none.tmt &&
	$PY "$TRASH/frames.py" full.tmt none.tmt 0
'

test_expect_success '--from with a bad date is a usage error' '
	test_must_fail --status 64 tm-features --from 2024-13-01 m/prices.tmt 2>err &&
	grep -q "^tm-features: --from 2024-13-01: " err
'

test_done

#!/bin/sh
# tm_write reuses the last frame's labels text while the labels stay the
# same (issue 12): the bytes must still be the canonical encoding of each
# frame.  tm-features runs over a price stream whose rows change from day
# to day (a row dropped, the order reversed, a ticker renamed, a new one,
# a label with characters JSON escapes), and every frame it writes is
# encoded again by the independent writer of tests/helpers/tmt_np.py from the
# values read back: the two streams are byte for byte the same, raw and
# deflated, for every set.
. "$(dirname "$0")/lib.sh"

test_need_numpy

cat >"$TRASH/bytes.py" <<'PYEOF'
import sys
import numpy as np
import tmt_np

inp, out = sys.stdin.buffer, sys.stdout.buffer
w = tmt_np.Writer(out)
if sys.argv[1] == "perturb":
    for day, (h, a) in enumerate(tmt_np.frames(inp)):
        rows = list(h["labels"]["ticker"])
        a = np.array(a)
        if day % 5 == 1:			# a row missing
            a = np.delete(a, 3, axis=0)
            del rows[3]
        if day % 7 == 2:			# the same rows, reversed
            a = a[::-1]
            rows = rows[::-1]
        if day >= 20 and day % 11 == 0:	# as many rows, one renamed
            rows[0] = "REN" + str(day)
        if day >= 30:				# a new listing, an odd name
            a = np.vstack([a, a[:1]])
            rows.append('Q"\\/\u00e9\t')
        labels = dict(h["labels"])
        labels["ticker"] = rows
        w.frame(a, h["axes"], labels, h.get("coords"), h.get("meta"),
                h["encoding"])
else:						# rewrite: the same frames
    for h, a in tmt_np.frames(inp):
        w.frame(a, h["axes"], h["labels"], h.get("coords"), h.get("meta"),
                h["encoding"])
w.end()
PYEOF

test_expect_success 'a price stream whose rows change from day to day' '
	tm-synth -n 12 -y 1 --seed 7 >p.tmt &&
	"$PY" bytes.py perturb <p.tmt >q.tmt &&
	tm-cat --info q.tmt >info &&
	test "$(grep -c "REN" info)" -gt 5
'

for set in default finrl ta; do
	for z in "" -z; do
		test_expect_success "tm-features --set $set $z: each frame as tmt_np encodes it" "
			tm-features --set $set $z q.tmt >f.tmt 2>/dev/null &&
			\"\$PY\" bytes.py rewrite <f.tmt >g.tmt &&
			test \$(tm-cat --info f.tmt | wc -l) = \$(tm-cat --info q.tmt | wc -l) &&
			cmp f.tmt g.tmt
		"
	done
done

test_done

#!/bin/sh
# tm-train --market: the cash logit reads the day's market (the mean
# inputs over the active slots).  On a planted crash regime, where every
# stock falls for 12 days and a level common to all of them says so, the
# policy trained with it goes to cash in the crashes and is invested
# outside them, out of sample; a plain policy, whose cash logit is one
# number, tells the two apart less well.
. "$(dirname "$0")/lib.sh"

test_need_numpy

# cash FILE: mean cash in crash days and outside, out of sample
cash() {
	tm-cat --info "$1" | "$PY" -c '
import json, sys
reg = dict(l.split() for l in open("crash.tmt.regime"))
c = {"0": [], "1": []}
for l in sys.stdin:
    h = json.loads(l)
    if "coords" in h:
        c[reg[h["coords"]["date"]]].append(h["coords"]["cash"])
assert len(c["1"]) > 20 and len(c["0"]) > 60, (len(c["1"]), len(c["0"]))
print("%.6f %.6f" % (sum(c["1"]) / len(c["1"]), sum(c["0"]) / len(c["0"])))'
}

test_expect_success 'setup: the crash market, 368 days to train, 132 out' '
	"$PY" "$TOP/tests/helpers/crash.py" crash.tmt 7 &&
	tm-cat --to 2021-05-31 crash.tmt >train.tmt &&
	tm-cat --from 2021-06-01 crash.tmt >oos.tmt &&
	test "$(tm-cat --info oos.tmt | wc -l)" -eq 132
'

test_expect_success '--market: in cash in the crashes, invested outside' '
	tm-train -q --algo dpg --seed 1 --valid 60 --market -o mk.tmt \
	    <train.tmt &&
	tm-cat --info mk.tmt | grep -q "\"market\":\"1\"" &&
	tm-infer -m mk.tmt <oos.tmt >wmk.tmt &&
	cash wmk.tmt >mk.cash &&
	read -r crash normal <mk.cash &&
	awk -v c="$crash" -v n="$normal" "BEGIN { exit !(c > 0.9 && n < 0.3) }"
'

test_expect_success 'a plain policy is in cash more outside the crashes' '
	tm-train -q --algo dpg --seed 1 --valid 60 -o plain.tmt <train.tmt &&
	tm-infer -m plain.tmt <oos.tmt >wplain.tmt &&
	cash wplain.tmt >plain.cash &&
	read -r pc pn <plain.cash && read -r mc mn <mk.cash &&
	awk -v p="$pn" -v m="$mn" "BEGIN { exit !(p > m + 0.2) }"
'

test_expect_success '--market: tm-backtest -m reproduces the validation' '
	from=$(tm-cat --info train.tmt | sed -n "s/.*\"date\":\"\([0-9-]*\)\".*/\1/p" |
	    tail -n 62 | head -n 1) &&
	tm-backtest -q -m mk.tmt --from "$from" --metrics m.json train.tmt \
	    >/dev/null &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	M = [a for h, a in tmt_np.frames(open("mk.tmt", "rb"))
	     if h["axes"] == ["epoch", "metric"]][0]
	best = max(range(len(M)), key=lambda i: (M[i, 1], -i))
	m = json.load(open("m.json"))
	assert repr(m["sharpe"]) == repr(float(M[best, 2])), (m["sharpe"], M[best])
	PYEOF
'

test_expect_success '--market is dpg only (64)' '
	test_must_fail --status 64 tm-train -q --algo a2c --seed 1 --market \
	    -o x.tmt <train.tmt &&
	test_must_fail --status 64 tm-train -q --algo ppo --seed 1 \
	    --init mk.tmt -o x.tmt <train.tmt &&
	! test -e x.tmt
'
test_done

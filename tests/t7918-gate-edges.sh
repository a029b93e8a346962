#!/bin/sh
# The monthly gate at its edges: a first run gives the candidate's and the
# live model's out-of-sample numbers (the gate record in the registry);
# the same job on fresh copies of the data, each threshold set a hair
# inside and a hair outside what the candidate made, passes (shadow) and
# fails (retired, with that threshold's name in the verdict): Sharpe not
# worse than live by more than TM_GATE_MARGIN, max drawdown above
# -TM_GATE_MAXDD, turnover below TM_GATE_TURNOVER.
. "$(dirname "$0")/lib.sh"
jobs_setup
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# run NAME KEY=VALUE...: monthly.sh for 2017-02-01 on a fresh copy of base
# with more settings; prints the candidate's status and its verdict
run() {
	_n=$1
	shift
	rm -rf "$_n" && cp -a base "$_n" &&
	{ sed "s|^TM_DATA=.*|TM_DATA=$_n|" tm.conf; printf '%s\n' "$@"; } >"$_n.conf" &&
	TM_CONF=$_n.conf bash "$MONTHLY" 2017-02-01 2>>"$_n.err" &&
	tm-model -d "$_n/models" list --json | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
e = [v for v in r["versions"] if v["gate"]]
assert len(e) == 1, e
print(e[0]["status"], e[0]["gate"]["verdict"])'
}

test_expect_success 'setup: a live model, a first run for the numbers' '
	jobs_market base &&
	jobs_conf base TM_MAIL=off TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=1 \
	    TM_EPOCHS=1 >tm.conf &&
	run first TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 TM_GATE_TURNOVER=100 >got &&
	echo "shadow pass" >want && test_cmp want got &&
	tm-model -d first/models list --json | "$PY" -c "
import json, sys
r = json.load(sys.stdin)
g = [v for v in r[\"versions\"] if v[\"gate\"]][0][\"gate\"]
print(repr(g[\"live_sharpe\"] - g[\"sharpe\"]), repr(-g[\"max_drawdown\"]), repr(g[\"turnover\"]))
" >edges &&
	cat edges
'

# edge FIELD KEY REASON: KEY a hair over the edge (field FIELD of edges)
# passes, a hair under fails with REASON
edge() {
	K_I=$1 K_KEY=$2 K_WHY=$3
	test_expect_success "$K_KEY: a hair inside passes, a hair outside fails ($K_WHY)" '
		e=$(cut -d" " -f$K_I edges) &&
		set -- TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 TM_GATE_TURNOVER=100 &&
		hi=$(awk -v e="$e" "BEGIN { printf \"%.12g\", e + 1e-6 }") &&
		lo=$(awk -v e="$e" "BEGIN { printf \"%.12g\", e - 1e-6 }") &&
		run in "$@" $K_KEY=$hi >got && echo "shadow pass" >want && test_cmp want got &&
		run out "$@" $K_KEY=$lo >got && echo "retired fail: $K_WHY" >want && test_cmp want got
	'
}
edge 1 TM_GATE_MARGIN sharpe
edge 2 TM_GATE_MAXDD drawdown
edge 3 TM_GATE_TURNOVER turnover

test_done

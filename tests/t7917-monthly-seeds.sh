#!/bin/sh
# pipelines/monthly.sh with several algorithms and seeds (TM_ALGOS="dpg
# a2c", TM_SEEDS=3, no live model so the seeds differ): every model the
# job trained is kept aside by a wrapper of tm-train (TM_BIN), and the
# mail's summary (runs, mean and spread of validation Sharpe) and the
# candidate (the best by validation Sharpe over every algorithm and seed)
# are checked against those models' own records, read here; and the
# training window against the configured TM_TRAIN_DAYS and TM_GATE_DAYS.
. "$(dirname "$0")/lib.sh"
jobs_setup
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

test_expect_success 'setup: a market, tm-train wrapped to keep its models' '
	tm-synth -n 30 -y 3 --seed 5 -o mkt &&
	jobs_keep_models &&
	jobs_conf data TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=3 \
	    "TM_ALGOS=\"dpg a2c\"" TM_EPOCHS=2 TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 \
	    TM_GATE_TURNOVER=100 "TM_BIN=$PWD/wbin" >tm.conf
'

test_expect_success 'six models, the best by validation Sharpe the candidate, the summary theirs' '
	TM_CONF=tm.conf bash "$MONTHLY" 2017-02-01 2>err &&
	ls kept >names && test "$(wc -l <names)" = 6 &&
	for f in kept/*; do tm-model -d all add "$f" >/dev/null 2>>add.err ||
	    grep -q "already in the registry" add.err || exit 1; done &&
	tm-model -d all list | sed 1d >all.tsv &&
	m=$(grep -l "^Subject: .*monthly 2017-02-01: " data/spool/new/*) &&
	tr -d "\r" <"$m" >mail &&
	tm-model -d data/models list | sed 1d >reg.tsv &&
	test "$(wc -l <reg.tsv)" = 1 &&
	tm-cat -k close -o csv -r QQQ --to 2017-02-01 mkt/benchmark.tmt |
	    sed 1d | cut -d, -f1 >days &&
	"$PY" - <<-\PYEOF
	import re, statistics
	rows = [l.rstrip("\n").split("\t") for l in open("all.tsv")]
	# one line per distinct model: seeds that agree bit for bit are one
	sh = {r[0]: float(r[7]) for r in rows}
	assert {r[1] for r in rows} == {"dpg", "a2c"}, rows
	best = max(sh, key=lambda v: sh[v])
	reg = [l.split("\t") for l in open("reg.tsv")]
	assert reg[0][0] == best and reg[0][5] == "live", (reg, best, sh)
	text = open("mail").read()
	g = re.search(r"^6 runs, (\d+) distinct models: validation Sharpe mean (\S+), sd (\S+)\.$", text, re.M)
	n, mean, sd = int(g.group(1)), float(g.group(2)), float(g.group(3))
	v = list(sh.values())
	assert n == len(v) >= 4, (n, v)
	assert abs(mean - statistics.mean(v)) < 6e-4, (mean, v)
	assert abs(sd - statistics.stdev(v)) < 6e-4, (sd, v)
	assert re.search(r"^Candidate %s, out of sample " % best, text, re.M)
	assert "(dpg a2c, 3 seeds, warm start: no)" in text
	# the configured window: the last TM_TRAIN_DAYS (160) sessions to the
	# day, the gate s TM_GATE_DAYS (30) out of it, tm-train s 63-day
	# validation before them
	days = [l.strip() for l in open("days")]
	assert days[-1] == "2017-02-01"
	g = re.search(r"out of sample (\S+)\.\.2017-02-01:", text).group(1)
	assert g == days[-30], (g, days[-30])
	assert reg[0][3] == days[-160] and reg[0][4] == days[-31 - 63], (reg[0], days[-160], days[-94])
	assert all(r[3] == reg[0][3] and r[4] == reg[0][4] for r in rows)
	PYEOF
'

test_done

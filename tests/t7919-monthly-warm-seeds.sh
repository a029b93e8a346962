#!/bin/sh
# pipelines/monthly.sh's seeds from a warm start (TM_SEEDS=3, dpg, a live
# model): dpg draws nothing from its seed when it starts from a model, so
# the seeds after the first start from the live model perturbed
# (tm-train --init-noise TM_INIT_NOISE): three distinct sets of weights,
# the first the exact warm start's; with TM_INIT_NOISE=0 the three are
# one, and the mail says so; TM_TRAIN_OPTS reaches every seed.  A
# wrapper of tm-train keeps each model.
. "$(dirname "$0")/lib.sh"
jobs_setup
test_need_numpy


test_expect_success 'setup: a live model, tm-train wrapped to keep its models' '
	jobs_market base &&
	jobs_keep_models
'

# run NAME NOISE [KEY=VALUE...]: the monthly job on a copy of base with
# TM_INIT_NOISE NOISE (and the lines given), its models in kept-NAME/ and
# its mail in mail-NAME
run() {
	_n=$1 _z=$2
	shift 2
	cp -r base "$_n" && mkdir "kept-$_n" &&
	jobs_conf "$_n" TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=3 \
	    TM_EPOCHS=2 TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 \
	    TM_GATE_TURNOVER=100 "TM_INIT_NOISE=$_z" "TM_BIN=$PWD/wbin" "$@" \
	    >"$_n.conf" &&
	set -- "$_n" &&
	KEPT=$PWD/kept-$1 TM_CONF=$1.conf bash "$MONTHLY" 2017-02-01 \
	    2>"$1.err" &&
	m=$(grep -l "^Subject: .*monthly 2017-02-01: " "$1"/spool/new/*) &&
	tr -d "\r" <"$m" >"mail-$1"
}

test_expect_success 'the default noise: three distinct models, the first the exact warm start' '
	run n 0.1 &&
	test "$(ls kept-n | wc -l)" = 3 &&
	test "$(for f in kept-n/*; do model_digest "$f"; done | sort -u | wc -l)" = 3 &&
	grep -q "^3 runs, 3 distinct models: " mail-n &&
	grep -q "warm start: yes)" mail-n &&
	for f in kept-n/*; do model_hyper "$f"; done >hyper-n &&
	"$PY" - <<-\PYEOF
	import json
	hs = sorted((json.loads(l) for l in open("hyper-n")), key=lambda h: h["seed"])
	assert [h["seed"] for h in hs] == [1, 2, 3], hs
	assert [h["warm"] for h in hs] == [True] * 3, hs
	assert "init_noise" not in hs[0], hs[0]
	assert [h.get("init_noise") for h in hs[1:]] == [0.1, 0.1], hs
	PYEOF
'

test_expect_success 'TM_INIT_NOISE=0: the exact warm start for every seed, one model' '
	run z 0 &&
	test "$(for f in kept-z/*; do model_digest "$f"; done | sort -u | wc -l)" = 1 &&
	grep -q "^3 runs, 1 distinct model: " mail-z &&
	test "$(model_digest kept-z/dpg-1.tmt)" = "$(model_digest kept-n/dpg-1.tmt)"
'

test_expect_success 'TM_TRAIN_OPTS goes to every seed s tm-train' '
	run r 0.1 "TM_TRAIN_OPTS=\"--reward 0.6,0.3,1 --batch 16\"" &&
	for f in kept-r/*; do model_hyper "$f"; done >hyper-r &&
	"$PY" - <<-\PYEOF
	import json
	hs = [json.loads(l) for l in open("hyper-r")]
	assert len(hs) == 3, hs
	assert all(h["reward"] == [0.6, 0.3, 1] and h["batch"] == 16 for h in hs), hs
	PYEOF
'

test_done

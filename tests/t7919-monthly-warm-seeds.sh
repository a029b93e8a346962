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

# hyper MODEL: the model's hyper-parameters as JSON on stdout.
hyper() {
	$PY -c "
import tmt_np
h, _ = next(tmt_np.frames(open('$1', 'rb'))); print(h['meta']['hyper'])"
}
# weights MODEL: a digest of the model's weights (the files of two seeds
# differ in their hyper-parameters' seed even when the weights agree).
weights() {
	$PY -c "
import hashlib, tmt_np
_, w = next(tmt_np.frames(open('$1', 'rb'))); print(hashlib.sha1(w.tobytes()).hexdigest())"
}

test_expect_success 'setup: a live model, tm-train wrapped to keep its models' '
	jobs_market base &&
	mkdir wbin &&
	for t in "$TM_BIN"/*; do ln -s "$t" wbin/; done &&
	rm wbin/tm-train &&
	cat >wbin/tm-train <<-EOF &&
	#!/bin/sh
	# the real tm-train, then its -o file copied to \$KEPT
	"$TM_BIN/tm-train" "\$@" || exit
	while [ \$# -gt 1 ]; do
		[ "\$1" = -o ] && { cp "\$2" "\$KEPT/"; exit; }
		shift
	done
	EOF
	chmod +x wbin/tm-train
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
	test "$(for f in kept-n/*; do weights "$f"; done | sort -u | wc -l)" = 3 &&
	grep -q "^3 runs, 3 distinct models: " mail-n &&
	grep -q "warm start: yes)" mail-n &&
	for f in kept-n/*; do hyper "$f"; done >hyper-n &&
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
	test "$(for f in kept-z/*; do weights "$f"; done | sort -u | wc -l)" = 1 &&
	grep -q "^3 runs, 1 distinct model: " mail-z &&
	test "$(weights kept-z/dpg-1.tmt)" = "$(weights kept-n/dpg-1.tmt)"
'

test_expect_success 'TM_TRAIN_OPTS goes to every seed s tm-train' '
	run r 0.1 "TM_TRAIN_OPTS=\"--reward 0.6,0.3,1 --batch 16\"" &&
	for f in kept-r/*; do hyper "$f"; done >hyper-r &&
	"$PY" - <<-\PYEOF
	import json
	hs = [json.loads(l) for l in open("hyper-r")]
	assert len(hs) == 3, hs
	assert all(h["reward"] == [0.6, 0.3, 1] and h["batch"] == 16 for h in hs), hs
	PYEOF
'

test_done

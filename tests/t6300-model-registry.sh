#!/bin/sh
# tm-model: add (metadata read from the model file), promote, rollback,
# shadow, retire, approve, pruning to the last 20 (never the live one,
# a shadow, an approved candidate nor the version just added),
# the journal, the lock, and refusals.
. "$(dirname "$0")/lib.sh"

test_need_numpy

# ver FILE: the version of a model file, from its own metadata.
ver() {
	"$PY" -c 'import sys, tmt_np
for h, a in tmt_np.frames(open(sys.argv[1], "rb")):
    if h.get("meta", {}).get("kind") == "tm-model":
        print(h["meta"]["version"])' "$1"
}
# status DIR VERSION
status() { tm-model -d "$1" list | awk -v v="$2" '$1 == v { print $6 }'; }

test_expect_success 'setup: 22 small models' '
	tmt-slots -n 10 -d 60 -s 1 >slots.tmt &&
	for s in $(seq 1 22); do
		tm-train -q --algo dpg --seed "$s" --epochs 2 --valid 15 \
		    -o "m$s.tmt" <slots.tmt || exit 1
		ver "m$s.tmt" >"v$s"
	done &&
	test "$(cat v*| sort -u | wc -l)" = 22
'

test_expect_success 'add: a candidate with the metadata of the file' '
	tm-model -d reg add m1.tmt &&
	tm-model -d reg list >list &&
	test "$(wc -l <list)" = 2 &&
	awk -v v="$(cat v1)" "NR == 2 && \$1 == v && \$2 == \"dpg\" &&
	    \$3 == 1 && \$6 == \"candidate\"" list | grep . &&
	cmp m1.tmt "reg/$(cat v1).tmt" &&
	"$PY" - <<-PYEOF
	import json
	import numpy as np, tmt_np
	reg = json.load(open("reg/registry.json"))
	e = reg["versions"][0]
	for h, a in tmt_np.frames(open("m1.tmt", "rb")):
	    k = h.get("meta", {}).get("kind")
	    if k == "tm-model":
	        assert e["from"] == h["meta"]["from"] and e["to"] == h["meta"]["to"]
	    if k == "tm-model-metrics":
	        names = h["labels"]["metric"]
	        best = int(np.argmax(a[:, names.index("valid_reward")]))
	        for i, n in enumerate(names):
	            assert abs(e["metrics"][n] - a[best, i]) < 1e-12, n
	        assert e["metrics"]["epoch"] == best + 1
	assert e["status"] == "candidate" and e["file"] == e["version"] + ".tmt"
	PYEOF
'

test_expect_success 'live: none yet is a problem (1)' '
	test_must_fail --status 1 tm-model -d reg live 2>err &&
	grep "no live model" err
'

test_expect_success 'promote, promote again, rollback, named rollback' '
	tm-model -d reg add m2.tmt && tm-model -d reg add m3.tmt &&
	tm-model -d reg promote "$(cat v1)" &&
	test "$(tm-model -d reg live)" = "reg/$(cat v1).tmt" &&
	tm-model -d reg promote "$(cat v2)" &&
	test "$(status reg "$(cat v1)")" = retired &&
	test "$(tm-model -d reg live)" = "reg/$(cat v2).tmt" &&
	tm-model -d reg rollback &&
	test "$(tm-model -d reg live)" = "reg/$(cat v1).tmt" &&
	test "$(status reg "$(cat v2)")" = retired &&
	test_must_fail --status 1 tm-model -d reg rollback &&
	tm-model -d reg rollback "$(cat v3)" &&
	test "$(tm-model -d reg live)" = "reg/$(cat v3).tmt" &&
	test_must_fail --status 1 tm-model -d reg promote "$(cat v3)"
'

test_expect_success 'shadow, retire (never the live one), approve' '
	tm-model -d reg shadow "$(cat v2)" &&
	test "$(status reg "$(cat v2)")" = shadow &&
	test_must_fail --status 1 tm-model -d reg retire "$(cat v3)" &&
	test_must_fail --status 1 tm-model -d reg shadow "$(cat v3)" &&
	test_must_fail --status 1 tm-model -d reg promote --require-approval \
	    "$(cat v2)" 2>err && grep "not approved" err &&
	tm-model -d reg approve "$(cat v2)" &&
	test "$(status reg "$(cat v2)")" = shadow+ &&
	tm-model -d reg promote --require-approval "$(cat v2)" &&
	test "$(tm-model -d reg live)" = "reg/$(cat v2).tmt" &&
	tm-model -d reg retire "$(cat v1)" &&
	test "$(status reg "$(cat v1)")" = retired
'

test_expect_success 'add --status live, --seed, --gate' '
	tm-model -d reg add --status live --seed 77 --gate "{\"pass\":true}" \
	    m4.tmt &&
	test "$(tm-model -d reg live)" = "reg/$(cat v4).tmt" &&
	test "$(status reg "$(cat v2)")" = retired+ &&
	tm-model -d reg list --json >j &&
	"$PY" -c "import json; r = json.load(open(\"j\"))
e = [e for e in r[\"versions\"] if e[\"version\"] == \"$(cat v4)\"][0]
assert e[\"seed\"] == 77 and e[\"gate\"] == {\"pass\": True}, e"
'

test_expect_success 'pruning keeps the last 20, never the live one' '
	tm-model -d reg promote "$(cat v1)" &&
	for s in $(seq 5 22); do tm-model -d reg add "m$s.tmt" || exit 1; done &&
	tm-model -d reg list >list &&
	test "$(wc -l <list)" = 21 &&
	test "$(status reg "$(cat v1)")" = live &&
	test -z "$(status reg "$(cat v2)")" &&
	test -z "$(status reg "$(cat v3)")" &&
	test ! -e "reg/$(cat v2).tmt" && test ! -e "reg/$(cat v3).tmt" &&
	test "$(ls reg/*.tmt | wc -l)" = 20 &&
	tm-model -d reg --keep 3 add m2.tmt &&
	tm-model -d reg list | awk "NR > 1 { print \$1 }" >left &&
	printf "%s\n" "$(cat v1)" "$(cat v22)" "$(cat v2)" >want &&
	test_cmp want left
'

test_expect_success 'pruning keeps a shadow and an approved candidate too' '
	tm-model -d reg2 add --status live m1.tmt &&
	tm-model -d reg2 add --status shadow m2.tmt &&
	tm-model -d reg2 add m3.tmt && tm-model -d reg2 approve "$(cat v3)" &&
	tm-model -d reg2 add m4.tmt && tm-model -d reg2 add m5.tmt &&
	tm-model -d reg2 --keep 1 add m6.tmt &&
	tm-model -d reg2 list | awk "NR > 1 { print \$1, \$6 }" >left &&
	printf "%s\n" "$(cat v1) live" "$(cat v2) shadow" \
	    "$(cat v3) candidate+" "$(cat v6) candidate" >want &&
	test_cmp want left &&
	test ! -e "reg2/$(cat v4).tmt" && test ! -e "reg2/$(cat v5).tmt" &&
	test -e "reg2/$(cat v2).tmt" && test -e "reg2/$(cat v3).tmt" &&
	tm-model -d reg2 retire "$(cat v2)" &&
	tm-model -d reg2 --keep 1 add m7.tmt &&
	tm-model -d reg2 list | awk "NR > 1 { print \$1 }" >left &&
	printf "%s\n" "$(cat v1)" "$(cat v3)" "$(cat v7)" >want &&
	test_cmp want left
'

test_expect_success 'the journal: one line per change, seq 1, 2, 3, ...' '
	"$PY" - <<-PYEOF
	import json
	lines = [json.loads(l) for l in open("reg/journal.jsonl")]
	assert [l["seq"] for l in lines] == list(range(1, len(lines) + 1))
	reg = json.load(open("reg/registry.json"))
	assert reg["seq"] == len(lines) and reg["last"] == lines[-1]
	acts = [l["action"] for l in lines]
	for a in ("add", "promote", "rollback", "shadow", "retire", "approve"):
	    assert a in acts, a
	assert any("pruned" in l for l in lines)
	PYEOF
'

test_expect_success 'a lost journal line and orphan files are recovered' '
	sed "\$d" reg/journal.jsonl >j && cat j >reg/journal.jsonl &&
	: >reg/0123456789abcdef.tmt && : >reg/.registry.json.Xy12ab &&
	tm-model -d reg approve "$(cat v22)" &&
	test ! -e reg/0123456789abcdef.tmt && test ! -e reg/.registry.json.Xy12ab &&
	"$PY" -c "import json
s = [json.loads(l)[\"seq\"] for l in open(\"reg/journal.jsonl\")]
assert s == list(range(1, len(s) + 1)), s"
'

test_expect_success 'the lock: a second writer gets 75, readers go on' '
	"$PY" - "$TOP/bin" <<-PYEOF
	import fcntl, subprocess
	fd = open("reg/.tm-model.lock", "a")
	fcntl.flock(fd, fcntl.LOCK_EX)
	r = subprocess.run(["tm-model", "-d", "reg", "approve", "$(cat v21)"],
	                   capture_output=True, text=True)
	assert r.returncode == 75, (r.returncode, r.stderr)
	assert "another tm-model" in r.stderr
	assert subprocess.run(["tm-model", "-d", "reg", "list"],
	                      capture_output=True).returncode == 0
	PYEOF
'

test_expect_success 'refusals: duplicate 1, unknown 66, bad files 65, usage 64' '
	test_must_fail --status 1 tm-model -d reg add m1.tmt 2>err &&
	grep "already in the registry" err &&
	test_must_fail --status 66 tm-model -d reg promote 00000000deadbeef &&
	test_must_fail --status 66 tm-model -d reg add nosuch.tmt &&
	test_must_fail --status 65 tm-model -d reg add slots.tmt &&
	mkdir bad && echo "{\"seq\": 1}" >bad/registry.json &&
	test_must_fail --status 65 tm-model -d bad list &&
	echo "not json" >bad/registry.json &&
	test_must_fail --status 65 tm-model -d bad list &&
	test_must_fail --status 64 tm-model -d reg &&
	test_must_fail --status 64 tm-model -d reg frobnicate x &&
	test_must_fail --status 64 tm-model -d reg promote &&
	test_must_fail --status 64 tm-model -d reg add --status bogus m5.tmt 2>err &&
	grep -q -- "--status bogus: want candidate, shadow, live or retired" err
'

test_expect_success 'add --status retired: added and retired in one change' '
	tm-model -d reg4 add --status live m1.tmt &&
	tm-model -d reg4 add --status retired --gate "{\"verdict\":\"fail\"}" m2.tmt &&
	test "$(status reg4 "$(cat v2)")" = retired &&
	test "$(status reg4 "$(cat v1)")" = live &&
	tail -n 1 reg4/journal.jsonl >last &&
	grep -q "\"action\": *\"add\"" last &&
	grep -q "\"to\": *\"retired\"" last &&
	test "$(grep -c . reg4/journal.jsonl)" -eq 2
'

test_expect_success 'TM_HOME chooses the default folder' '
	mkdir home && TM_HOME=$PWD/home tm-model add m5.tmt &&
	test -s home/data/models/registry.json
'

# examples PAGE: the literal blocks of a man page's EXAMPLES, as a script.
examples() {
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$1" | col -bx |
	    sed -n "/^EXAMPLES\$/,/^[A-Z]/p" | sed -n "s/^           //p"
}

if command -v mandoc >/dev/null; then
	test_expect_success 'the EXAMPLES of tm-model(1) run' '
		mkdir ex && cd ex &&
		examples "$TOP/man/tm-model.1" >ex.sh &&
		test "$(grep -c "tm-model" ex.sh)" -ge 7 &&
		TM_HOME=$PWD sh -e ex.sh >out &&
		awk -F"\t" "\$6 == \"live\"" out | grep . &&
		grep "^date,slot,weight,confidence" out
	'
else
	test_skip 'the EXAMPLES of tm-model(1) run' 'mandoc is not installed'
fi

test_done

#!/bin/sh
# tm-slotmap --state: replay day by day equals one long run, re-runs are
# no-ops, bad state files are refused, and kill -9 leaves a whole state
# from which a resumed run ends exactly like an uninterrupted one.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/data/slotmap
PY=/usr/bin/python3
export D PY
rows() { tmt-dump | grep -v "	@"; }	# frames as text, all but @lines

test_expect_success 'fixtures: the reconstitution frames, whole and one per day' '
	tmt-mkframes <"$D/recon.frames" >recon.tmt &&
	awk "/^fields/ { h = \$0; next } /^date/ { n++; f = sprintf(\"day%02d.txt\", n); print h >f }
	    n { print >>f }" "$D/recon.frames" &&
	test $(ls day*.txt | wc -l) = 12 &&
	for f in day*.txt; do tmt-mkframes <$f >${f%.txt}.tmt || return 1; done
'

test_expect_success 'one long run with a state file' '
	tm-slotmap -l 4,2,1 --members "$D/recon.csv" -s long.json recon.tmt >long.tmt 2>/dev/null &&
	$PY -c "import json; s = json.load(open(\"long.json\")); assert s[\"last\"] == \"2021-08-02\", s" &&
	tmt-dump <long.tmt >long.dump
'

test_expect_success 'day by day through the state file: same frames, same state' '
	for f in day*.tmt; do
		tm-slotmap -l 4,2,1 --members "$D/recon.csv" -s daily.json $f 2>/dev/null || return 1
	done >daily.tmt &&
	tmt-dump <daily.tmt >daily.dump &&
	test_cmp long.dump daily.dump &&
	test_cmp long.json daily.json
'

test_expect_success 'overlapping pieces: applied days are skipped, not applied twice' '
	cat day01.tmt day02.tmt day03.tmt day04.tmt >p1.tmt &&
	cat day03.tmt day04.tmt day05.tmt day06.tmt day07.tmt day08.tmt >p2.tmt &&
	tm-slotmap -l 4,2,1 --members "$D/recon.csv" -s piece.json p1.tmt >pieces.tmt 2>err1 &&
	tm-slotmap --members "$D/recon.csv" -s piece.json p2.tmt >>pieces.tmt 2>err2 &&
	grep "skipped 2 frames dated on or before 2020-03-02, already applied in state piece.json" err2 &&
	tm-slotmap --members "$D/recon.csv" -s piece.json recon.tmt >>pieces.tmt 2>err3 &&
	grep "skipped 8 frames" err3 &&
	tmt-dump <pieces.tmt >pieces.dump &&
	test_cmp long.dump pieces.dump &&
	test_cmp long.json piece.json
'

test_expect_success 're-running the last day is a no-op: no frame, state unchanged' '
	cp long.json again.json &&
	tm-slotmap --members "$D/recon.csv" -s again.json day12.tmt >again.tmt 2>err &&
	grep "skipped 1 frames" err &&
	tmt-dump <again.tmt >again.dump &&
	test ! -s again.dump &&
	test_cmp long.json again.json
'

test_expect_success 'the state file names every occupied slot of the last frame' '
	grep "^2021-08-02	" long.dump | grep -v "	[@#]" >last &&
	$PY -c "
import json
s = json.load(open(\"long.json\"))
assert s[\"layout\"] == {\"name\": \"4,2,1\", \"active\": 4, \"archive\": 2, \"padding\": 1}
want = {}
for i, line in enumerate(open(\"last\")):
    t = line.split(\"\t\")[1]
    if t != \"-\": want[i] = t
got = {e[\"slot\"]: e[\"ticker\"] for e in s[\"slots\"]}
assert got == want, (got, want)
"
'

test_expect_success 'a -l that differs from the state layout exits 64' '
	cp long.json lay.json &&
	test_must_fail --status 64 tm-slotmap -l r1000 -s lay.json recon.tmt 2>err &&
	grep "state lay.json: layout 4,2,1, not the r1000 asked for" err &&
	tm-slotmap -l 4,2,1 -s lay.json recon.tmt 2>/dev/null >/dev/null
'

badstate() {	# badstate NAME PYTHON-EDIT PATTERN
	test_expect_success "bad state file: $1" "
		$PY -c 'import json, sys
s = json.load(open(\"long.json\"))
$2
open(\"bad.json\", \"w\").write(s if isinstance(s, str) else json.dumps(s))' &&
		cp bad.json before.json &&
		test_must_fail --status 65 tm-slotmap -s bad.json recon.tmt >/dev/null 2>err &&
		grep '$3' err &&
		cmp before.json bad.json
	"
}
badstate 'truncated JSON' 's = open("long.json").read()[:100]' '^tm-slotmap: state bad.json:[0-9]*: '
badstate 'slot out of range' 's["slots"][0]["slot"] = 6' 'state bad.json: "slot" is not a count in \[0, 5\]'
badstate 'ticker twice' 's["slots"][1]["ticker"] = s["slots"][0]["ticker"]' 'state bad.json: AAA in two slots'
badstate 'archived in an active slot' 's["slots"][0]["archived"] = "2020-01-02"' 'archive date and region disagree'
badstate 'bad last date' 's["last"] = "2021-02-30"' 'state bad.json: "last" is not a date'
badstate 'wrong version' 's["version"] = 2' 'state bad.json: "version"'
# A name past the 63 bytes a layout keeps was cut short: another name,
# or half a character, and then the save at the end of the run died 70.
badstate 'layout name of 64 bytes' 's["layout"]["name"] = "x" * 64' \
    'state bad.json: layout name longer than 63 bytes'
badstate 'layout name of 40 two-byte characters' \
    's["layout"]["name"] = chr(233) * 40; s["last"] = None' \
    'state bad.json: layout name longer than 63 bytes'

# kill -9 during a long run whose state changes on every frame.
test_expect_success 'long fixture: 200 days, a change every day' '
	$PY "$D/gen-long.py" 200 200 gl &&
	tmt-mkframes <gl.txt >gl.tmt &&
	tm-slotmap -l 300,300,10 --members gl.csv -s whole.json gl.tmt >whole.tmt &&
	tmt-dump <whole.tmt >whole.dump
'

# The input is a FIFO this shell keeps open for writing, so the run never
# sees EOF: the kill always finds it alive, wherever it has got to.
for k in 1 2 3; do
	test_expect_success "kill -9 mid-run ($k): the state is whole, resume ends the same" "
		rm -f st.json in.fifo && mkfifo in.fifo &&
		exec 8<>in.fifo &&
		{ tm-slotmap -l 300,300,10 --members gl.csv -s st.json <in.fifo >part.tmt 2>/dev/null 8>&- & } &&
		pid=\$! &&
		{ cat gl.tmt >in.fifo 8>&- & } &&
		cpid=\$! &&
		$PY -c '
import datetime, json, sys, time
# Wait (bounded) until the run has saved a state $k quarters in.
end = time.time() + 60
want = datetime.date(2000, 1, 3) + datetime.timedelta(days=$k * 70)
while time.time() < end:
    try:
        s = json.load(open(\"st.json\"))
        if s[\"last\"] and datetime.date.fromisoformat(s[\"last\"]) >= want:
            sys.exit(0)
    except (OSError, ValueError):
        pass
    time.sleep(0.001)
sys.exit(1)
' &&
		kill -9 \$pid && { wait \$pid; test \$? = 137; } &&
		exec 8>&- && { wait \$cpid || true; } &&
		$PY -c 'import json; s = json.load(open(\"st.json\")); print(s[\"last\"])' >L &&
		L=\$(cat L) && echo \"killed after \$L\" &&
		grep -q \"^\$L	#\" whole.dump &&
		{ tmt-dump <part.tmt >part.dump 2>/dev/null || true; } &&
		last=\$(tail -1 part.dump | cut -f1) &&
		{ test \"\$last\" = \"\$L\" || test \"\$last\" \\> \"\$L\"; } &&
		tm-slotmap --members gl.csv -s st.json gl.tmt >resumed.tmt 2>/dev/null &&
		tmt-dump <resumed.tmt >resumed.dump &&
		awk -F'\t' -v L=\"\$L\" '\$1 > L' whole.dump >tail.dump &&
		test_cmp tail.dump resumed.dump &&
		test_cmp whole.json st.json
	"
done

test_done

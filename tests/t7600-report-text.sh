#!/bin/sh
# tm-report -o text: the day's report from fixture inputs written by
# tests/helpers/report_fixture.py from the CONVENTIONS layouts; columns
# within 100; missing optional inputs show as "none yet"; malformed ones
# fail with file:line and exit 65.
. "$(dirname "$0")/lib.sh"

test_need_numpy
FIX=$TOP/tests/helpers/report_fixture.py
export PY FIX

# rep DIR [args]: tm-report over the fixture in DIR
rep() {
	d=$1; shift
	tm-report --recs "$d/recs.tmt" -s "$d/state" -L "$d/log" -M "$d/models" "$@"
}

test_expect_success 'the fixture is written' '
	"$PY" "$FIX" --days 80 --tickers 90 f &&
	test -s f/recs.tmt && test -s f/state/journal.jsonl
'

test_expect_success 'text report: every line within 100 columns' '
	rep f >out &&
	test -s out &&
	awk "length > 100 { print; bad = 1 } END { exit bad }" out
'

test_expect_success 'text report: BUY and SELL counts and the lists are capped' '
	rep f >out &&
	nbuy=$("$PY" -c "import json; print(json.load(open(\"f/truth.json\"))[\"nbuy\"])") &&
	nsell=$("$PY" -c "import json; print(json.load(open(\"f/truth.json\"))[\"nsell\"])") &&
	grep "^BUY: $nbuy (top 25 shown)\$" out &&
	grep "^SELL: $nsell (top 15 shown)\$" out &&
	sed -n "/^BUY:/,/^\$/p" out | grep -c "^  T[0-9]" >n &&
	echo 25 >expect && test_cmp expect n &&
	sed -n "/^SELL:/,/^\$/p" out | grep -c "^  T[0-9]" >n &&
	echo 15 >expect && test_cmp expect n
'

test_expect_success 'text report: BUY rows ordered by the size of the change' '
	rep f >out &&
	sed -n "/^BUY:/,/^\$/p" out | awk "/^  T[0-9]/ { sub(/%/, \"\", \$3); print \$3 + 0 }" >got &&
	sort -g -r got >sorted && test_cmp sorted got
'

test_expect_success 'text report: value, date and fetch rate as the fixture says' '
	rep f >out &&
	"$PY" - >expect <<-\PYEOF &&
	import json
	t = json.load(open("f/truth.json"))
	print("TMagikarp daily report %s  model v1" % t["date"])
	print("%s of %s" % (t["fetch_ok"], t["fetch_all"]))
	print("value {:,.2f}".format(t["value"]))
	PYEOF
	head -1 out >got &&
	grep -o "fetch success, 30 days: [0-9]* of [0-9]*" out |
	    sed "s/.*: //" >>got &&
	grep -o "value [0-9,.]*" out >>got &&
	test_cmp expect got
'

test_expect_success 'text report: Sharpe over the journal since its reset' '
	rep f >out &&
	"$PY" -c "import json; print(\"%.2f\" % json.load(open(\"f/truth.json\"))[\"sharpe\"])" >expect &&
	sed -n "s/.*Sharpe \([-0-9.]*\) .*/\1/p" out >got &&
	test_cmp expect got
'

test_expect_success 'missing state, log and registry: none yet, exit 0' '
	mkdir empty &&
	tm-report --recs f/recs.tmt -s empty/state -L empty/log -M empty/models >out &&
	grep "holdings: none yet" out &&
	grep "PERFORMANCE: none yet" out &&
	grep "MODELS: none yet" out &&
	grep "HEALTH: none yet" out
'

test_expect_success 'no inputs at all: none yet everywhere, exit 0' '
	tm-report -s empty/state -L empty/log -M empty/models >out &&
	grep "RECOMMENDATIONS: none yet" out
'

test_expect_success 'a malformed journal line: file:line, exit 65' '
	cp -r f bad &&
	sed -i "5s/.*/{\"date\": \"2026-01-01\", oops/" bad/state/journal.jsonl &&
	test_must_fail --status 65 rep bad 2>err &&
	grep "^tm-report: bad/state/journal.jsonl:5: " err &&
	test $(wc -l <err) = 1
'

test_expect_success 'a journal line without value_after: file:line, exit 65' '
	rm -rf bad && cp -r f bad &&
	sed -i "3s/\"value_after\"/\"value_later\"/" bad/state/journal.jsonl &&
	test_must_fail --status 65 rep bad 2>err &&
	grep "^tm-report: bad/state/journal.jsonl:3: .*value_after" err
'

test_expect_success 'a malformed run log line: file:line, exit 65' '
	rm -rf bad && cp -r f bad &&
	l=$(ls bad/log | head -1) &&
	echo "{\"tool\": 3}" >>"bad/log/$l" &&
	n=$(wc -l <"bad/log/$l") &&
	test_must_fail --status 65 rep bad 2>err &&
	grep "^tm-report: bad/log/$l:$n: " err
'

test_expect_success 'a malformed registry and portfolio: exit 65' '
	rm -rf bad && cp -r f bad &&
	printf "{\n\"versions\": [\n{]}\n" >bad/models/registry.json &&
	test_must_fail --status 65 rep bad 2>err &&
	grep "^tm-report: bad/models/registry.json:3: " err &&
	rm -rf bad && cp -r f bad &&
	echo "[1, 2]" >bad/state/portfolio.json &&
	test_must_fail --status 65 rep bad 2>err &&
	grep "^tm-report: bad/state/portfolio.json:1: " err
'

test_expect_success 'a recommendation stream that is not one: exit 65' '
	printf "no tmt here" >bad.tmt &&
	test_must_fail --status 65 tm-report --recs bad.tmt -s f/state 2>err &&
	test $(wc -l <err) = 1 &&
	printf "fields close\\ndate 2026-11-30\\nAAPL 1\\n" |
	    tmt-mkframes -t F64 >other.tmt &&
	test_must_fail --status 65 tm-report --recs other.tmt -s f/state 2>err &&
	grep "^tm-report: other.tmt: no field .action.$" err
'

test_expect_success 'a named recommendation file that is missing: exit 66' '
	test_must_fail --status 66 tm-report --recs nothere.tmt -s f/state
'

test_expect_success 'usage errors: exit 64' '
	test_must_fail --status 64 tm-report -o pdf &&
	test_must_fail --status 64 tm-report -o html &&
	test_must_fail --status 64 tm-report extra &&
	test_must_fail --status 64 tm-report --bogus 2>err &&
	grep "^usage: tm-report" err
'

test_expect_success 'recommendations from stdin' '
	rep f >expect &&
	tm-report --recs - -s f/state -L f/log -M f/models <f/recs.tmt >got &&
	test_cmp expect got
'

test_expect_success 'control characters of a ticker never reach the terminal' '
	"$PY" "$FIX" --inject --critical "$(printf "a\033[2Jb")" g &&
	rep g >out &&
	! grep -q "$(printf "\033")" out &&
	grep "CRITICAL: a?\[2Jb" out &&
	grep "<script>alert(1)</script>" out
'

test_done

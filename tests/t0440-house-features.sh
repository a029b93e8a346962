#!/bin/sh
# The feature catalogue is one table (tools/tm-features/sets.c, issue 13):
# tm-features --list prints it, man/tm-features.1 documents each set's
# features in its order and counts them under -s, the -s error names its
# sets, and every entry declares the indicators it needs (the need mask
# main.c reads instead of a switch per kind).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export PY
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'

# The table's entries as "SET NAME KIND IND NEED", one a line.
cat >"$TRASH/cat.py" <<'PYEOF'
import re, sys
src = open(sys.argv[1]).read()
body = src[src.index("cat[] = {"):]
body = body[:body.index("\n};")]
ent = re.findall(r'\{ "([^"]+)", "([^"]+)", (FK_\w+), (\w+), ([^,]+), (\w+) \}',
                 body)
n = len(re.findall(r'^\t\{ ', body, re.M))
if n != len(ent):
    sys.exit("sets.c: %d entries, %d parsed" % (n, len(ent)))
for name, set_, kind, ind, need, fn in ent:
    print(set_, name, kind, ind, need.replace(" ", ""), fn)
PYEOF

# man/tm-features.1's lists: "SET NAME" for each .It Cm line of the
# ".Ss The SET set" sections, in order; and "SET COUNT" from -s.
cat >"$TRASH/man.py" <<'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
mode = sys.argv[2]
if mode == "lists":
    cur = None
    for l in lines:
        m = re.match(r"\.Ss The (\w+) set$", l)
        if m:
            cur = m.group(1)
            continue
        if l.startswith(".Ss ") or l.startswith(".Sh "):
            cur = None
        if cur and l.startswith(".It Cm "):
            for w in l[len(".It Cm "):].split(" , "):
                print(cur, w.strip())
else:
    text = "\n".join(lines)
    s = text[text.index(".It Fl \\-set Ar set"):]
    s = s[:s.index("\n.It ", 1)]
    for set_, n in re.findall(r"\.Cm (\w+)\n\((\d+)", s):
        print(set_, n)
PYEOF

test_expect_success 'the catalogue parses' '
	"$PY" cat.py "$TOP/tools/tm-features/sets.c" >cat &&
	test "$(wc -l <cat)" -gt 60
'

test_expect_success 'tm-features --list prints the catalogue, in order, exit 0' '
	tm-features --list </dev/null >list 2>err &&
	test ! -s err &&
	cut -d" " -f1,2 cat >want &&
	test_cmp want list
'

test_expect_success 'tm-features --list with an operand is a usage error' '
	test_must_fail --status 64 tm-features --list x </dev/null 2>err &&
	grep "^usage: tm-features" err
'

test_expect_success 'each set of the man page lists its catalogue features in order' '
	"$PY" man.py "$TOP/man/tm-features.1" lists >man.list &&
	test -s man.list &&
	cut -d" " -f1 cat | sort -u >sets &&
	cut -d" " -f1 man.list | sort -u >man.sets &&
	test_cmp sets man.sets &&
	for s in $(cat sets); do
		grep "^$s " list >c.$s &&
		grep "^$s " man.list >m.$s &&
		test_cmp c.$s m.$s || exit 1
	done
'

test_expect_success 'the man page counts each set under -s as the catalogue does' '
	"$PY" man.py "$TOP/man/tm-features.1" counts >man.counts &&
	cut -d" " -f1 list | uniq -c | awk "{ print \$2, \$1 }" >counts &&
	test_cmp counts man.counts
'

test_expect_success 'the --set error names the catalogue sets' '
	test_must_fail --status 64 tm-features --set nosuch </dev/null 2>err &&
	want=$(cut -d" " -f1 list | uniq | paste -sd, | sed "s/,/, /g") &&
	grep -F "tm-features: --set nosuch: no such set ($want)" err
'

test_expect_success 'every entry declares what it needs' '
	# from an indicator: its own bit; the band ratios: the three bands;
	# fundamentals, zeros and functions of the state: nothing computed
	awk "
	\$3 ~ /^FK_(IND|PRICE|ONE|SMAR)\$/ && \$5 != \"N(\" \$4 \")\" { bad = 1; print }
	\$3 ~ /^FK_(PCTB|WIDTH)\$/ && \$5 != \"N(I_BBU)|N(I_BBM)|N(I_BBL)\" { bad = 1; print }
	\$3 ~ /^FK_(FUND|ZERO|FN)\$/ && \$5 != \"0\" { bad = 1; print }
	\$3 == \"FK_FN\" && \$6 == \"NULL\" { bad = 1; print }
	\$3 != \"FK_FN\" && \$6 != \"NULL\" { bad = 1; print }
	END { exit bad }" cat
'

test_expect_success 'tm-features main.c has no switch on a feature kind' '
	! grep -n "FK_" "$TOP/tools/tm-features/main.c" | grep -v FK_ZERO
'

test_done

#!/bin/sh
# One meaning per short option letter across the suite: every tool's
# getopt letters are the ones CONVENTIONS.md's "Short options" table
# gives it, and a letter that also has a long name has the same long name
# in every tool (the table's one exception, -o, aside).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

cat >"$TRASH/opts.py" <<'PYEOF'
import glob, os, re, sys
top = sys.argv[1]
table = {}
conv = open(os.path.join(top, "CONVENTIONS.md")).read()
sec = conv.split("## Short options", 1)[1].split("\n## ", 1)[0]
for m in re.finditer(r"^\| `-(.)` \| [^|]* \| ([^|]*) \|$", sec, re.M):
    for t in m.group(2).split(","):
        table.setdefault(m.group(1), set()).add(t.strip())
got, longs = {}, {}
for d in sorted(glob.glob(os.path.join(top, "tools", "*"))):
    tool = os.path.basename(d)[:-2] if d.endswith(".c") else os.path.basename(d)
    files = [d] if d.endswith(".c") else glob.glob(d + "/*.c")
    src = "".join(open(f).read() for f in files)
    lo = dict((v, n) for n, v in re.findall(
        r'\{\s*"([a-z0-9-]+)",\s*\w+,\s*NULL,\s*\'(.)\'\s*\}', src))
    for g in re.findall(r'getopt(?:_long)?\(\s*argc,\s*argv,\s*"([^"]*)"', src):
        for c in re.sub(r"[:+]", "", g):
            got.setdefault(c, set()).add(tool)
            if c in lo:
                longs.setdefault(c, {})[tool] = lo[c]
bad = 0
for c in sorted(set(got) | set(table)):
    if got.get(c, set()) != table.get(c, set()):
        print("-%s: the tools have it as %s, CONVENTIONS.md says %s" % (
            c, sorted(got.get(c, ())), sorted(table.get(c, ()))))
        bad = 1
    names = set(longs.get(c, {}).values())
    if len(names) > 1 and c != "o":
        print("-%s: long names differ: %s" % (c, longs[c]))
        bad = 1
sys.exit(bad)
PYEOF

test_expect_success 'every short option is the table'"'"'s, one meaning a letter' '
	"$PY" opts.py "$TOP" >out 2>&1 || { cat out; false; }
'

test_expect_success 'a letter given to a second meaning is caught' '
	mkdir -p top/tools/tm-x &&
	cp "$TOP/CONVENTIONS.md" top/ &&
	cp -r "$TOP/tools/." top/tools/ &&
	printf "%s\n" "int f(int argc, char **argv) { return getopt(argc, argv, \"s:\"); }" \
	    >top/tools/tm-x/main.c &&
	! "$PY" opts.py top >out 2>&1 &&
	grep -q "^-s: the tools have it as" out
'

test_expect_success 'the dropped letters are refused with 64' '
	test_must_fail --status 64 tm-slotmap -m x </dev/null 2>/dev/null &&
	test_must_fail --status 64 tm-features -s finrl </dev/null 2>/dev/null &&
	test_must_fail --status 64 tm-fetch -s yahoo AAPL 2>/dev/null &&
	test_must_fail --status 64 tm-infer -l -m x </dev/null 2>/dev/null &&
	test_must_fail --status 64 tm-report -m 2>/dev/null
'

test_done

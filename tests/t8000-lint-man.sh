#!/bin/sh
# Man pages and tools agree: every tool has a page and every page a tool,
# the pages are clean under mandoc -Tlint -Wwarning and have the sections
# the rules ask for, and each built tool's usage text (printed on a bad
# option, exit 64) lists the same options as its page's SYNOPSIS.
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export PY

# The tools that exist: tools/tm-x.c, or a folder tools/tm-x/ with sources.
tools=
for t in "$TOP"/tools/tm-*; do
	n=$(basename "$t" .c)
	case $t in
	*.c) ;;
	*) ls "$t"/*.c >/dev/null 2>&1 || continue ;;
	esac
	case " $tools " in *" $n "*) ;; *) tools="$tools $n" ;; esac
done

# flags FILE: the option names in a usage or SYNOPSIS text, one a line;
# a cluster such as -qv counts as -q and -v.
cat >"$TRASH/flags.py" <<'PYEOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
out = set()
for m in re.finditer(r"(?<![\w-])(--?)([A-Za-z][\w-]*)", text):
    dash, name = m.groups()
    if dash == "--":
        out.add("--" + name)
    else:
        out.update("-" + c for c in name)
print("\n".join(sorted(out)))
PYEOF

for n in $tools; do
	test_expect_success "$n has a man page" "
		test -f '$TOP/man/$n.1'
	"
done

for m in "$TOP"/man/tm-*.1; do
	[ -e "$m" ] || continue
	n=$(basename "$m" .1)
	test_expect_success "man/$n.1 documents a tool that exists" "
		test -f '$TOP/tools/$n.c' || test -d '$TOP/tools/$n'
	"
	test_expect_success "man/$n.1 has the required sections" "
		for s in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' EXAMPLES 'SEE ALSO'
		do
			grep -q \"^\\.Sh \$s\\\$\" '$m' ||
			grep -q \"^\\.Sh \\\"\$s\\\"\\\$\" '$m' ||
			{ echo \"no \$s section\"; exit 1; }
		done
	"
done

for m in "$TOP"/man/*.[1-9]; do
	[ -e "$m" ] || continue
	test_expect_success "mandoc -Tlint -Wwarning $(basename "$m")" "
		mandoc -Tlint -Wwarning '$m'
	"
done

for n in $tools; do
	if [ ! -x "$TM_BIN/$n" ]; then
		test_skip "$n: usage matches SYNOPSIS" "$TM_BIN/$n is not built"
		continue
	fi
	if [ ! -f "$TOP/man/$n.1" ]; then
		test_skip "$n: usage matches SYNOPSIS" "no man/$n.1"
		continue
	fi
	test_expect_success "$n: a bad option exits 64 with the SYNOPSIS options" "
		rc=0 &&
		timeout 10 '$n' --no-such-option-x </dev/null >out 2>err || rc=\$? &&
		test \$rc = 64 || { echo \"exit \$rc, want 64\"; cat err; exit 1; } &&
		! test -s out &&
		grep -v -i -e 'unrecognized option' -e 'invalid option' \
		    -e 'illegal option' -e 'unknown option' err >usage &&
		grep -q -i 'usage' usage &&
		MANWIDTH=200 mandoc -Tutf8 -Owidth=200 '$TOP/man/$n.1' | col -b |
		    sed -n '/^SYNOPSIS/,/^[A-Z]/p' | sed '1d;\$d' >synopsis &&
		test -s synopsis &&
		\"\$PY\" flags.py synopsis >want &&
		\"\$PY\" flags.py usage >got &&
		test_cmp want got &&
		# and the same words in the same order, spacing aside
		sed 's/^[Uu]sage: *//' usage | tr -s ' \t\n' '   ' |
		    sed 's/^ //;s/ \$//' >usage.words &&
		tr -s ' \t\n' '   ' <synopsis | sed 's/^ //;s/ \$//' >synopsis.words &&
		test_cmp synopsis.words usage.words
	"
done

test_done

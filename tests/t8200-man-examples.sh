#!/bin/sh
# The EXAMPLES in the man pages: every tm-* command they name is a tool
# that exists, and every page's EXAMPLES have a test that runs them as
# printed and checks their output (tests/t82NN-examples-PAGE.sh, with
# man_examples() of lib.sh; tm-backtest's is t6130).
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'

# section PAGE NAME: the rendered text of one section, spaces not tabs.
section() {
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$1" | col -bx |
	    sed -n "/^$2\$/,/^[A-Z]/p" | sed '1d;$d'
}

for m in "$TOP"/man/*.[1-9]; do
	[ -e "$m" ] || continue
	n=$(basename "$m")
	test_expect_success "$n: EXAMPLES name only tools that exist" "
		section '$m' EXAMPLES >ex &&
		grep -o '\\btm-[a-z]*' ex | sort -u >named || true
		for t in \$(cat named); do
			test -f '$TOP'/tools/\$t.c || test -d '$TOP'/tools/\$t ||
			{ echo \"$n names \$t, which is not in tools/\"; exit 1; }
		done
	"
done

for m in "$TOP"/man/*.[1-9]; do
	n=$(basename "$m")
	p=${n%.*} p=${p#tm-}
	case $p in backtest) t=t6130-backtest-examples.sh ;; *) t="t82[0-9][0-9]-examples-$p.sh" ;; esac
	test_expect_success "$n: a test runs its EXAMPLES" "
		ls '$TOP'/tests/$t >/dev/null 2>&1 ||
		{ echo 'no tests/$t'; exit 1; }
	"
done

test_done

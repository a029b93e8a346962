#!/bin/sh
# The EXAMPLES in the man pages work: the Python reader printed in
# tm-tensor(5) reads the interop fixture (and refuses a truncated one), and
# every tm-* command an EXAMPLES section names is a tool that exists.
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
PY=/usr/bin/python3
export PY

# section PAGE NAME: the rendered text of one section, spaces not tabs.
section() {
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$1" | col -bx |
	    sed -n "/^$2\$/,/^[A-Z]/p" | sed '1d;$d'
}

if "$PY" -c 'import numpy' 2>/dev/null; then
	test_expect_success 'tm-tensor(5): the Python reader in EXAMPLES runs' "
		section '$TOP/man/tm-tensor.5' EXAMPLES >ex &&
		sed -n '/^ *import json/,/^ *print(/p' ex >raw &&
		\"\$PY\" -c 'import sys, textwrap
sys.stdout.write(textwrap.dedent(open(sys.argv[1]).read()))' raw >reader.py &&
		grep -q 'def frames' reader.py &&
		tmt-fixture >f.tmt &&
		\"\$PY\" reader.py <f.tmt >out &&
		cat >expect <<-\\EOF &&
		2024-06-03 (3, 2)
		2024-06-04 (3, 3)
		2024-06-05 (2, 2)
		None (4,)
		2024-06-06 (2, 1, 2)
		EOF
		test_cmp expect out &&
		cat f.tmt f.tmt | \"\$PY\" reader.py >out2 &&
		cat expect expect >expect2 &&
		test_cmp expect2 out2 &&
		head -c 1000 f.tmt >t.tmt &&
		! \"\$PY\" reader.py <t.tmt >/dev/null 2>&1
	"
else
	test_skip 'tm-tensor(5): the Python reader in EXAMPLES runs' \
	    "$PY cannot import numpy"
fi

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

test_done

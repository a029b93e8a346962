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

# tm-mail(1): the EXAMPLES lines that use --spool-only run as printed,
# each leaving one message in the spool that Python's email package reads.
if [ -f "$TOP/man/tm-mail.1" ] && [ -x "$TM_BIN/tm-mail" ]; then
	test_expect_success 'tm-mail(1): the --spool-only EXAMPLES run' "
		section '$TOP/man/tm-mail.1' EXAMPLES >ex &&
		grep -e '--spool-only' ex | sed 's/^ *//' >cmds &&
		test -s cmds &&
		mkdir -p mailex && n=0 &&
		while IFS= read -r cmd; do
			(cd mailex && TM_HOME=\$PWD TM_MAIL_SPOOL= sh -c \"\$cmd\" \
			    >path) || { echo \"failed: \$cmd\"; exit 1; }
			n=\$((n + 1))
			test -f \"\$(cat mailex/path)\" || exit 1
		done <cmds &&
		test \"\$(ls mailex/data/spool/new | wc -l)\" = \$n &&
		for f in mailex/data/spool/new/*; do
			\"\$PY\" -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))
assert m[\"Message-ID\"] and m[\"From\"] and not m.defects, sys.argv[1]' \"\$f\" ||
			    exit 1
		done
	"
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

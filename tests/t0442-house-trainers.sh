#!/bin/sh
# tm-train's trainer table (tools/tm-train/trainers.c) is where the
# trainers are listed: the --algo error and usage are built from it, and
# tm-train(1) must list the same names, in the same order, under
# Algorithms, in the SYNOPSIS and under --algo, with each one's default
# --lr as the table has it.
. "$(dirname "$0")/lib.sh"

SRC=$TOP/tools/tm-train/trainers.c
MAN=$TOP/man/tm-train.1

# The table's entries, "name lr" a line.
sed -n 's/^[[:space:]]*{ &algo_\([a-z0-9]*\), \([0-9.e-]*\),.*/\1 \2/p' \
    "$SRC" >"$TRASH/table"
cut -d' ' -f1 "$TRASH/table" >"$TRASH/names"

test_expect_success 'the table has trainers' '
	test "$(wc -l <names)" -ge 2
'

test_expect_success 'the --algo error names the table' '
	test_must_fail tm-train --algo nosuch --seed 1 -o m </dev/null 2>err &&
	sed -n "s/.*: not \(.*\)$/\1/p" err | sed "s/, / /g; s/ or / /" |
	    tr " " "\n" >got &&
	test_cmp names got
'

test_expect_success 'usage lists the table under --algo' '
	tm-train --help >usage &&
	sed -n "s/.*--algo \([^ ]*\) .*/\1/p" usage | tr "|" "\n" >got &&
	test_cmp names got
'

test_expect_success 'the SYNOPSIS lists the table under --algo' '
	grep "^\.Fl Fl algo Cm" "$MAN" | sed "s/^\.Fl Fl algo //" |
	    sed "s/ Ns | Ns / /g; s/Cm //g" | tr " " "\n" >got &&
	test_cmp names got
'

test_expect_success 'the Algorithms list has the table' '
	sed -n "/^\.Ss Algorithms/,/^\.El/p" "$MAN" |
	    sed -n "s/^\.It Cm //p" | sed "s/ , / /g" | tr " " "\n" >got &&
	test_cmp names got
'

test_expect_success 'the --algo option lists the table' '
	sed -n "/^\.It Fl Fl algo Ar name/,/^\.It/p" "$MAN" |
	    sed -n "s/^\.Cm //p" | sed "s/ \.$//; s/ , / /g" |
	    tr " " "\n" >got &&
	test_cmp names got
'

test_expect_success 'the --lr default is each trainer'"'"'s' '
	line=$(sed -n "/^\.It Fl Fl lr Ar rate/{n;p;}" "$MAN") &&
	while read -r name lr; do
		want=$(awk "BEGIN { printf \"%g\", $lr }") &&
		printf "%s\n" "$line" | tr -d "," |
		    awk -v n="$name" -v w="$want" "
			{ for (i = 1; i <= NF; i++) {
				if (\$i ~ /^[0-9.]+\$/) cur = \$i + 0
				g = \$i; gsub(/[().;]/, \"\", g)
				if (g == n && sprintf(\"%g\", cur) == w) ok = 1
			} }
			END { exit !ok }" || { echo "$name: --lr $want"; exit 1; }
	done <"$TRASH/table"
'

test_done

#!/bin/sh
# tm-train's trainer table (tools/tm-train/trainers.c) is where the
# trainers are listed: the --algo error and usage are built from it, and
# tm-train(1) must list the same names, in the same order, under
# Algorithms, in the SYNOPSIS and under --algo, with each one's default
# --lr as the table has it.  Each trainer's own file declares its knobs
# (-p name=value): usage and the SYNOPSIS show each once, the -p option of
# tm-train(1) lists them by trainer with their defaults, the trainer's
# Algorithms entry names them, and a knob the trainer lacks is refused
# naming the trainer and the knobs it has.
. "$(dirname "$0")/lib.sh"

SRC=$TOP/tools/tm-train/trainers.c
MAN=$TOP/man/tm-train.1

# The table's entries, "name lr" a line.
sed -n 's/^[[:space:]]*{ &algo_\([a-z0-9]*\), \([0-9.e-]*\),.*/\1 \2/p' \
    "$SRC" >"$TRASH/table"
cut -d' ' -f1 "$TRASH/table" >"$TRASH/names"

# The knobs, "trainer knob arg default; help" a line, from the file
# defining each trainer's struct algo (a knob row is one line: name, value
# as usage shows it, default, the bounds, help); "trainer -" for a file not
# found.  knobs has the same without the help.
while read -r name lr; do
	f=$(grep -l "^const struct algo algo_$name = " \
	    "$TOP"/tools/tm-train/*.c) && [ "$(printf "%s\n" "$f" | wc -l)" = 1 ] ||
	    { echo "$name -"; continue; }
	sed -n 's/^[[:space:]]*{ "\([a-z0-9_]*\)", "\([^"]*\)", "\([^"]*\)",.*, "\([^"]*\)" },$/\1 \2 \3; \4/p' \
	    "$f" | sed "s/^/$name /"
done <"$TRASH/table" >"$TRASH/knobhelp"
sed 's/; .*//' "$TRASH/knobhelp" >"$TRASH/knobs"

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
	sed -n "s/.*--algo \([^ ]*\).*/\1/p" usage | tr "|" "\n" >got &&
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

# Some trainer has a knob (ppo's critic), so an extraction that finds no
# rows is caught here rather than passing the checks below on nothing.
test_expect_success 'each trainer is defined in a file of its own, knobs found' '
	! grep " -$" knobs &&
	test -s knobs
'

# The knobs as usage and the SYNOPSIS show them: every trainer's, each
# once, in the table's order.
awk '!seen[$2 " " $3]++ { print "[-p " $2 "=" $3 "]" }' "$TRASH/knobs" \
    >"$TRASH/synknobs"

test_expect_success 'usage shows every knob once' '
	tm-train --help >usage &&
	grep -o "\[-p [^]]*\]" usage >got &&
	test_cmp synknobs got
'

test_expect_success 'the SYNOPSIS shows every knob once' '
	sed -n "/^\.Sh SYNOPSIS/,/^\.Sh/p" "$MAN" |
	    sed -n "s/^\.Op Fl p Cm //p" | sed "s/ Ns \([=|]\) Ns /\1/g; s/Cm //g" |
	    sed "s/.*/[-p &]/" >got &&
	test_cmp synknobs got
'

# The -p option's list, "trainer knob arg default; help" an entry: the
# tag ".It Cm ppo Cm critic Ns = Ns Cm 0 Ns | Ns Cm 1", then the line
# "Default 0; help".
cat >"$TRASH/plist.awk" <<'EOF'
/^\.It / {
	it = $2 " " $3
	sub(/=/, " ", it)
	next
}
it != "" {
	sub(/^Default /, "")
	print it, $0
	it = ""
}
EOF
# The Algorithms entries' knobs, "trainer knob" a line: each ".Fl p Cm
# knob" in an entry counts for every trainer its ".It Cm a , b" names.
cat >"$TRASH/alist.awk" <<'EOF'
/^\.It Cm / {
	n = split(substr($0, 8), nm, / , /)
	next
}
/^\.Fl p Cm / {
	for (i = 1; i <= n; i++)
		print nm[i], $4
}
EOF

test_expect_success 'the -p option lists each trainer'"'"'s knobs, defaults, help' '
	sed -n "/^\.It Fl p Ar knob/,/^\.El/p" "$MAN" | sed 1d |
	    sed "s/ Ns \([=|]\) Ns /\1/g; s/Cm //g" | awk -f plist.awk >got &&
	test_cmp knobhelp got
'

test_expect_success 'a trainer'"'"'s Algorithms entry names its knobs' '
	sed -n "/^\.Ss Algorithms/,/^\.Ss/p" "$MAN" | awk -f alist.awk |
	    sort -u >got &&
	cut -d" " -f1,2 knobs | sort -u >want &&
	test_cmp want got
'

test_expect_success 'a knob the trainer lacks: 64, naming the trainer and its knobs' '
	while read -r name lr; do
		want=$(awk -v n="$name" "\$1 == n { printf \"%s%s=%s\", k++ ? \", \" : \"\", \$2, \$3 }
		    END { if (!k) printf \"none\" }" knobs) &&
		test_must_fail --status 64 tm-train --algo "$name" -p nosuch=1 \
		    --seed 1 -o m </dev/null 2>err &&
		grep -Fx "tm-train: -p nosuch=1: $name has no knob '"'"'nosuch'"'"' (its knobs: $want)" err ||
		{ echo "$name: want its knobs: $want"; cat err; exit 1; }
	done <"$TRASH/table" &&
	test ! -e m
'

test_done

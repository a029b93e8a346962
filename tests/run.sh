#!/bin/sh
# run.sh - the whole suite in one prove run, so its summary is the verdict:
# every tests/tNNNN-*.sh against bin/, again against the ASan/UBSan build in
# bin-san/ (unless --plain), then the fuzzers for FUZZ_SECONDS.
set -eu
cd "$(dirname "$0")/.."
out=tests/out
rm -rf "$out/san"
mkdir -p "$out/san"
plain=${1:-}
set -- tests/t[0-9]*.sh
if [ "$plain" != "--plain" ] && [ -d build-san ]; then
	for t in tests/t[0-9]*.sh; do
		n=$(basename "$t")
		case $n in t9*) continue ;; esac	# fuzz and slow runs: once
		w=$out/san/$n
		printf '#!/bin/sh\nTM_BIN=%s/bin-san TM_SAN=1 exec sh %s/%s\n' \
		    "$PWD" "$PWD" "$t" >"$w"
		chmod +x "$w"
		set -- "$@" "$w"
	done
fi
exec prove -j2 --timer -e sh "$@"

#!/bin/sh
# deps.sh - install the Debian packages the build and the suite need,
# and nothing when all are present (so it is cheap to run every time).
# python3-pandas is for `make bench` only: tests/bench/features.sh's
# baseline (tests/helpers/finrl_pandas.py); no test needs it.  jq is
# what the man pages' EXAMPLES pipe into (t82xx run them), strace what
# t1009 watches the mapped pass-through with.
set -eu
pkgs="build-essential pkg-config libcurl4-openssl-dev libjansson-dev
zlib1g-dev libisal-dev liblapacke-dev libopenblas-dev libcsv-dev mandoc python3-numpy
shellcheck clang libclang-rt-14-dev valgrind bsdextrautils parallel
python3-aiosmtpd openssl chromium python3-pandas jq strace"
missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run make deps as root)" >&2
	exit 69
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

#!/bin/sh
# ny-at.sh HOUR CMD [ARG...] - run CMD only when it is HOUR o'clock in New
# York (the crontab lists a job at both of its possible UTC hours).  Exits
# 0 without running CMD at the other hour.
set -eu
[ $# -ge 2 ] || { echo "usage: ny-at.sh HOUR CMD [ARG...]" >&2; exit 64; }
want=$1
shift
now=$(TZ=America/New_York date +%H)
[ "$now" = "$(printf %02d "$want")" ] || exit 0
exec "$@"

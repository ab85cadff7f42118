#!/bin/sh
# Times `tema top` on a generated store of a million comments (tools/gen-store.c):
# the first run after the store changes builds the rollup table; later runs read it.
# Usage: tools/bench-reports.sh [BUILD]   (hook: make bench)
set -eu
BUILD=${1:-build}
db=$BUILD/bench/store-1m.db
mkdir -p "$BUILD/bench"
if [ ! -s "$db" ]; then
    echo "generating $db (1,000,000 comments; about a minute)"
    "$BUILD/tools/gen-store" "$db"
fi
ms() { date +%s%N; }
t0=$(ms); "$BUILD/tema" top --db "$db" >/dev/null; t1=$(ms)
echo "tema top, first run (builds the rollup if stale): $(( (t1 - t0) / 1000000 )) ms"
best=999999; runs=""
for i in 1 2 3 4 5 6 7; do
    t0=$(ms); "$BUILD/tema" top --db "$db" >/dev/null; t1=$(ms)
    t=$(( (t1 - t0) / 1000000 )); runs="$runs $t"; [ $t -lt $best ] && best=$t
done
echo "tema top, 1M comments, from the rollup: best $best ms (runs:$runs ms; target < 100 ms)"
for args in "--period quarter --compare prev" "--format json --lang sv --since 2024-01-01"; do
    t0=$(ms); "$BUILD/tema" top --db "$db" $args >/dev/null; t1=$(ms)
    echo "tema top $args: $(( (t1 - t0) / 1000000 )) ms"
done
t0=$(ms); "$BUILD/tema" top --db "$db" --theme delivery.late >/dev/null; t1=$(ms)
echo "tema top --theme delivery.late (from the rollup): $(( (t1 - t0) / 1000000 )) ms"
# from the rollup, segments included (one filter, or --by segment); two filters are live
for args in "scores" "scores --by touchpoint" "drivers --metric nps" "scores --by segment:channel" \
            "top --segment channel=web" "drivers --segment channel=web" \
            "scores --segment channel=web --by touchpoint"; do
    t0=$(ms); "$BUILD/tema" $args --db "$db" >/dev/null; t1=$(ms)
    echo "tema $args: $(( (t1 - t0) / 1000000 )) ms"
done

#!/bin/sh
# make bench: throughput figures for docs/performance.md.  Generates the
# inputs under build/bench/ once (deterministic), then runs each benchmark
# on one core.  A benchmark, not a test: it reports, it does not judge.
set -eu
BUILD=${1:-build}
export TEMA_DATA=${TEMA_DATA:-$(pwd)}
out=$BUILD/bench
mkdir -p "$out"
[ -s "$out/corpus.txt" ] || "$BUILD/tools/gen-corpus" --mb 60 > "$out/corpus.txt"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "input:   $out/corpus.txt, $(du -m "$out/corpus.txt" | cut -f1) MB of generated sv/da/no/en comments"
echo "-- text pipeline, one thread, best of 3 passes (language given by the corpus tag unless detected)"
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage tokens
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage lang --detect
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage stem
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage sentiment
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage all
"$BUILD/tools/bench-text" "$out/corpus.txt" --repeat 3 --stage all --detect
# tema score end to end (the command, JSON output included), best of 3, and
# the same with --no-themes, passes alternating so both see the same load:
# what themes add to `tema score` time (issue 7 asks for at most about a third).
cut -f2- "$out/corpus.txt" > "$out/comments.txt"
best=; best_nt=
elapsed() { t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
for pass in 1 2 3; do
    t=$(elapsed "$BUILD/tema" score "$out/comments.txt")
    best=$(awk -v t="$t" -v best="$best" 'BEGIN { print (best == "" || t < best) ? t : best }')
    t=$(elapsed "$BUILD/tema" score --no-themes "$out/comments.txt")
    best_nt=$(awk -v t="$t" -v best="$best_nt" 'BEGIN { print (best == "" || t < best) ? t : best }')
done
mb=$(du -m "$out/comments.txt" | cut -f1)
n=$(wc -l < "$out/comments.txt")
awk -v mb="$mb" -v n="$n" -v t="$best" 'BEGIN { printf "tema score: %d MB, %d comments in %.2f s (best of 3): %.1f MB/s, %d comments/s\n", mb, n, t, mb / t, n / t }'
awk -v mb="$mb" -v n="$n" -v t="$best_nt" -v all="$best" 'BEGIN { printf "tema score --no-themes: %.2f s: %.1f MB/s, %d comments/s; themes add %.2f of this time\n", t, mb / t, n / t, (all - t) / t }'

# End-to-end `tema analyze` on a generated 200 MB export (semicolon CSV with
# BOM, as Nordic Excel writes it), including the store; peak RSS must stay
# under 100 MB whatever the input size.
[ -s "$out/export.csv" ] || "$BUILD/tools/gen-corpus" --mb 200 --format csv > "$out/export.csv"
rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm" "$out/bench.db.rejects.tsv"
mb=$(du -m "$out/export.csv" | cut -f1)
for t in 1 $(nproc); do
    rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
    TEMA_DATA=${TEMA_DATA:-.} "$BUILD/tema" analyze --db "$out/bench.db" --threads "$t" --quiet \
        --id-column id --date-column date --touchpoint-column touchpoint --score-column nps \
        --segment-column channel "$out/export.csv" 2>"$out/analyze.err" || { cat "$out/analyze.err"; exit 1; }
    printf 'analyze  %s MB, --threads %s: %s\n' "$mb" "$t" \
        "$(grep 'time:' "$out/analyze.err" | sed 's/^ *time: //')"
done
for extra in tools/bench-*.sh; do
    [ -f "$extra" ] && sh "$extra" "$BUILD"
done
exit 0

#!/bin/sh
# make bench: throughput figures for docs/performance.md.  Generates the
# inputs under build/bench/ once (deterministic), then runs each benchmark.
set -eu
BUILD=${1:-build}
out=$BUILD/bench
mkdir -p "$out"
[ -s "$out/corpus.txt" ] || "$BUILD/tools/gen-corpus" --mb 60 > "$out/corpus.txt"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "input:   $out/corpus.txt, $(du -m "$out/corpus.txt" | cut -f1) MB of generated sv/da/no/en comments"
"$BUILD/tools/bench-text" "$out/corpus.txt" --stage tokens
"$BUILD/tools/bench-text" "$out/corpus.txt" --stage stem
if [ -x "$BUILD/tools/bench-more" ]; then "$BUILD/tools/bench-more" "$out"; fi

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

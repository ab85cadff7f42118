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
"$BUILD/tools/bench-text" "$out/corpus.txt" --stage sentiment
"$BUILD/tools/bench-text" "$out/corpus.txt" --stage all
if [ -x "$BUILD/tools/bench-more" ]; then "$BUILD/tools/bench-more" "$out"; fi

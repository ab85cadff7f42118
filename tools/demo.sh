#!/bin/sh
# make demo: the first thing a new user runs.  Shows the text pipeline on a
# few comments from the bundled sample; grows into the full irritant report.
set -eu
TEMA=${1:-build/tema}
sample=corpora/sample/feedback.csv
echo "== tema $("$TEMA" --version | cut -d' ' -f2): tokens of a Swedish comment =="
printf 'Bra produkt men leveransen tog 2-3 veckor!!! 😡 Ring 070-123 45 67\n' | "$TEMA" tokens --lang sv
[ -f "$sample" ] && echo "sample export: $sample ($(wc -l < "$sample") lines)"

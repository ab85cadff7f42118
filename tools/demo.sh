#!/bin/sh
# make demo: the first thing a new user runs.  Analyses the bundled sample
# export (corpora/sample/feedback.csv: 1,620 survey comments in Swedish,
# Danish, Norwegian and English over two quarters) into a temporary store and
# shows what an analyst asks first: which touchpoints customers complain
# about most, what exactly, how it moved from Q2 to Q3, and what it costs in NPS.
set -eu
TEMA=${1:-build/tema}
sample=corpora/sample/feedback.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/demo.db

say() { printf '\n\033[1m== %s\033[0m\n\n' "$*" 2>/dev/null || printf '\n== %s\n\n' "$*"; }
[ -t 1 ] || say() { printf '\n== %s\n\n' "$*"; }

say "tema $("$TEMA" --version | cut -d' ' -f2): analysing $sample"
"$TEMA" analyze --db "$db" --quiet "$sample"

say "Top irritants per touchpoint (complaints = negative theme mentions)"
"$TEMA" top --db "$db" --limit 6

say "What moved from Q2 to Q3 (significant rises flagged)"
"$TEMA" top --db "$db" --period quarter --compare prev --limit 5

say "NPS per touchpoint"
"$TEMA" scores --db "$db" --by touchpoint

say "Key drivers of NPS (association, not causation)"
"$TEMA" drivers --db "$db" --metric nps | head -20

say "One comment, scored"
echo "Bra produkt men leveransen tog två veckor och ingen svarade i telefon 😡" | "$TEMA" score
printf '\nThe store is a plain SQLite file: see docs/store.md for the schema and example SQL.\n'

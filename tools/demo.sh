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
"$TEMA" analyze --db "$db" --quiet --id-column response_id --date-column submitted \
    --touchpoint-column touchpoint --score-column nps --segment-column channel \
    --segment-column market "$sample"

say "Top irritants per touchpoint (complaints = comments with a negative mention)"
"$TEMA" top --db "$db" --limit 4 --examples 2 --min-mentions 10 | awk '/^ 6 /{exit} {print}'

say "What moved from Q2 to Q3 (significant rises flagged)"
"$TEMA" top --db "$db" --period quarter --compare prev --limit 3 --examples 0 --min-mentions 15 |
    sed -n '/^Complaint share/,$p'

say "NPS per touchpoint (from the export's touchpoint column)"
"$TEMA" scores --db "$db" --by touchpoint

say "Key drivers of NPS (association, not causation)"
"$TEMA" drivers --db "$db" --metric nps | head -20

say "One comment, scored"
echo "Bra produkt men leveransen tog två veckor och ingen svarade i telefon 😡" | "$TEMA" score
printf '\nThe store is a plain SQLite file: see docs/store.md for the schema and example SQL.\n'

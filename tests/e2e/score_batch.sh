# tema score analyses its lines in batches, stage by stage (docs/performance.md):
# every line must come out as it does when it is the only line of a run, across
# batch boundaries (64 lines, 64 KB), with a line longer than a batch, with
# --explain (which holds the default output) and --format tsv.
. "$(dirname "$0")/lib.sh"
cat > "$TMP/kinds" <<'LINES'
Bra produkt men leveransen tog två veckor
Pakken kom aldrig frem og kundeservice svarede ikke

Kjempefornøyd med appen, men fakturagebyret er frekt!!
The refund took three weeks and nobody ever called back 😡
Väntade 45 minuter i telefonkö. Jag blev debiterad två gånger.
Kundeservicemedarbejderen var super hjælpsom
Great service, very helpful staff!
Appen er elendig 👎
LINES
kinds=$(wc -l < "$TMP/kinds" | tr -d ' ')
# a line of about 80 KB: a batch of its own
awk 'BEGIN { for (k = 0; k < 2000; k++) printf "Leveransen var sen och appen kraschar. "; printf "\n" }' > "$TMP/long"
# 9 kinds x 8 = 72 lines, then the long line, then the kinds once more
: > "$TMP/in"
r=0
while [ $r -lt 8 ]; do cat "$TMP/kinds" >> "$TMP/in"; r=$((r + 1)); done
cat "$TMP/long" "$TMP/kinds" >> "$TMP/in"
lines=$(wc -l < "$TMP/in" | tr -d ' ')
expect_eq "input lines" "$lines" "$((9 * kinds + 1))"
for opts in "--explain" "--format tsv"; do
    # --no-lang-prior: a one-line run has no language mix to lean on
    "$TEMA" score --no-lang-prior $opts "$TMP/in" > "$TMP/batch" || fail "score $opts exited $?"
    expect_eq "one output line per input line ($opts)" "$(wc -l < "$TMP/batch" | tr -d ' ')" "$lines"
    # each kind of line alone, then the expected output put together in input order
    k=1
    while [ $k -le "$kinds" ]; do
        sed -n "${k}p" "$TMP/kinds" > "$TMP/one"
        "$TEMA" score --no-lang-prior $opts "$TMP/one" > "$TMP/alone.$k" || fail "score of kind $k exited $?"
        k=$((k + 1))
    done
    "$TEMA" score --no-lang-prior $opts "$TMP/long" > "$TMP/alone.long" || fail "score of the long line exited $?"
    : > "$TMP/want"
    r=0
    while [ $r -lt 8 ]; do
        k=1
        while [ $k -le "$kinds" ]; do cat "$TMP/alone.$k" >> "$TMP/want"; k=$((k + 1)); done
        r=$((r + 1))
    done
    cat "$TMP/alone.long" >> "$TMP/want"
    k=1
    while [ $k -le "$kinds" ]; do cat "$TMP/alone.$k" >> "$TMP/want"; k=$((k + 1)); done
    cmp -s "$TMP/batch" "$TMP/want" ||
        fail "a line scored in a batch differs from the same line alone ($opts): $(diff "$TMP/batch" "$TMP/want" | head -5)"
done
exit 0

# tema lang: one code per input line in order, --scores, --lang, the run prior,
# and usage errors.
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
printf 'Jag är väldigt nöjd med leveransen och kundtjänsten\nJeg er meget tilfreds med leveringen og kundeservicen\nJeg er veldig fornøyd med leveringen og kundeservicen\nI am very happy with the delivery and the customer service\n\n😀\n' > "$TMP/in"
got=$("$TEMA" lang "$TMP/in" | tr '\n' ' ')
expect_eq "codes in order" "$got" "sv da no en und und "
got=$("$TEMA" lang < "$TMP/in" | wc -l)
expect_eq "one line per input line" "$got" "6"
"$TEMA" lang --scores "$TMP/in" > "$TMP/sc"
expect_grep "$TMP/sc" "^sv	sv=[01]\.[0-9][0-9][0-9]	da=[01]\.[0-9]*	no=[01]\.[0-9]*	en=[01]\.[0-9]*$"
got=$("$TEMA" lang --lang da "$TMP/in" | sort -u)
expect_eq "--lang forces" "$got" "da"
# The prior: in a Danish run, an ambiguous short comment reads as Danish,
# in a Norwegian run as Norwegian.
for i in 1 2 3 4 5 6 7 8; do echo "Jeg er meget tilfreds med leveringen, og personalet var søde og hjælpsomme $i"; done > "$TMP/da"
for i in 1 2 3 4 5 6 7 8; do echo "Jeg er veldig fornøyd med leveringen, og de ansatte var hyggelige og hjelpsomme $i"; done > "$TMP/no"
echo "fin levering" >> "$TMP/da"; echo "fin levering" >> "$TMP/no"
expect_eq "prior da" "$("$TEMA" lang "$TMP/da" | tail -1)" "da"
expect_eq "prior no" "$("$TEMA" lang "$TMP/no" | tail -1)" "no"
# A short comment alone (no prior) whose opinion word only a Nordic lexicon
# has is not English ("bra": sv and no lexicons; the model ranks sv first),
# and tema score then scores it with the Swedish lexicon: "bra service" is
# a 2.5 phrase there, a positive comment.
got=$(printf 'Bra service\nGood service\n' | "$TEMA" score | jq -r '.lang + " " + .label' | tr '\n' ' ')
expect_eq "Bra service is Swedish" "$got" "sv positive en positive "
expect_exit 2 "$TEMA" lang --frob
expect_exit 2 "$TEMA" lang --lang klingon
expect_exit 1 "$TEMA" lang "$TMP/nope"

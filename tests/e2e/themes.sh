# `tema themes`: listing (table, json, labels per language), --check with
# file:line messages and exit codes, --coverage on a hand-made comment file.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq missing"; exit 77; }

expect_exit 0 "$TEMA" themes --help;   expect_grep "$TMP/out" "Usage: tema themes"
expect_exit 2 "$TEMA" themes --bogus;  expect_grep "$TMP/err" "unknown option '--bogus'"
expect_exit 2 "$TEMA" themes --format xml; expect_grep "$TMP/err" "unknown format 'xml'"

# Table: one row per theme with its touchpoint and phase.
expect_exit 0 "$TEMA" themes
for id in social_media reviews advertising website app store staff phone checkout payment \
          price product delivery packaging returns billing email customer_service help_center \
          onboarding; do
    grep -q "^$id " "$TMP/out" || fail "table lacks $id"
done
row=$(grep '^delivery.late ' "$TMP/out" | tr -s ' ' | cut -d' ' -f2,3)
expect_eq "delivery.late row" "$row" "delivery after"

# JSON: parent, inherited touchpoint, label in the language asked for.
"$TEMA" themes --format json --lang sv > "$TMP/j" || fail "json listing"
expect_eq "json delivery.late" "$(jq -r '.[] | select(.id=="delivery.late") | [.parent,.touchpoint,.phase,.label] | join("|")' "$TMP/j")" \
    "delivery|delivery|after|Försenad leverans"
expect_eq "json other" "$(jq -r '.[] | select(.id=="other.during") | [.builtin,.phase] | join("|")' "$TMP/j")" "true|during"
[ "$(jq '[.[] | select(.regex > 0)] | length' "$TMP/j")" -gt 0 ] || fail "no regex counts"

# --taxonomy adds a theme.
printf '[delivery.locker]\nlabel: en=Parcel locker\nsv: paketskåp\n' > "$TMP/extra.tema"
"$TEMA" themes --taxonomy "$TMP/extra.tema" | grep -q '^delivery.locker ' || fail "--taxonomy did not add"

# --check: valid file exit 0; invalid file exit 1 with file:line messages.
expect_exit 0 "$TEMA" themes --check "$TMP/extra.tema"; expect_grep "$TMP/out" "extra.tema: ok"
printf '[delivery.x]\nlabel: en=X\ncolour: red\n[nope.y]\nsv.regex: (unclosed\n' > "$TMP/bad.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/bad.tema"
expect_grep "$TMP/err" "bad.tema:3: unknown key 'colour'"
expect_grep "$TMP/err" "bad.tema:4: parent 'nope' of 'nope.y' is not defined"
printf '[delivery.z]\nlabel: en=Z\nsv.regex: (unclosed\n' > "$TMP/bad2.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/bad2.tema"
expect_grep "$TMP/err" "bad2.tema:3: bad regex: bad pattern at offset 9"
expect_exit 1 "$TEMA" themes --check "$TMP/missing.tema"; expect_grep "$TMP/err" "missing.tema"
# named guard sets: cx.tema's sets are known to a file on top of it; an
# unknown set and a bad definition are errors at their lines
printf '[delivery.w]\nlabel: en=W\nsv.near: buss ~6 sen !@parcel\n' > "$TMP/sets.tema"
expect_exit 0 "$TEMA" themes --check "$TMP/sets.tema"; expect_grep "$TMP/out" "sets.tema: ok"
printf '[delivery.w]\nlabel: en=W\nsv.near: buss ~6 sen !@paket\nsv.guards Bad: x\n' > "$TMP/sets2.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/sets2.tema"
expect_grep "$TMP/err" "sets2.tema:3: unknown guard set '@paket' for sv"
expect_grep "$TMP/err" "sets2.tema:4: bad guard set 'Bad'"
# a set word the tokenizer splits is reported at the definition's line, a
# missing set name is said as such, and a guarded single word is sent to a
# near line (review B 7)
printf 'sv.guards odd: ab/cd\n[delivery.w]\nlabel: en=W\nsv.near: buss ~6 sen !@odd\nsv: kom inte !@\nsv: kom !@parcel\nda.guards: pakke\n' > "$TMP/sets3.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/sets3.tema"
expect_grep "$TMP/err" "sets3.tema:1: guard set 'odd': 'ab/cd' is not a single word"
expect_grep "$TMP/err" "sets3.tema:5: guard set name missing after '!@' (write '!@name')"
expect_grep "$TMP/err" "sets3.tema:6: 'kom !@parcel': guards need a phrase (for one word write the near rule 'kom !@parcel' on a 'sv.near:' line)"
expect_grep "$TMP/err" "sets3.tema:7: guard set without a name: expected 'da.guards name: word, word, ...'"

# --coverage: 4 Swedish comments, 3 about a theme (delivery, price,
# customer service), 1 about nothing in the taxonomy; the blank line is not
# a comment.
printf 'Leveransen var snabb\nPriserna är höga\n\nKundtjänsten svarade aldrig\nJag gillar katter\n' > "$TMP/c.txt"
"$TEMA" themes --coverage "$TMP/c.txt" --lang sv > "$TMP/cov" || fail "coverage"
expect_grep "$TMP/cov" "$(printf 'all\t4\t3\t75.0%%')"
expect_grep "$TMP/cov" "$(printf 'sv\t4\t3\t75.0%%')"
"$TEMA" themes --coverage - --lang sv --format json < "$TMP/c.txt" > "$TMP/cj" || fail "coverage json"
expect_eq "coverage json" "$(jq -c '[.comments,.with_theme,.share,.languages.sv.with_theme]' "$TMP/cj")" "[4,3,0.75,3]"
exit 0

# --base-taxonomy replaces the default CX taxonomy (here with the MAMS restaurant one).
"$TEMA" themes --base-taxonomy "$TEMA_DATA/lexicons/themes/restaurant.tema" --format json > "$TMP/rest.json" ||
    fail "themes --base-taxonomy"
jq -e 'map(.id) | index("food") != null and index("delivery") == null' "$TMP/rest.json" >/dev/null ||
    { head -c 400 "$TMP/rest.json"; fail "restaurant ids expected instead of the CX ones"; }

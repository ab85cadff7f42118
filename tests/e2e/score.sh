# tema score: the JSON Lines contract (keys and their order, one line per
# input line in order, empty lines included), --format tsv, --explain,
# --lang, --no-model, --no-themes, --lexicon, JSON escaping, and usage errors.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "no jq"; exit 77; }
printf 'The delivery was late and the staff were rude\n\nGreat service, very helpful staff!\nI ordered a jacket on Monday\n' > "$TMP/en"
"$TEMA" score --lang en "$TMP/en" > "$TMP/out" || fail "score exited $?"
expect_eq "one line per input line" "$(wc -l < "$TMP/out" | tr -d ' ')" "4"
expect_eq "keys in contract order" "$(jq -c 'keys_unsorted' "$TMP/out" | sort -u)" '["lang","sentiment","label","themes"]'
expect_eq "labels in input order" "$(jq -r .label "$TMP/out" | tr '\n' ' ')" "negative neutral positive neutral "
expect_eq "lang forced" "$(jq -r .lang "$TMP/out" | sort -u)" "en"
expect_eq "empty line is neutral 0" "$(sed -n 2p "$TMP/out")" '{"lang":"en","sentiment":0,"label":"neutral","themes":[]}'
expect_eq "themes is an array" "$(jq -r '.themes | type' "$TMP/out" | sort -u)" "array"
# sentiment is a number in [-1, 1] with at most two decimals
jq -s -e 'map(.sentiment | type == "number" and . >= -1 and . <= 1 and (. * 100 | round) / 100 == .) | all' "$TMP/out" >/dev/null ||
    fail "sentiment out of range or not rounded: $(cat "$TMP/out")"
jq -s -e 'map(select(.label != "neutral") | (.label == "negative") == (.sentiment < 0)) | all' "$TMP/out" >/dev/null || fail "label and sign disagree"
# stdin gives the same
"$TEMA" score --lang en < "$TMP/en" > "$TMP/out2"
cmp -s "$TMP/out" "$TMP/out2" || fail "stdin and FILE differ"
# --explain: which words and rules, with weights
"$TEMA" score --lang en --explain "$TMP/en" > "$TMP/ex"
expect_eq "explain keys" "$(head -1 "$TMP/ex" | jq -c 'keys_unsorted')" '["lang","sentiment","label","themes","explain"]'
expect_eq "explain names rude" "$(head -1 "$TMP/ex" | jq -r '.explain[] | select(.text == "rude") | .rule')" "lexicon"
head -1 "$TMP/ex" | jq -e '.explain[] | select(.text == "rude") | .weight < 0' >/dev/null || fail "rude weight"
sed -n 3p "$TMP/ex" | jq -e '[.explain[].rule] | index("exclamation") != null' >/dev/null || fail "exclamation rule"
# --format tsv: lang, sentiment, label, themes
"$TEMA" score --lang en --format tsv "$TMP/en" > "$TMP/tsv"
expect_eq "tsv lines" "$(wc -l < "$TMP/tsv" | tr -d ' ')" "4"
expect_eq "tsv columns" "$(awk -F'\t' '{print NF}' "$TMP/tsv" | sort -u)" "4"
expect_eq "tsv labels" "$(cut -f3 "$TMP/tsv" | tr '\n' ' ')" "negative neutral positive neutral "
expect_eq "tsv agrees with json" "$(cut -f2 "$TMP/tsv" | tr '\n' ' ')" "$(jq -r .sentiment "$TMP/out" | tr '\n' ' ')"
# --lang changes the lexicon: "hurtig" is Danish for fast
expect_eq "--lang da" "$(echo 'Hurtig levering' | "$TEMA" score --lang da | jq -r .label)" "positive"
expect_eq "--lang en on Danish" "$(echo 'Hurtig levering' | "$TEMA" score --lang en | jq -r .label)" "neutral"
# --no-model: rules only, same contract
expect_eq "--no-model" "$(echo 'Great service' | "$TEMA" score --lang en --no-model | jq -r .label)" "positive"
# --no-themes: sentiment alone; an implicit complaint found by a theme no
# longer counts ("took two weeks" has no opinion word), the praise does
printf 'Great product but the delivery took two weeks\n' > "$TMP/mixed"
expect_eq "themes found" "$("$TEMA" score --lang en "$TMP/mixed" | jq -r '([.themes[].theme] | join(" ")) + " " + .label')" "product delivery.late negative"
expect_eq "--no-themes" "$("$TEMA" score --lang en --no-themes "$TMP/mixed" | jq -c '[.themes, .label]')" '[[],"positive"]'
expect_exit 2 "$TEMA" score --no-themes --taxonomy "$TMP/any.tema" "$TMP/en"
expect_grep "$TMP/err" "exclude each other"
# --lexicon adds entries
printf 'jacket\t-3\ten\n' > "$TMP/extra.txt"
expect_eq "--lexicon" "$(echo 'I ordered a jacket' | "$TEMA" score --lang en --lexicon "$TMP/extra.txt" | jq -r .label)" "negative"
# Of two phrases of one length over the same words, the one with more exact
# forms wins, whichever was read first: the analyst's "fast =deliveries"
# (only that form) beats the shipped "fast delivery" (by stem), and the shipped
# phrase still scores "Fast delivery".
printf 'fast =deliveries\t-2\ten\n' > "$TMP/exact.txt"
expect_eq "--lexicon: exact form beats stem" \
    "$(echo 'Fast deliveries' | "$TEMA" score --lang en --no-model --no-themes --lexicon "$TMP/exact.txt" | jq -r .label)" "negative"
expect_eq "--lexicon: the stem phrase elsewhere" \
    "$(echo 'Fast delivery' | "$TEMA" score --lang en --no-model --no-themes --lexicon "$TMP/exact.txt" | jq -r .label)" "positive"
printf 'jacket\tlots\n' > "$TMP/bad.txt"
expect_exit 1 "$TEMA" score --lang en --lexicon "$TMP/bad.txt" "$TMP/en"
expect_grep "$TMP/err" "bad.txt:1: valence 'lots'"
# hostile bytes still give valid JSON, one line each
printf 'quote " backslash \\ tab \t ctrl \001 bad \377\376 \303 end :(\n' > "$TMP/hostile"
"$TEMA" score --lang en --explain "$TMP/hostile" > "$TMP/h" || fail "hostile input"
jq -e . "$TMP/h" >/dev/null || fail "invalid JSON: $(cat "$TMP/h")"
expect_eq "hostile: one line" "$(wc -l < "$TMP/h" | tr -d ' ')" "1"
# spans are byte offsets of the line, also past byte 1,000 (written by the
# general number writer, not the small-number table): 1,000 bytes of "x "
# in front move every span by 1,000 and change no theme
printf 'The delivery was late and the staff were rude\n' > "$TMP/short"
{ printf 'x %.0s' $(seq 500); cat "$TMP/short"; } > "$TMP/long"
"$TEMA" score --lang en "$TMP/short" > "$TMP/s1" || fail "score short"
"$TEMA" score --lang en "$TMP/long" > "$TMP/s2" || fail "score long"
expect_eq "long line: 1,000 bytes of prefix" "$(( $(wc -c < "$TMP/long") - $(wc -c < "$TMP/short") ))" "1000"
expect_eq "spans past 1,000" "$(jq -c '[.themes[] | [.theme, .span[0] + 1000, .span[1] + 1000]]' "$TMP/s1")" \
    "$(jq -c '[.themes[] | [.theme, .span[0], .span[1]]]' "$TMP/s2")"
jq -e '.themes | length >= 2' "$TMP/s1" >/dev/null || fail "no themes in: $(cat "$TMP/s1")"
# usage errors and missing files
expect_exit 2 "$TEMA" score --frob
expect_exit 2 "$TEMA" score --format xml "$TMP/en"
expect_exit 2 "$TEMA" score --lang klingon "$TMP/en"
expect_exit 2 "$TEMA" score "$TMP/en" "$TMP/en"
expect_exit 1 "$TEMA" score "$TMP/nope"
expect_exit 0 "$TEMA" score --help
# language detection (needs the language model)
if [ -f "$TEMA_DATA/models/langid.bin" ]; then
    printf 'Leveransen var försenad och personalen otrevlig\nThe delivery was late and the staff were rude\n' |
        "$TEMA" score > "$TMP/det"
    expect_eq "detected" "$(jq -r '.lang + " " + .label' "$TMP/det" | tr '\n' ' ')" "sv negative en negative "
fi
exit 0

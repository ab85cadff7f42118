# tema analyze on JSON documents as survey and review APIs export them: a
# pretty-printed array (an element over several lines; a rejected element
# with its line, column and raw text), a compact one-line array, an object
# wrapping the records (member found, and named with --records), nested
# values as dotted columns (a CSAT score at rating.score, a country code as
# a segment), an array of strings as one segment value, a broken array
# (fatal, exit 1, nothing stored), gzip and standard input, and the records
# printed one after another by `jq '.[]'` (no array around them).
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
q() { "$Q" "$TMP/$1" "$2" | tr '\t' '|'; }
cd "$TMP"

# Elements start on lines 2, 8, 10 and 14; the one on line 10 has a stray
# comma before '}' on line 12, column 34: 3 spaces, "rating": and a space (10), {, "score": 4, and a space (12), "x": 1, (7); the one on line 14 has
# no text.
cat > reviews.txt <<'J'
[
  {
    "id": "r1",
    "review": {"text": "Leveransen var försenad och kundtjänsten svarade aldrig"},
    "rating": {"score": 2},
    "consumer": {"countryCode": "SE"}, "tags": ["leverans", "kundtjänst"]
  },
  {"id": "r2", "review": {"text": "Supersnabb leverans, tack så mycket"},
   "rating": {"score": 5}, "consumer": {"countryCode": "SE"}, "tags": []},
  {"id": "r3",
   "review": {"text": "Bra pris"},
   "rating": {"score": 4, "x": 1,},
   "consumer": {"countryCode": "DK"}},
  {"id": "r4", "rating": {"score": 3}, "consumer": {"countryCode": "NO"}, "tags": ["app", 7]}
]
J
expect_exit 0 "$TEMA" analyze --db a.db --id-column id --score-column rating.score \
    --score-type csat --segment-column consumer.countryCode --segment-column tags \
    --rejects a.rej reviews.txt
expect_grep err "text column 'review.text' (by its name"
expect_grep err "4 rows read: 3 analysed, 1 rejected"
expect_eq "lines" "$(q a.db 'SELECT line, ext_id, score, score_type FROM comments ORDER BY line' | tr '\n' ' ')" \
    "2|r1|2.0|csat 8|r2|5.0|csat 14|r4|3.0|csat "
expect_eq "country" "$(q a.db "SELECT c.ext_id, s.value FROM segments s JOIN comments c USING (comment_id) WHERE s.name = 'consumer.countryCode' ORDER BY c.line" | tr '\n' ' ')" \
    "r1|SE r2|SE r4|NO "
expect_eq "tags" "$(q a.db "SELECT c.ext_id, s.value FROM segments s JOIN comments c USING (comment_id) WHERE s.name = 'tags' ORDER BY c.line" | tr '\n' ' ')" \
    "r1|leverans; kundtjänst r4|app; 7 "  # an empty array is an empty value: no segment
# The rejects file: the element's first line, the error's own line and
# column, and the raw element over its three lines (TSV-escaped).
expect_eq "reject" "$(tail -n +2 a.rej | cut -f2-4)" \
    "10	json-syntax	reviews.txt:12:34: expected a string key [json-syntax]"
expect_eq "raw" "$(tail -n +2 a.rej | cut -f5)" \
    '{"id": "r3",\n   "review": {"text": "Bra pris"},\n   "rating": {"score": 4, "x": 1,},\n   "consumer": {"countryCode": "DK"}}'

# A header list in an error shows the dotted names.
expect_exit 1 "$TEMA" analyze --db x.db --score-column rating --score-type csat reviews.txt
expect_grep err "no column 'rating'; the header has: 'id', 'review.text', 'rating.score', 'consumer.countryCode', 'tags'"

# The same records compact on one line, gzipped, and on standard input.
printf '[{"id":"c1","text":"Appen kraschar hela tiden"},{"id":"c2","text":"Bra service"}]' > compact.json
expect_exit 0 "$TEMA" analyze --db c.db --id-column id compact.json
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_eq "compact" "$(q c.db 'SELECT line, ext_id, text FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "1|c1|Appen kraschar hela tiden 1|c2|Bra service "
gzip -c reviews.txt > reviews.gz
expect_exit 0 "$TEMA" analyze --db g.db --id-column id reviews.gz
expect_grep err "4 rows read: 3 analysed, 1 rejected"
expect_eq "gzip lines" "$(q g.db 'SELECT line FROM comments ORDER BY line' | tr '\n' ' ')" "2 8 14 "
"$TEMA" analyze --db s.db --id-column id - < compact.json 2>err || { cat err; fail "stdin"; }
expect_grep err "2 rows read: 2 analysed, 0 rejected"

# An object wrapping the records: the first array of objects is taken (not
# "tags", an array of strings, nor the empty "errors"), and said on stderr.
cat > wrapped.json <<'J'
{"page": 1, "tags": ["a"], "errors": [],
 "responses": [
  {"id": "w1", "answer": "Kassan var långsam"},
  {"id": "w2", "answer": "Trevlig personal"}
 ],
 "next": {"url": "x]}"}}
J
expect_exit 0 "$TEMA" analyze --db w.db --id-column id wrapped.json
expect_grep err "tema: wrapped.json: JSON records from member 'responses' (the first array of records; --records to choose)"
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_eq "wrapped" "$(q w.db 'SELECT line, ext_id FROM comments ORDER BY line' | tr '\n' ' ')" "3|w1 4|w2 "
expect_exit 0 "$TEMA" analyze --db w2.db --quiet --id-column id wrapped.json
[ -z "$(grep 'JSON records' err)" ] || fail "--quiet still notes the member"

# A bookkeeping array of objects before the records ("links", as review
# platforms' APIs send it) is passed over.
cat > links.json <<'J'
{"links": [{"rel": "next-page", "href": "https://api.example.com/reviews?page=2"}],
 "reviews": [{"id": "l1", "text": "Leveransen var sen"}]}
J
expect_exit 0 "$TEMA" analyze --db l.db --id-column id links.json
expect_grep err "JSON records from member 'reviews'"
expect_eq "links passed over" "$(q l.db 'SELECT line, ext_id FROM comments' | tr '\n' ' ')" "2|l1 "

# --records with a dotted path for a deeper member.
cat > deep.json <<'J'
{"meta": {"count": 1},
 "data": {"items": [{"id": "d1", "text": "Priset var för högt"}], "more": [{"id": "no"}]}}
J
expect_exit 0 "$TEMA" analyze --db d.db --id-column id --records data.items deep.json
expect_grep err "JSON records from member 'data.items'"
expect_eq "deep" "$(q d.db 'SELECT line, ext_id FROM comments' | tr '\n' ' ')" "2|d1 "
expect_exit 1 "$TEMA" analyze --db d2.db --records data.nope deep.json
expect_grep err "tema: error: deep.json:2:10: records 'data.nope': no member 'nope'"
expect_exit 1 "$TEMA" analyze --db d3.db deep.json
expect_grep err "no member of the top-level object is an array of objects (members: 'meta', 'data')"
expect_exit 2 "$TEMA" analyze --db d4.db --records data. deep.json

# A broken array: elements 1 and 2 read, then no ',' before the third: a
# fatal error with its position, exit 1, nothing stored.
printf '[\n {"id":"b1","text":"Bra"},\n {"id":"b2","text":"Dåligt"}\n {"id":"b3","text":"x"}\n]\n' > broken.json
expect_exit 1 "$TEMA" analyze --db b.db --id-column id broken.json
expect_grep err "tema: error: broken.json:4:2: expected ',' or ']' after an array element"
[ ! -f b.db ] || [ -z "$(q b.db 'SELECT count(*) FROM comments WHERE 1' 2>/dev/null | grep -v '^0$')" ] \
    || fail "a broken array stored rows"
# Cut off inside an element.
head -c 60 reviews.txt > cut.json
expect_exit 1 "$TEMA" analyze --db t.db cut.json
expect_grep err "cut.json:2:3: the array element that starts here is not closed at the end of the input"

# What `jq '.[]'` prints for an array of three reviews: the records
# pretty-printed one after another, with no brackets or commas between them
# (written here by hand, as jq lays them out). A record's line is where it
# starts: r1 on 1, r2 on 13 (after 12 lines), r3 on 22 (after 9). r3 has no
# rating: no score (NULL).
cat > stream.json <<'J'
{
  "id": "r1",
  "review": {
    "text": "Leveransen var försenad och kundtjänsten svarade aldrig"
  },
  "rating": {
    "score": 2
  },
  "tags": [
    "leverans"
  ]
}
{
  "id": "r2",
  "review": {
    "text": "Supersnabb leverans, tack så mycket"
  },
  "rating": {
    "score": 5
  }
}
{
  "id": "r3",
  "review": {
    "text": "Bra pris"
  }
}
J
expect_exit 0 "$TEMA" analyze --db st.db --id-column id --score-column rating.score --score-type csat stream.json
expect_grep err "text column 'review.text' (by its name"
expect_grep err "3 rows read: 3 analysed, 0 rejected"
[ -z "$(grep 'JSON records from member' err)" ] || fail "a stream has no member to name"
expect_eq "stream" "$(q st.db 'SELECT line, ext_id, score FROM comments ORDER BY line' | tr '\n' ' ')" \
    "1|r1|2.0 13|r2|5.0 22|r3|NULL "
# A stray ']' after the second record: fatal at its place, nothing stored.
{ head -n 21 stream.json; echo ']'; tail -n 6 stream.json; } > stray.json
expect_exit 1 "$TEMA" analyze --db sx.db stray.json
expect_grep err "tema: error: stray.json:22:1: expected '{' (the input is JSON objects one after another)"
exit 0

# tema analyze on survey-tool exports with extra header rows: Qualtrics
# (question texts and ImportId objects under the column ids) and
# SurveyMonkey (sub-labels under the question texts) are detected and
# skipped; --skip-rows N skips N rows of any CSV; --skip-rows 0 keeps them;
# a comment that happens to read "Response" is not taken for a header row.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
QX="$TEMA_DATA/tests/data/analyze/qualtrics.csv"
SM="$TEMA_DATA/tests/data/analyze/surveymonkey.csv"
q() { "$Q" "$TMP/$1" "$2"; }
cd "$TMP"
NPS_Q="How likely is it that you would recommend us to a friend?"

# qualtrics.csv, by hand: line 1 column ids; lines 2-3 the question texts
# (the NPS question holds a line break); line 4 the ImportId objects; then
# three responses on lines 5, 6-7 (a comment with a line break) and 8.
expect_exit 0 "$TEMA" analyze --db q.db --id-column ResponseId --date-column StartDate \
    --score-column Q1 --score-type nps "$QX"
expect_grep err "3 rows read: 3 analysed, 0 rejected"
expect_grep err "^  header rows skipped: 2 (Qualtrics)$"
expect_grep err "Qualtrics export: skipped 2 header rows (question texts, import ids) from line 2"
# Q2_TEXT says nothing; its question "Vad kan vi göra bättre?" does.
expect_grep err "text column 'Q2_TEXT' (its question asks for free text: \"Vad kan vi göra bättre?\""
expect_eq "qualtrics ids" "$(q q.db 'SELECT ext_id FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "R_1aB R_2cD R_3eF "
expect_eq "qualtrics lines" "$(q q.db 'SELECT line FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "5 6 8 "
expect_eq "qualtrics dates" "$(q q.db 'SELECT date FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "2026-03-02 2026-03-03 2026-03-04 "
expect_eq "qualtrics scores" "$(q q.db 'SELECT score FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "9.0 3.0 7.0 "
expect_eq "qualtrics text" "$(q q.db "SELECT text FROM comments WHERE ext_id = 'R_3eF'")" "Bra men dyrt"
expect_eq "no question stored" "$(q q.db "SELECT count(*) FROM comments WHERE text LIKE '%ImportId%' OR text LIKE 'Vad kan vi%'")" "0"
expect_eq "runs" "$(q q.db 'SELECT rows_read, rows_analysed, rows_rejected FROM runs')" "$(printf '3\t3\t0')"

# --skip-rows 0: the question row and the ImportId row are rows again, and
# the NPS column rejects both (not numbers).
expect_exit 0 "$TEMA" analyze --db q0.db --skip-rows 0 --text-column Q2_TEXT \
    --score-column Q1 --score-type nps "$QX"
expect_grep err "5 rows read: 3 analysed, 2 rejected"
expect_grep err "2 score-not-numeric"
grep -q "header rows skipped" err && fail "--skip-rows 0 still skipped"
expect_eq "reject lines" "$(tail -n +2 q0.db.rejects.tsv | cut -f2 | tr '\n' ' ')" "2 4 "
expect_eq "skip_rows option" "$(q q0.db 'SELECT json_extract(options, "$.skip_rows") FROM runs')" "0"

# surveymonkey.csv, by hand: line 1 question texts, line 2 sub-labels
# (empty over the metadata columns), responses on lines 3 and 4.
expect_exit 0 "$TEMA" analyze --db s.db --score-column "$NPS_Q" "$SM"
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_grep err "^  header rows skipped: 1 (SurveyMonkey)$"
expect_grep err "SurveyMonkey export: skipped 1 header row (sub-labels) from line 2"
expect_grep err "text column 'What could we do better?' (its question asks for free text;"
expect_eq "sm texts" "$(q s.db 'SELECT text FROM comments ORDER BY comment_id')" \
    "$(printf 'Great service and fast delivery\nThe app crashes every time I log in, please fix it')"
expect_eq "sm lines" "$(q s.db 'SELECT line FROM comments ORDER BY comment_id' | tr '\n' ' ')" "3 4 "
expect_eq "sm scores" "$(q s.db 'SELECT score FROM comments ORDER BY comment_id' | tr '\n' ' ')" "10.0 2.0 "
# the text column given: its sub-label is the one checked
expect_exit 0 "$TEMA" analyze --db s2.db --quiet --text-column "What could we do better?" "$SM"
expect_grep err "2 rows read: 2 analysed"
expect_grep err "header rows skipped: 1 (SurveyMonkey)"
grep -q "SurveyMonkey export" err && fail "--quiet still notes the detection"
# ... and a column whose row-2 cell is empty is no sub-labelled comment
expect_exit 0 "$TEMA" analyze --db s3.db --quiet --text-column "Collector ID" "$SM"
expect_grep err "3 rows read: 3 analysed"
grep -q "header rows skipped" err && fail "skipped with an empty cell in the text column"

# Several files: each file's own rows are skipped; the summary counts each
# kind.  Row numbers (the id without an id column) count responses only.
expect_exit 0 "$TEMA" analyze --db m.db --out m.jsonl "$QX" "$SM"
expect_grep err "5 rows read: 5 analysed, 0 rejected"
expect_grep err "^  header rows skipped: 3 (Qualtrics 2, SurveyMonkey 1)$"
expect_eq "row numbers" "$(jq -r '.id' m.jsonl | tr '\n' ' ')" "1 2 3 1 2 "
expect_eq "lines" "$(jq -r '.line' m.jsonl | tr '\n' ' ')" "5 6 8 3 4 "

# --skip-rows N on a plain CSV: two export notes under the header.
printf 'id,kommentar\n-,Exporterad 2026-03-05\n-,"Filter: alla svar,\nalla kanaler"\n1,Bra service\n2,Leveransen var sen\n' > plain.csv
expect_exit 0 "$TEMA" analyze --db p.db --id-column id --skip-rows 2 plain.csv
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_grep err "^  header rows skipped: 2 (--skip-rows 2)$"
expect_grep err "skipped 2 header rows from line 2 (--skip-rows)"
expect_eq "plain ids" "$(q p.db 'SELECT ext_id FROM comments ORDER BY comment_id' | tr '\n' ' ')" "1 2 "
expect_eq "plain lines" "$(q p.db 'SELECT line FROM comments ORDER BY comment_id' | tr '\n' ' ')" "5 6 "
expect_eq "skip_rows option" "$(q p.db 'SELECT json_extract(options, "$.skip_rows") FROM runs')" "2"
# without it nothing is detected: the notes are read as comments
expect_exit 0 "$TEMA" analyze --db p0.db --id-column id plain.csv
expect_grep err "4 rows read: 4 analysed"
grep -q "header rows skipped" err && fail "a plain CSV was taken for a survey export"

# A file shorter than the skip: zero rows read, a warning, exit 0.
expect_exit 0 "$TEMA" analyze --db short.db --skip-rows 5 plain.csv
expect_grep err "plain.csv: 4 rows after the header, fewer than --skip-rows 5: no rows read"
expect_grep err "0 rows read: 0 analysed, 0 rejected"
expect_grep err "header rows skipped: 4 (--skip-rows 5)"
expect_grep err "warnings: 1 (1 files with fewer rows than --skip-rows)"
# a Qualtrics export with no responses yet: its header rows only
head -4 "$QX" > empty-qx.csv
expect_exit 0 "$TEMA" analyze --db eq.db --text-column Q2_TEXT empty-qx.csv
expect_grep err "0 rows read: 0 analysed, 0 rejected"
expect_grep err "header rows skipped: 2 (Qualtrics)"

# A plain CSV whose first comment is "Response" is not a SurveyMonkey
# export: an id and a date carry digits ...
printf 'id,datum,kommentar\n1,2026-03-01,Response\n2,2026-03-02,Snabbt svar\n' > resp1.csv
expect_exit 0 "$TEMA" analyze --db r1.db resp1.csv
expect_grep err "2 rows read: 2 analysed"
expect_eq "response kept" "$(q r1.db 'SELECT text FROM comments ORDER BY comment_id LIMIT 1')" "Response"
# ... and without digits, no empty metadata cell and no "Open-Ended
# Response" the row still does not look like sub-labels.
printf 'kund,kommentar\nAnna,Response\nBo,Bra bemötande\n' > resp2.csv
expect_exit 0 "$TEMA" analyze --db r2.db resp2.csv
expect_grep err "2 rows read: 2 analysed"
grep -q "header rows skipped" err && fail "a comment 'Response' was skipped"
# A Qualtrics-like row 3 with one cell that is not an ImportId object is a
# response.
printf 'Q1,Q2\nfråga ett,Vad kan vi göra bättre?\n"{""ImportId"":""QID1""}",ImportId säger ni\n' > almost-qx.csv
expect_exit 0 "$TEMA" analyze --db aq.db --text-column Q2 almost-qx.csv
expect_grep err "2 rows read: 2 analysed"

# JSON Lines has no header rows: --format jsonl with --skip-rows is a usage
# error; a detected JSON Lines file ignores it with a note.
printf '{"kommentar":"Bra"}\n{"kommentar":"Dåligt"}\n' > in.jsonl
expect_exit 2 "$TEMA" analyze --db j.db --format jsonl --skip-rows 1 in.jsonl
expect_grep err "skip-rows applies to CSV and TSV"
expect_exit 0 "$TEMA" analyze --db j2.db --skip-rows 1 in.jsonl
expect_grep err "JSON Lines has no header rows; --skip-rows ignored"
expect_grep err "2 rows read: 2 analysed"
expect_exit 2 "$TEMA" analyze --db j3.db --skip-rows -1 plain.csv
expect_exit 2 "$TEMA" analyze --db j3.db --skip-rows x plain.csv
"$TEMA" analyze --help | grep -q -- "--skip-rows N" || fail "--help does not list --skip-rows"
exit 0

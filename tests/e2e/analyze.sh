# tema analyze: row accounting on a file with hand-counted bad rows
# (semicolons, BOM, CRLF), the rejects file, the store contents, PII
# redaction, --out in both formats, column options and exit codes.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
command -v jq >/dev/null || fail "jq missing (make deps)"
F="$TEMA_DATA/tests/data/analyze/accounting.csv"
q() { "$Q" "$TMP/$1" "$2"; }
cd "$TMP"

# accounting.csv, by hand: 12 records.  Rejected: row 4 (nps 11) and row 11
# (nps -1) out of scale, row 5 (abc) not numeric, row 6 has 4 fields, row 12
# opens a quote that never closes.  Analysed: rows 1 2 3 7 8 9 10.  Row 3's
# date is unparseable: one warning.
expect_exit 0 "$TEMA" analyze --db a.db --id-column id --date-column date --score-column nps \
    --segment-column channel "$F"
expect_grep err "12 rows read: 7 analysed, 5 rejected"
expect_grep err "1 fewer-fields, 1 unterminated-quote, 1 score-not-numeric, 2 score-out-of-range"
expect_grep err "warnings: 1 (1 unparseable date"
expect_grep err "text column 'kommentar' (by its name"
expect_grep err "languages: sv 7"
expect_grep err "stored as run 1 in a.db"
grep -q 'ETA' err && fail "progress line without a terminal"
# rejects file: header, then one line per rejected row: file, line, reason, message, record
expect_eq "rejects lines" "$(wc -l < a.db.rejects.tsv)" "6"
expect_eq "rejects header" "$(head -1 a.db.rejects.tsv)" "$(printf 'file\tline\treason\tmessage\trecord')"
expect_eq "reject lines+reasons" "$(tail -n +2 a.db.rejects.tsv | cut -f2,3 | tr '\t\n' ':,')" \
    "5:score-out-of-range,6:score-not-numeric,7:fewer-fields,12:score-out-of-range,13:unterminated-quote,"
expect_eq "reject file" "$(sed -n 2p a.db.rejects.tsv | cut -f1)" "$F"
expect_eq "reject raw" "$(sed -n 4p a.db.rejects.tsv | cut -f5)" "6;2026-04-07;web;8"
expect_eq "reject raw quote" "$(sed -n 6p a.db.rejects.tsv | cut -f5)" '12;2026-04-13;web;5;"aldrig stängt citat'
# the store
expect_eq "runs" "$(q a.db 'SELECT rows_read, rows_analysed, rows_rejected, warnings FROM runs')" \
    "$(printf '12\t7\t5\t1')"
expect_eq "ids" "$(q a.db 'SELECT ext_id FROM comments ORDER BY comment_id' | tr '\n' ' ')" "1 2 3 7 8 9 10 "
expect_eq "lines" "$(q a.db 'SELECT line FROM comments ORDER BY comment_id' | tr '\n' ' ')" "2 3 4 8 9 10 11 "
expect_eq "dates" "$(q a.db 'SELECT date FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "2026-04-03 2026-04-03 NULL 2026-04-08 2026-04-09 2026-04-10 2026-04-11 "
expect_eq "scores" "$(q a.db 'SELECT score FROM comments ORDER BY comment_id' | tr '\n' ' ')" \
    "9.0 10.0 7.0 6.0 7.5 NULL 3.0 "
expect_eq "score type" "$(q a.db 'SELECT DISTINCT score_type FROM comments')" "nps"
expect_eq "quoted text" "$(q a.db "SELECT text FROM comments WHERE ext_id = '7'")" 'Citerad; med semikolon och "citat"'
expect_eq "segments (empty value: none)" "$(q a.db 'SELECT count(*), count(DISTINCT comment_id) FROM segments')" "$(printf '6\t6')"
expect_eq "segment name" "$(q a.db "SELECT DISTINCT name FROM segments")" "channel"
expect_eq "pii redacted" "$(q a.db "SELECT text FROM comments WHERE ext_id = '10'")" "Ringde [PHONE] och mailade [EMAIL]"
expect_eq "input" "$(q a.db 'SELECT path, size FROM inputs')" "$(printf '%s\t%s' "$F" "$(wc -c < "$F" | tr -d ' ')")"
expect_eq "options" "$(q a.db 'SELECT json_extract(options, "$.score_type") FROM runs')" "nps"

# --lenient-scores keeps the three bad scores without a score (3 warnings);
# --keep-pii stores the text as written; --strict exits 3 with rejects.
expect_exit 3 "$TEMA" analyze --db b.db --lenient-scores --keep-pii --strict --quiet \
    --id-column id --score-column nps --score-type nps --rejects rej.tsv "$F"
expect_grep err "12 rows read: 10 analysed, 2 rejected"
expect_grep err "warnings: 3 (3 bad score kept"
grep -q "text column" err && fail "--quiet still notes the text column"
expect_eq "rejects path" "$(tail -n +2 rej.tsv | wc -l)" "2"
[ -e b.db.rejects.tsv ] && fail "default rejects file written despite --rejects"
expect_eq "lenient scores" "$(q b.db "SELECT count(*) FROM comments WHERE ext_id IN ('4','5','11') AND score IS NULL")" "3"
expect_eq "kept pii" "$(q b.db "SELECT text FROM comments WHERE ext_id = '10'")" \
    "Ringde 070-123 45 67 och mailade anna.berg@example.se"
expect_eq "no date column" "$(q b.db 'SELECT count(*) FROM comments WHERE date IS NULL')" "10"

# --out jsonl: the contract keys, input order, score null when missing.
expect_exit 0 "$TEMA" analyze --db c.db --id-column id --score-column nps --lang sv \
    --touchpoint-column channel --out out.jsonl "$F"
expect_eq "jsonl lines" "$(wc -l < out.jsonl)" "7"
jq -e -s 'all(.[]; has("id") and has("source") and has("line") and has("lang") and has("sentiment")
          and has("label") and has("themes") and has("score"))' out.jsonl >/dev/null || fail "jsonl keys"
expect_eq "jsonl ids" "$(jq -r .id out.jsonl | tr '\n' ' ')" "1 2 3 7 8 9 10 "
expect_eq "jsonl lines" "$(jq -r .line out.jsonl | tr '\n' ' ')" "2 3 4 8 9 10 11 "
expect_eq "jsonl score" "$(jq -c .score out.jsonl | tr '\n' ' ')" "9 10 7 6 7.5 null 3 "
expect_eq "jsonl lang" "$(jq -r .lang out.jsonl | sort -u)" "sv"
expect_eq "jsonl themes" "$(jq -c '.themes | type' out.jsonl | sort -u)" '"array"'
# the export's value is kept as written and mapped through the taxonomy's aliases
expect_eq "touchpoint raw" "$(q c.db "SELECT touchpoint_raw, touchpoint FROM comments WHERE ext_id = '2'")" "$(printf 'app\tapp')"
# without an id column the id is the row number (rejected rows count)
expect_exit 0 "$TEMA" analyze --db d.db --out out2.jsonl --lenient-scores --score-column nps "$F"
expect_eq "row numbers" "$(jq -r .id out2.jsonl | tr '\n' ' ')" "1 2 3 4 5 7 8 9 10 11 "
expect_eq "no id column" "$(q d.db 'SELECT count(*) FROM comments WHERE ext_id IS NULL')" "10"

# --out csv is RFC 4180: our own reader takes it back with every row intact
# (the source path holds a comma, so that field must be quoted).
cp "$F" "with,comma.csv"
expect_exit 0 "$TEMA" analyze --db e.db --out out.csv "with,comma.csv"
expect_eq "csv header" "$(head -1 out.csv)" "$(printf 'id,source,line,lang,sentiment,label,score,themes\r')"
expect_grep out.csv '^1,"with,comma.csv",2,sv,'
expect_exit 0 "$TEMA" analyze --db f.db --text-column source --id-column id out.csv
expect_grep err "10 rows read: 10 analysed, 0 rejected"
expect_eq "csv fields" "$(q f.db "SELECT DISTINCT text FROM comments")" "with,comma.csv"

# Column guessing by longest values; --delimiter; --format; --max-field; --lang-column.
printf 'a|b|c\n1|x|a much longer value than the others\n2|y|another long comment here\n' > pipe.txt
expect_exit 0 "$TEMA" analyze --db g.db --delimiter '|' --format csv pipe.txt
expect_grep err "text column 'c' (longest values"
expect_eq "pipe text" "$(q g.db 'SELECT text FROM comments ORDER BY line LIMIT 1')" "a much longer value than the others"
printf 'id\ttext\tlang\n1\thej hej\tda\n2\tHello there my friend\ten\n3\tbra\tzz\n' > t.dat
expect_exit 0 "$TEMA" analyze --db h.db --format tsv --lang-column lang --max-field 15 t.dat
expect_grep err "3 rows read: 2 analysed, 1 rejected"
expect_grep err "1 field-too-long"
expect_grep err "1 unknown language in the language column"
expect_eq "lang column" "$(q h.db 'SELECT lang FROM comments ORDER BY line LIMIT 1')" "da"
# --encoding: cp1252 bytes are transcoded; without the option the summary suggests it
expect_exit 0 "$TEMA" analyze --db i.db "$TEMA_DATA/tests/data/readers/cp1252.csv"
expect_grep err "try --encoding cp1252"
expect_grep err "invalid UTF-8 repaired"
expect_exit 0 "$TEMA" analyze --db j.db --encoding cp1252 "$TEMA_DATA/tests/data/readers/cp1252.csv"
expect_grep "$TMP/err" "0 rejected"
expect_eq "cp1252 text" "$(q j.db 'SELECT text FROM comments LIMIT 1' | grep -c '^försenad')" "1"
# engine options are taken and recorded
expect_exit 0 "$TEMA" analyze --db k.db --no-model --no-lang-prior --threads 1 --data "$TEMA_DATA" \
    --lexicon "$TEMA_DATA/lexicons/sv/sentiment.txt" --taxonomy "$TEMA_DATA/lexicons/themes/cx.tema" "$F"
expect_eq "taxonomy recorded" "$(q k.db 'SELECT json_extract(options, "$.taxonomies[0]") FROM runs')" "$TEMA_DATA/lexicons/themes/cx.tema"
expect_eq "options recorded" "$(q k.db 'SELECT json_extract(options, "$.model") || json_extract(options, "$.lang_prior") FROM runs')" "00"

# Exit codes: 2 usage, 1 fatal.
expect_exit 2 "$TEMA" analyze;                       expect_grep err "no input file"
expect_exit 2 "$TEMA" analyze --bogus "$F";          expect_grep err "unknown option '--bogus'"
expect_exit 2 "$TEMA" analyze "$F" --db;             expect_grep err "needs a value"
expect_exit 2 "$TEMA" analyze --score-type foo "$F"; expect_grep err "nps, csat or ces"
expect_exit 2 "$TEMA" analyze --score-column rating "$F"; expect_grep err "give --score-type"
expect_exit 2 "$TEMA" analyze --out x.txt "$F";      expect_grep err ".csv or .jsonl"
expect_exit 2 "$TEMA" analyze --threads 0 "$F"
expect_exit 2 "$TEMA" analyze - -
expect_exit 0 "$TEMA" analyze --help;                expect_grep out "Exit codes"
expect_exit 1 "$TEMA" analyze --db m.db missing.csv; expect_grep err "missing.csv: No such file"
expect_exit 1 "$TEMA" analyze --db m.db --text-column nope "$F"
expect_grep err "no column 'nope'"
expect_exit 1 "$TEMA" analyze --db "$TMP/no/such/dir/x.db" "$F"; expect_grep err "x.db"
printf '' > empty.csv
expect_exit 1 "$TEMA" analyze --db m.db empty.csv;   expect_grep err "empty.csv"
printf 'id,comment,nps\n1,bra,9\n' > clean.csv
expect_exit 0 "$TEMA" analyze --db m.db --strict --score-column nps clean.csv

# Touchpoint values in the market's language map to one touchpoint id.
printf 'id;kanal;kommentar\n1;Leverans;Paketet kom aldrig\n2;Kundeservice;Ingen svarer\n3;Okänd kanal;Bra\n' > tp.csv
"$TEMA" analyze --db tp.db --quiet --touchpoint-column kanal tp.csv 2>/dev/null || fail "analyze tp.csv"
expect_eq "mapped touchpoints" "$(q tp.db "SELECT touchpoint_raw, ifnull(touchpoint, 'NULL') FROM comments ORDER BY line" | tr '\t\n' '=,')" "Leverans=delivery,Kundeservice=customer_service,Okänd kanal=NULL,"

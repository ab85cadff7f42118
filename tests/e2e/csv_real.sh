# CSV exports as Excel and real tools write them: a "sep=" first line (after a
# BOM, CRLF, quoted, against --delimiter), repeated column names and columns by
# position ('#N'), and formula injection defused in report CSVs but not in the
# --out export.  Every expected value is worked out by hand from the files
# written below and the facts of tests/data/store/small.sql.
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
Q="$(dirname "$TEMA")/tools/store-query"
LOAD="$(dirname "$TEMA")/tools/store-sql"
[ -x "$Q" ] && [ -x "$LOAD" ] || fail "no $Q or $LOAD (make builds them)"
q() { "$Q" "$TMP/$1" "$2"; }
cd "$TMP"

# --- sep= ---------------------------------------------------------------------
# BOM, sep=;, CRLF: the header is line 2, rows on lines 3-5 (row 3's comment is
# quoted and holds a semicolon).  Read as the header, "sep=;" would make one
# column and every row "more-fields".
printf '\357\273\277sep=;\r\nid;kommentar;kanal\r\n' > sep.csv
printf '1;Leveransen var sen, paketet kom efter två veckor;web\r\n' >> sep.csv
printf '2;Bra priser, snabb leverans;app\r\n' >> sep.csv
printf '3;"Kundtjänsten svarade aldrig; jag ringde tre gånger";web\r\n' >> sep.csv
expect_exit 0 "$TEMA" analyze --db sep.db --id-column id --segment-column kanal sep.csv
expect_grep err "tema: sep.csv: line 1 'sep=' sets the delimiter ';' (Excel's hint; skipped, the header is line 2)"
expect_grep err "text column 'kommentar'"
expect_grep err "3 rows read: 3 analysed, 0 rejected"
expect_eq "sep rows" "$(q sep.db "SELECT line || '|' || ext_id || '|' || text FROM comments ORDER BY comment_id")" \
"3|1|Leveransen var sen, paketet kom efter två veckor
4|2|Bra priser, snabb leverans
5|3|Kundtjänsten svarade aldrig; jag ringde tre gånger"
expect_eq "sep segments" "$(q sep.db "SELECT name || '=' || value FROM segments ORDER BY comment_id" | tr '\n' ' ')" \
    "kanal=web kanal=app kanal=web "
# --quiet drops the note
expect_exit 0 "$TEMA" analyze --db q.db --quiet sep.csv
grep -q "sep=" err && fail "--quiet still notes the sep= line"

# quoted, as Excel sometimes writes it, with LF; the comment's semicolons are data
printf '"sep=,"\nid,kommentar\n7,Dyrt; sent; trasigt\n' > quoted.csv
expect_exit 0 "$TEMA" analyze --db quoted.db --id-column id quoted.csv
expect_grep err "line 1 'sep=' sets the delimiter ','"
expect_eq "quoted sep row" "$(q quoted.db "SELECT line || '|' || ext_id || '|' || text FROM comments")" \
    "3|7|Dyrt; sent; trasigt"

# a contradicting --delimiter wins; the line is still skipped, and a warning
# (also with --quiet) names both and is counted
printf 'sep=,\r\nid;kommentar\r\n1;Sen leverans, dyrt\r\n' > contra.csv
expect_exit 0 "$TEMA" analyze --db contra.db --quiet --delimiter ';' --id-column id contra.csv
expect_grep err "tema: warning: contra.csv: line 1 'sep=' names the delimiter ',', but ';' is used (--delimiter); the line is skipped"
expect_grep err "1 rows* read: 1 analysed, 0 rejected"
expect_grep err "warnings: 1 (1 files whose sep= line names another delimiter than --delimiter)"
expect_eq "contra row" "$(q contra.db "SELECT line || '|' || ext_id || '|' || text FROM comments")" \
    "3|1|Sen leverans, dyrt"

# --- repeated column names and '#N' ---------------------------------------------
printf 'id,Comment,Comment,Kanal,KANAL\n' > dup.csv
printf 'a1,Leveransen var sen,Bra service,web,x\n' >> dup.csv
printf 'a2,Dyrt,Snabbt och smidigt,app,y\n' >> dup.csv
# the guess would take 'Comment', which names two columns
expect_exit 1 "$TEMA" analyze --db dup.db dup.csv
expect_grep err "tema: error: dup.csv: the text column would be 'Comment', but 2 columns have that name (ignoring case): #2, #3; give one with --text-column '#2'"
expect_exit 1 "$TEMA" analyze --db dup.db --text-column Comment dup.csv
expect_grep err "tema: error: dup.csv: --text-column 'Comment' matches 2 columns: #2 'Comment', #3 'Comment'; give one by position, e.g. --text-column '#2'"
# 'kanal' matches no column exactly and two ignoring case; 'Kanal' matches one exactly
expect_exit 1 "$TEMA" analyze --db dup.db --text-column '#2' --segment-column kanal dup.csv
expect_grep err "dup.csv: --segment-column 'kanal' matches 2 columns (ignoring case): #4 'Kanal', #5 'KANAL'"
# positions for three options, and an exact name beside a case variant
expect_exit 0 "$TEMA" analyze --db dup.db --text-column '#3' --id-column '#1' --segment-column '#5' \
    --segment-column Kanal dup.csv
expect_eq "by position" "$(q dup.db "SELECT line || '|' || ext_id || '|' || text FROM comments ORDER BY comment_id")" \
"2|a1|Bra service
3|a2|Snabbt och smidigt"
expect_eq "segments by position" "$(q dup.db "SELECT name || '=' || value FROM segments ORDER BY comment_id, name" | tr '\n' ' ')" \
    "KANAL=x Kanal=web KANAL=y Kanal=app "
expect_exit 2 "$TEMA" analyze --db x.db --text-column '#0' dup.csv
expect_grep err "--text-column '#0': column positions start at 1"
expect_exit 1 "$TEMA" analyze --db x.db --text-column '#2' --date-column '#6' dup.csv
expect_grep err "dup.csv: --date-column '#6': the header has 5 columns"
# the scale of a score column by position comes from the header there ('Kanal': none)
expect_exit 1 "$TEMA" analyze --db x.db --text-column '#2' --score-column '#4' dup.csv
expect_grep err "tema: error: dup.csv: cannot tell the scale of score column #4 'Kanal' from its name: give --score-type"

# --- formula injection ----------------------------------------------------------
# small.sql with the three price.too_high quotes (comments 10, 11 and 12: sentiment
# -0.4 each, oldest first) starting with = - and @, and segment 'app' as '@app'.
"$LOAD" rep.db "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"
"$LOAD" rep.db <<'SQL' || fail "doctoring the fixture"
UPDATE comments SET text = '=1+1 Alldeles för dyrt jämfört med andra butiker.' WHERE comment_id = 10;
UPDATE comments SET text = '-Prices are far too high for what you get.' WHERE comment_id = 11;
UPDATE comments SET text = '@kundtjänst Frakten kostade mer än själva varan, för dyrt.' WHERE comment_id = 12;
UPDATE segments SET value = '@app' WHERE value = 'app';
SQL
"$TEMA" top --db rep.db --format csv > top.csv || fail "top csv"
# price.too_high: 4 of 40 comments complain (share 0.1, Wilson 0.0396-0.2305);
# sentiment (3 x -0.4 - 0.3) / 4 = -0.375; NPS with it: 3 detractors, 1 passive
# = -75; without: 14 promoters, 22 detractors of 36 = -22.22.  The negative
# numbers stay numbers; the quotes get a leading ' (inside the quotes of the
# third, which holds a comma).
row=$(grep '^irritant,1,price,' top.csv | tr -d '\r')
expect_eq "price row" "$row" \
"irritant,1,price,price.too_high,4,4,40,0.1000,0.0396,0.2305,-0.375,nps,-75.00,4,-22.22,36,'=1+1 Alldeles för dyrt jämfört med andra butiker.,'-Prices are far too high for what you get.,\"'@kundtjänst Frakten kostade mer än själva varan, för dyrt.\""
"$TEMA" scores --db rep.db --by segment:channel --format csv > scores.csv || fail "scores csv"
# all: 14 promoters, 25 detractors of 40 = -27.5; app (11-20, 31-40): 12
# promoters, 7 detractors of 20 = +25
expect_grep scores.csv '^all,40,-27.50,'
expect_grep scores.csv "^'@app,20,25.00,"
# the other formats show the text as it is
"$TEMA" top --db rep.db --format json | grep -q '"=1+1 Alldeles' || fail "json changed the text"

# --out FILE.csv is a flat export for other tools: values stay verbatim
printf 'id,kommentar\n=HYPERLINK(1),Leveransen var sen och dyr\n-7,Bra\n' > o.csv
expect_exit 0 "$TEMA" analyze --db o.db --id-column id --out out.csv o.csv
expect_grep out.csv '^=HYPERLINK(1),o.csv,2,'
expect_grep out.csv '^-7,o.csv,3,'
grep -q "'" out.csv && fail "--out CSV got a quote prefix"
exit 0

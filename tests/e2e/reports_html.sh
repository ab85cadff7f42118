# tema top, scores and drivers --format html on tests/data/store/small.sql (facts
# at the top of that file; the numbers below are the ones worked out by hand in
# reports.sh, here in the rounding of the Markdown output), and on a copy whose
# theme id, segment value and quote hold HTML's special characters.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "jq not installed"; exit 77; }
LOAD="$(dirname "$TEMA")/tools/store-sql"
[ -x "$LOAD" ] || fail "no $LOAD (make builds it)"
DB="$TMP/small.db"
"$LOAD" "$DB" "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"

# page WHAT FILE: one self-contained HTML5 document
page() {
    expect_eq "$1 doctype" "$(head -n 1 "$2")" '<!DOCTYPE html>'
    expect_eq "$1 one <html>" "$(grep -c '<html' "$2")" 1
    expect_eq "$1 one </html>" "$(grep -c '</html>' "$2")" 1
    expect_eq "$1 ends with </html>" "$(tail -n 1 "$2")" '</html>'
    expect_grep "$2" '^<html lang="en">$'
    expect_grep "$2" '^<meta charset="utf-8">$'
    expect_grep "$2" '^<style>$'
    # no script, nothing fetched from elsewhere
    expect_eq "$1 self-contained" "$(grep -c -i '<script\|src=\|href=\|url(\|@import' "$2")" 0
    # as many rows closed as opened, every table closed
    expect_eq "$1 rows" "$(grep -o '<tr' "$2" | wc -l)" "$(grep -o '</tr>' "$2" | wc -l)"
    expect_eq "$1 tables" "$(grep -o '<table>' "$2" | wc -l)" "$(grep -o '</table>' "$2" | wc -l)"
}

# --- tema top ----------------------------------------------------------------
"$TEMA" top --db "$DB" --format html > "$TMP/top.html" || fail "top html"
page top "$TMP/top.html"
expect_grep "$TMP/top.html" '<title>Top irritants: 40 comments in scope, filters: none</title>'
expect_grep "$TMP/top.html" '40 comments in scope\. Filters: none\.'
expect_grep "$TMP/top.html" 'Scores: NPS of the comments with / without'
# delivery: 14 complaints, 16 mentions, 14/40 = 35.0% (Wilson 22.1%-50.5%),
# sentiment -0.488, NPS -75 with, +4 without; rank 1
expect_grep "$TMP/top.html" '<tr class="touchpoint"><td class="n">1</td><td>delivery</td><td class="n">14</td><td class="n">16</td><td class="n">35.0% (22.1%–50.5%)</td><td class="n">-0.49</td><td class="n">-75 / +4</td></tr>'
# delivery.late beneath it: 13/40 = 32.5% (20.1%-48.0%), NPS -100 with, 7.4 without
expect_grep "$TMP/top.html" '<tr class="irritant"><td></td><td>delivery.late</td><td class="n">13</td><td class="n">13</td><td class="n">32.5% (20.1%–48.0%)</td><td class="n">-0.61</td><td class="n">-100 / +7</td></tr>'
expect_grep "$TMP/top.html" '<td class="n">3</td><td>price</td><td class="n">4</td>'
# its quotes follow in a list, the mention marked (23 has no span: no mark)
expect_grep "$TMP/top.html" '<li><q>The parcel was <mark>late</mark> again, and the replacement was late too.</q></li>'
expect_grep "$TMP/top.html" '<li><q>Hej, jag heter \[NAME\] och mitt paket kom en vecka försenat.</q></li>'
expect_grep "$TMP/top.html" '<li><q>Leveransen var <mark>försenad</mark> igen, kontakta mig på \[EMAIL\] tack.</q></li>'
# 3 of delivery.late, 1 of delivery.tracking (33), 3 of wait_time, 3 of too_high
expect_eq "quotes" "$(grep -c '^<li><q>' "$TMP/top.html")" 10
expect_eq "no trend without --period" "$(grep -c 'Complaint share' "$TMP/top.html")" 0

# --- trend and comparison: delivery.late 1/20 -> 12/20, z = 3.713, p = 0.0002
"$TEMA" top --db "$DB" --format html --period quarter > "$TMP/q.html" || fail "top html period"
page "period" "$TMP/q.html"
expect_grep "$TMP/q.html" '<h2>Complaint share by period</h2>'
expect_grep "$TMP/q.html" '<th>Touchpoint / irritant</th><th class="n">2025-Q1</th><th class="n">2025-Q2</th>'
expect_grep "$TMP/q.html" '<tr class="irritant"><td>delivery.late</td><td class="n">5.0%</td><td class="n">60.0%</td></tr>'
"$TEMA" top --db "$DB" --format html --period quarter --compare prev > "$TMP/cmp.html" || fail "top html compare"
page "compare" "$TMP/cmp.html"
expect_grep "$TMP/cmp.html" '<h2>Complaint share 2025-Q2 vs 2025-Q1</h2>'
expect_grep "$TMP/cmp.html" '<tr class="irritant"><td>delivery.late</td><td class="n">5.0%</td><td class="n">60.0%</td><td class="n">+55.0 pp</td><td class="n">0.0002</td><td class="n">rise ▲</td></tr>'
# customer_service 5/20 -> 2/20: z = -1.248, not flagged
# customer_service 5/20 -> 2/20: z = -0.15 / sqrt(.175 .825 .1) = -1.248, p = erfc(1.248 / sqrt 2) = 0.2119
expect_grep "$TMP/cmp.html" '<tr class="touchpoint"><td>customer_service</td><td class="n">25.0%</td><td class="n">10.0%</td><td class="n">-15.0 pp</td><td class="n">0\.2119</td><td class="n"></td></tr>'
# deterministic: the same store and options give the same bytes
"$TEMA" top --db "$DB" --format html --period quarter --compare prev > "$TMP/cmp2.html" || fail "again"
cmp -s "$TMP/cmp.html" "$TMP/cmp2.html" || fail "two runs differ"

# --- tema scores: 14 promoters, 1 passive, 25 detractors of 40: NPS -27.5 (-28), MoE 29.4
"$TEMA" scores --db "$DB" --format html > "$TMP/sc.html" || fail "scores html"
page scores "$TMP/sc.html"
expect_grep "$TMP/sc.html" '<title>NPS, CSAT and CES: 40 comments in scope, filters: none</title>'
expect_grep "$TMP/sc.html" '<th>Group</th><th class="n">Comments</th><th class="n">NPS</th><th class="n">±</th><th class="n">Promoters</th>'
expect_grep "$TMP/sc.html" '<tr><td>all</td><td class="n">40</td><td class="n">-28</td><td class="n">29.4</td><td class="n">14</td><td class="n">1</td><td class="n">25</td><td class="n">-</td><td class="n">-</td><td class="n">-</td><td class="n">-</td></tr>'
# web: 2 promoters, 18 detractors of 20 = -80
"$TEMA" scores --db "$DB" --format html --by segment:channel > "$TMP/seg.html" || fail "scores by segment"
expect_grep "$TMP/seg.html" '<tr><td>web</td><td class="n">20</td><td class="n">-80</td>'

# --- tema drivers: delivery.late 13 at -100, without 14 - 12 of 27 = +7.41;
# impact 13 (-72.5) / 27 = -34.91; 13 of 25 detractors; p < 0.05
"$TEMA" drivers --db "$DB" --format html > "$TMP/dr.html" || fail "drivers html"
page drivers "$TMP/dr.html"
# drivers count the comments with a score of the metric (all 40 have an NPS)
expect_grep "$TMP/dr.html" '<title>Key drivers of nps: 40 comments with a score'
expect_grep "$TMP/dr.html" 'Association, not causation'
expect_grep "$TMP/dr.html" '<tr><td>delivery.late</td><td class="n">13</td><td class="n">-100.00</td><td class="n">7.41</td><td class="n">-34.91</td><td class="n">13</td><td class="n">52.0%</td><td class="n">0.0000 \*</td></tr>'

# --- escaping: a theme id, a segment value and a quote holding <b>&"'
ESC="$TMP/esc.db"
"$LOAD" "$ESC" "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"
"$LOAD" "$ESC" <<'SQL' || fail "adding special characters"
UPDATE mentions SET theme = 'price.<b>&"''' WHERE theme = 'price.too_high';
UPDATE segments SET value = '<b>&"''web' WHERE value = 'web';
UPDATE comments SET text = text || ' <b>&"''' WHERE comment_id = 12;
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
E='&lt;b&gt;&amp;&quot;&#39;'
"$TEMA" top --db "$ESC" --format html > "$TMP/e-top.html" || fail "top html (escaping)"
page "escaped top" "$TMP/e-top.html"
expect_grep "$TMP/e-top.html" "<td>price\\.$E</td><td class=\"n\">4</td>"
expect_grep "$TMP/e-top.html" "<li><q>Frakten kostade mer än själva varan, för <mark>dyrt</mark>\\. $E</q></li>"
"$TEMA" top --db "$ESC" --format html --segment "channel=<b>&\"'web" > "$TMP/e-seg.html" || fail "top html --segment"
expect_grep "$TMP/e-seg.html" "<title>Top irritants: 20 comments in scope, filters: channel = ${E}web</title>"
"$TEMA" scores --db "$ESC" --format html --by segment:channel > "$TMP/e-sc.html" || fail "scores html (escaping)"
expect_grep "$TMP/e-sc.html" "<tr><td>${E}web</td><td class=\"n\">20</td><td class=\"n\">-80</td>"
"$TEMA" drivers --db "$ESC" --format html --min-mentions 1 > "$TMP/e-dr.html" || fail "drivers html (escaping)"
expect_grep "$TMP/e-dr.html" "<tr><td>price\\.$E</td><td class=\"n\">4</td>"
for f in e-top e-seg e-sc e-dr; do
    expect_eq "$f: no raw <b>" "$(grep -c '<b>' "$TMP/$f.html")" 0
    expect_eq "$f: no raw quote in text" "$(grep -c "&\"'" "$TMP/$f.html")" 0
done

# --- invalid UTF-8 (cannot come from tema analyze) never reaches the page: the
# Markdown shows the raw byte, the page U+FFFD, and jq (which replaces invalid
# sequences) reads the page back unchanged
"$LOAD" "$ESC" <<'SQL' || fail "adding an invalid byte"
UPDATE comments SET text = text || CAST(X'FF' AS TEXT) WHERE comment_id = 11;
SQL
"$TEMA" top --db "$ESC" --format md > "$TMP/bad.md" || fail "top md (invalid UTF-8)"
jq -Rr . "$TMP/bad.md" | cmp -s - "$TMP/bad.md" && fail "the store did not keep the invalid byte"
"$TEMA" top --db "$ESC" --format html > "$TMP/bad.html" || fail "top html (invalid UTF-8)"
jq -Rr . "$TMP/bad.html" | cmp -s - "$TMP/bad.html" || fail "invalid UTF-8 in the page"
expect_grep "$TMP/bad.html" '<li><q>Prices are far <mark>too high</mark> for what you get\.�</q></li>'

# --- help and errors
for cmd in top scores drivers; do
    expect_exit 0 "$TEMA" $cmd --help; expect_grep "$TMP/out" "md or html"
done
expect_exit 2 "$TEMA" top --db "$DB" --format htm; expect_grep "$TMP/err" "use table, csv, json, md, html"
exit 0

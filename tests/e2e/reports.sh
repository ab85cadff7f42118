# tema top, scores and drivers on tests/data/store/small.sql, a 40-comment store
# whose facts are listed at the top of that file.  Every expected number below
# is worked out by hand from those facts (formulas in docs/reports.md).
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "jq not installed"; exit 77; }
LOAD="$(dirname "$TEMA")/tools/store-sql"
[ -x "$LOAD" ] || fail "no $LOAD (make builds it)"
DB="$TMP/small.db"
"$LOAD" "$DB" "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"
top() { "$TEMA" top --db "$DB" --format json "$@"; }
# jqr FILTER ARGS...: one jq result (compact) of `tema top --format json ARGS`
jqr() { f=$1; shift; top "$@" | jq -c "$f"; }

# --- ranking and counts ------------------------------------------------------
top > "$TMP/top.json" || fail "tema top failed"
jq -e . "$TMP/top.json" >/dev/null || fail "top json does not parse"
q() { jq -c "$1" "$TMP/top.json"; }
expect_eq "ranking" "$(q '[.touchpoints[].touchpoint]')" '["delivery","customer_service","price"]'
expect_eq "complaints" "$(q '[.touchpoints[].complaints]')" '[14,7,4]'
expect_eq "mentions" "$(q '[.touchpoints[].mentions]')" '[16,8,4]'
expect_eq "comments" "$(q '[.scope.comments, .touchpoints[0].comments]')" '[40,40]'
expect_eq "delivery irritants" "$(q '[.touchpoints[0].irritants[].theme]')" '["delivery.late","delivery.tracking"]'
# comment 21 names delivery.late twice: 13 comments, 14 rows
expect_eq "late counts" "$(q '.touchpoints[0].irritants[0] | [.complaints, .mentions, .mention_rows]')" '[13,13,14]'
expect_eq "tracking counts" "$(q '.touchpoints[0].irritants[1] | [.complaints, .mentions]')" '[1,3]'
# share 14/40; Wilson: centre (p + z²/2n)/(1 + z²/n), half-width z/(1+z²/n)·sqrt(p(1-p)/n + z²/4n²)
expect_eq "delivery share" "$(q '.touchpoints[0] | [.share, (.share_ci95 | map(. * 1000 | round))]')" '[0.35,[221,505]]'
expect_eq "late share" "$(q '.touchpoints[0].irritants[0] | [.share, (.share_ci95 | map(. * 1000 | round))]')" '[0.325,[201,480]]'
# mean mention sentiment of delivery: (13 x -0.6 - 0.8 + 2 x 0.5 - 0.7) / 17
expect_eq "delivery sentiment" "$(q '.touchpoints[0].sentiment * 1000 | round')" '-488'
# NPS with delivery.late: all 13 score 2 -> -100; without: 14 promoters, 12 detractors of 27
expect_eq "late nps with" "$(q '.touchpoints[0].irritants[0].score_with | [.value, .n]')" '[-100,13]'
expect_eq "late nps without" "$(q '.touchpoints[0].irritants[0].score_without | [(.value * 1000 | round), .n, .promoters, .detractors]')" '[7407,27,14,12]'

# --- quotes: 21 (most negative), not 1 (too short), not 22 (near-duplicate of 21),
# 23 without highlight ([NAME] before the mention shifts offsets), 24 highlighted
expect_eq "examples" "$(q '.touchpoints[0].irritants[0].examples | map(.[0:20])')" \
    '["The parcel was late ","Hej, jag heter [NAME","Leveransen var förse"]'
expect_eq "highlights" "$(q '.touchpoints[0].irritants[0].highlights')" '[[15,19],null,[15,24]]'
expect_eq "html" "$(q '.touchpoints[0].irritants[0].examples_html[2]')" '"Leveransen var <mark>försenad</mark> igen, kontakta mig på [EMAIL] tack."'
expect_eq "touchpoint has no examples key" "$(q '.touchpoints[0] | has("examples")')" 'false'

# --- trend and comparison ----------------------------------------------------
top --period quarter --compare prev > "$TMP/cmp.json" || fail "compare failed"
c() { jq -c "$1" "$TMP/cmp.json"; }
expect_eq "periods" "$(c '.scope | [.periods, .current, .previous]')" '[["2025-Q1","2025-Q2"],"2025-Q2","2025-Q1"]'
# delivery.late 1/20 -> 12/20: pooled 13/40, z = 0.55 / sqrt(.325 .675 (1/20 + 1/20)) = 3.713
expect_eq "late change" "$(c '.touchpoints[0].irritants[0].change | [.previous_share, .share, (.z * 1000 | round), .flag]')" '[0.05,0.6,3713,"rise"]'
expect_eq "late p" "$(c '.touchpoints[0].irritants[0].change.p < 0.001')" 'true'
# customer_service 5/20 -> 2/20: z = -0.15 / sqrt(.175 .825 .1) = -1.248, not significant
expect_eq "cs change" "$(c '.touchpoints[1].change | [.change, (.z * 1000 | round), .flag]')" '[-0.15,-1248,null]'
expect_eq "explicit prev" "$(jqr '.touchpoints[0].irritants[0].change.flag' --period quarter --compare 2025-Q1)" '"rise"'
expect_eq "trend points" "$(c '.touchpoints[0].irritants[0].trend | map([.complaints, .comments])')" '[[1,20],[12,20]]'
# months: Jan 1-7, Feb 8-14, Mar 15-20, Apr 21-27, May 28-34, Jun 35-40
expect_eq "month comments" "$(jqr '.touchpoints[0].irritants[0].trend | map(.comments)' --period month)" '[7,7,6,7,7,6]'
expect_eq "month late" "$(jqr '.touchpoints[0].irritants[0].trend | map(.complaints)' --period month)" '[1,0,0,7,5,0]'
# 2025-01-03 is the Friday of ISO week 2025-W01 (which began on Monday 2024-12-30)
expect_eq "first week" "$(jqr '.scope.periods[0]' --period week)" '"2025-W01"'

# --- the text table fits long theme ids (a user taxonomy's) without cutting them
"$LOAD" "$TMP/long.db" "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"
printf "UPDATE mentions SET theme = 'delivery.tracking_and_delivery_notifications' WHERE theme = 'delivery.tracking';\nDELETE FROM meta WHERE key = 'rollup_stamp';\n" |
    "$LOAD" "$TMP/long.db" || fail "renaming a theme"
"$TEMA" top --db "$TMP/long.db" > "$TMP/long.txt" || fail "tema top (text) failed"
# "   " + the indented id (46 columns), then complaints 1 and mentions 3 as above
expect_grep "$TMP/long.txt" '^     delivery\.tracking_and_delivery_notifications      1      3 '
expect_grep "$TMP/long.txt" '^   Touchpoint / irritant \{26\}Compl\.  Ment\.'
# an id of 52 characters and 83 bytes (31 of them two-byte: ö, and å ä ö ten
# times): the row is valid UTF-8 and aligned by columns, not bytes: "     "
# + the id, which with its indent fills the widened column (54), then
# " %6zu" twice (complaints and mentions of delivery.late: 13 and 13)
"$LOAD" "$TMP/long.db" <<'SQL' || fail "renaming a theme"
UPDATE mentions SET theme = 'delivery.försenad_åäöåäöåäöåäöåäöåäöåäöåäöåäöåäö_lev' WHERE theme = 'delivery.late';
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
"$TEMA" top --db "$TMP/long.db" > "$TMP/long2.txt" || fail "tema top (text) failed"
iconv -f UTF-8 -t UTF-8 "$TMP/long2.txt" > /dev/null 2>&1 || fail "tema top wrote invalid UTF-8"
expect_grep "$TMP/long2.txt" '^     delivery\.försenad_åäöåäöåäöåäöåäöåäöåäöåäöåäöåäö_lev     13     13 '

# --- filters -----------------------------------------------------------------
expect_eq "lang sv" "$(jqr '[.scope.comments, .touchpoints[0].complaints]' --lang sv)" '[20,8]'
expect_eq "segment app" "$(jqr '[.scope.comments, .touchpoints[0].touchpoint, .touchpoints[0].complaints]' --segment channel=app)" '[20,"delivery",3]'
expect_eq "since Q2" "$(jqr '[.scope.comments, .touchpoints[0].complaints]' --since 2025-04-01)" '[20,13]'
expect_eq "until Q1 ranking" "$(jqr '[.touchpoints[] | [.touchpoint, .complaints]]' --until 2025-03-31)" '[["customer_service",5],["price",3],["delivery",1]]'
expect_eq "touchpoint" "$(jqr '[.touchpoints[].touchpoint]' --touchpoint price)" '["price"]'
expect_eq "theme" "$(jqr '[.touchpoints[] | [.touchpoint, .complaints, .mentions]]' --theme delivery.tracking)" '[["delivery",1,3]]'
expect_eq "min mentions" "$(jqr '[.touchpoints[] | [.touchpoint, (.irritants | map(.theme))]]' --min-mentions 5)" '[["delivery",["delivery.late"]],["customer_service",["customer_service.wait_time"]]]'
expect_eq "limit" "$(jqr '[.touchpoints[0].irritants[].theme]' --limit 1)" '["delivery.late"]'
expect_eq "other run" "$(jqr '[.scope.comments, (.touchpoints | length)]' --run 2)" '[0,0]'
expect_eq "examples 1" "$(jqr '.touchpoints[0].irritants[0].examples | length' --examples 1)" '1'

# --- formats -----------------------------------------------------------------
# CSV: RFC 4180 (quoted fields may hold commas and quotes): every record has the
# header's field count.  The awk below counts fields outside quotes.
csv_check() {
    awk 'BEGIN { RS = "\r\n" } NF || length($0) {
        n = 1; q = 0
        for (i = 1; i <= length($0); i++) { ch = substr($0, i, 1)
            if (ch == "\"") q = !q; else if (ch == "," && !q) n++ }
        if (NR == 1) want = n; else if (n != want) { print "record " NR ": " n " fields, want " want; bad = 1 }
        rows++ } END { if (bad) exit 1; print rows }' "$1"
}
"$TEMA" top --db "$DB" --format csv --period quarter --compare prev > "$TMP/top.csv" || fail "csv"
expect_eq "csv records" "$(csv_check "$TMP/top.csv")" "8"
expect_grep "$TMP/top.csv" '^irritant,1,delivery,delivery.late,13,13,40,0.3250,'
expect_grep "$TMP/top.csv" '"Frakten kostade mer än själva varan, för dyrt."'
"$TEMA" top --db "$DB" --format md > "$TMP/top.md" || fail "md"
expect_grep "$TMP/top.md" '^| delivery | 14 | 16 | 35.0% (22.1%–50.5%) | -0.49 | -75 / +4 |$'
expect_grep "$TMP/top.md" 'Leveransen var \*\*försenad\*\* igen'
expect_grep "$TMP/top.md" '^### 1. delivery$'
"$TEMA" top --db "$DB" --period quarter --compare prev > "$TMP/top.txt" || fail "table"
expect_grep "$TMP/top.txt" '^ 1 delivery  *14  *16  *35.0%'
expect_grep "$TMP/top.txt" 'The parcel was «late» again'
expect_grep "$TMP/top.txt" 'delivery.late  *5.0%  *60.0%  *+55.0 pp  *0.0002  rise$'
wide=$(awk '{ if (length($0) > 100) print }' "$TMP/top.txt" | head -1)
[ -z "$wide" ] || fail "table wider than 100 columns: $wide"
for cmd in scores drivers; do
    "$TEMA" $cmd --db "$DB" --format json | jq -e . >/dev/null || fail "$cmd json"
    "$TEMA" $cmd --db "$DB" --format csv > "$TMP/$cmd.csv" || fail "$cmd csv"
    csv_check "$TMP/$cmd.csv" >/dev/null || fail "$cmd csv fields"
    "$TEMA" $cmd --db "$DB" --format md | grep -q '^|---' || fail "$cmd md"
done

# --- scores ------------------------------------------------------------------
# 14 promoters, 1 passive, 25 detractors of 40: NPS -27.5;
# MoE = 1.96 sqrt(((.35 + .625) - (-.275)^2) / 40) = 29.39 points
"$TEMA" scores --db "$DB" --format json > "$TMP/sc.json" || fail "scores"
expect_eq "nps all" "$(jq -c '.groups[0] | [.key, .nps.value, .nps.n, .nps.promoters, .nps.passives, .nps.detractors, (.nps.moe95 * 100 | round)]' "$TMP/sc.json")" '["all",-27.5,40,14,1,25,2939]'
expect_eq "no csat" "$(jq -c '.groups[0].csat | [.n, .value]' "$TMP/sc.json")" '[0,null]'
# web: 2 promoters, 18 detractors of 20 = -80; app: 12 promoters, 1 passive, 7 detractors = +25
expect_eq "by segment" "$("$TEMA" scores --db "$DB" --format json --by segment:channel | jq -c '[.groups[] | [.key, .nps.value]]')" '[["all",-27.5],["app",25],["web",-80]]'
expect_eq "by quarter" "$("$TEMA" scores --db "$DB" --format json --by period:quarter | jq -c '[.groups[1:][] | [.key, .nps.value]]')" '[["2025-Q1",0],["2025-Q2",-55]]'
# delivery is mentioned by 1, 2, 3, 21-33: 2 promoters and 14 detractors of 16
expect_eq "by touchpoint" "$("$TEMA" scores --db "$DB" --format json --by touchpoint | jq -c '.groups[1] | [.key, .comments, .nps.value]')" '["delivery",16,-75]'
"$TEMA" scores --db "$DB" > "$TMP/sc.txt" || fail "scores table"
expect_grep "$TMP/sc.txt" '^all  *40  *-28  *29.4  *40  *14  *1  *25 '

# --- drivers -----------------------------------------------------------------
# delivery.late: 13 comments at -100 against -27.5 overall: 13 (-72.5) / 27 = -34.907;
# 13 of the 25 detractors
"$TEMA" drivers --db "$DB" --format json > "$TMP/dr.json" || fail "drivers"
expect_eq "drivers default min" "$(jq -c '[.drivers[].theme]' "$TMP/dr.json")" '["delivery.late"]'
expect_eq "late impact" "$(jq -c '.drivers[0] | [.n, .score, (.impact * 1000 | round), .detractors, .detractor_share, .significant]' "$TMP/dr.json")" '[13,-100,-34907,13,0.52,true]'
expect_grep "$TMP/dr.json" 'not causation'
# customer_service.wait_time: 8 at -100: 8 (-72.5) / 32 = -18.125; price.too_high:
# 4 at -75: 4 (-47.5) / 36 = -5.278; delivery.tracking 3 at +33.3: 3 (60.83) / 37 = +4.932
expect_eq "ranked by impact" "$("$TEMA" drivers --db "$DB" --format json --min-mentions 1 | jq -c '[.drivers[] | [.theme, (.impact * 1000 | round)]]')" \
    '[["delivery.late",-34907],["customer_service.wait_time",-18125],["price.too_high",-5278],["delivery.tracking",4932]]'
"$TEMA" drivers --db "$DB" > "$TMP/dr.txt" || fail "drivers table"
expect_grep "$TMP/dr.txt" 'Association, not causation'

# --- errors ------------------------------------------------------------------
expect_exit 2 "$TEMA" top --db "$DB" --format xml;       expect_grep "$TMP/err" "unknown format 'xml'"
expect_exit 2 "$TEMA" top --db "$DB" --period year;      expect_grep "$TMP/err" "unknown period"
expect_exit 2 "$TEMA" top --db "$DB" --compare prev;     expect_grep "$TMP/err" "needs --period"
expect_exit 2 "$TEMA" top --db "$DB" --since 2025-13-01; expect_grep "$TMP/err" "bad date '2025-13-01'"
expect_exit 2 "$TEMA" top --db "$DB" --limit many;       expect_grep "$TMP/err" "whole number"
expect_exit 2 "$TEMA" top --db "$DB" --segment channel;  expect_grep "$TMP/err" "COLUMN=VALUE"
expect_exit 2 "$TEMA" top --db "$DB" --period quarter --compare 2025-13; expect_grep "$TMP/err" "not a period"
expect_exit 2 "$TEMA" top --bogus;                       expect_grep "$TMP/err" "unknown option '--bogus'"
expect_exit 2 "$TEMA" scores --db "$DB" --limit 3;       expect_grep "$TMP/err" "unknown option '--limit'"
expect_exit 2 "$TEMA" scores --db "$DB" --by colour;     expect_grep "$TMP/err" "unknown grouping"
expect_exit 2 "$TEMA" drivers --db "$DB" --metric wow;   expect_grep "$TMP/err" "unknown metric"
expect_exit 1 "$TEMA" top --db "$TMP/none.db";           expect_grep "$TMP/err" "tema: error: .*none.db: No such file"
[ ! -e "$TMP/none.db" ] || fail "a reader created the missing store"
printf 'not a database, just text\n' > "$TMP/junk.db"
expect_exit 1 "$TEMA" scores --db "$TMP/junk.db";        expect_grep "$TMP/err" "junk.db"
for cmd in top scores drivers; do
    expect_exit 0 "$TEMA" $cmd --help; expect_grep "$TMP/out" "Usage: tema $cmd"
done
# --- the rollup (last: it changes the store) ------------------------------------------------------------
# Whole-month filters are answered from the rollup table, other dates by live
# queries over the base tables; on this store both select every comment.
for extra in "" "--period quarter --compare prev" "--period month" "--lang sv" \
             "--touchpoint delivery" "--min-mentions 5" "--segment channel=web" \
             "--theme delivery.late" "--theme delivery.late --period quarter --compare prev" \
             "--theme customer_service.wait_time --lang en"; do
    a=$(top --since 2025-01-01 $extra | jq -c .touchpoints)
    b=$(top --since 2024-12-31 $extra | jq -c .touchpoints)
    expect_eq "rollup = live ($extra)" "$a" "$b"
done
# It is really used: a doctored rollup shows through ...
"$LOAD" "$DB" <<'SQL' || fail "doctoring the rollup"
UPDATE rollup SET complaints = complaints + 1000
 WHERE rowid = (SELECT min(rowid) FROM rollup WHERE touchpoint = 'price' AND theme = '');
SQL
expect_eq "rollup used" "$(jqr '.touchpoints[0] | [.touchpoint, .complaints]')" '["price",1004]'
# ... also for --theme, whose rows fill both levels (1 complaint + 500)
"$LOAD" "$DB" <<'SQL' || fail "doctoring a theme row"
UPDATE rollup SET complaints = complaints + 500
 WHERE rowid = (SELECT min(rowid) FROM rollup WHERE theme = 'delivery.tracking');
SQL
expect_eq "rollup used for --theme" "$(jqr '.touchpoints[0] | [.touchpoint, .complaints, .irritants[0].theme, .irritants[0].complaints]' --theme delivery.tracking)" '["delivery",501,"delivery.tracking",501]'
# ... until a new run changes the stamp and it is rebuilt: comment 41, a Q2 complaint
"$LOAD" "$DB" <<'SQL' || fail "adding a run"
INSERT INTO runs VALUES (2, '2025-07-02T10:00:00Z', '2025-07-02T10:00:01Z', '0.1.0', '{}', 1, 1, 0, 0);
INSERT INTO comments VALUES (41, 2, 'more.csv', 2, NULL, '2025-06-30', 'en', NULL, NULL, 1, 'nps', -0.6, 'negative', 'Late again, the third time this month.');
INSERT INTO mentions VALUES (100, 41, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 0, 4, 0);
SQL
expect_eq "rebuilt" "$(jqr '[.scope.comments, (.touchpoints[] | [.touchpoint, .complaints])]')" '[41,["delivery",15],["customer_service",7],["price",4]]'
expect_eq "run filter" "$(jqr '[.scope.comments, .touchpoints[0].complaints]' --run 2)" '[1,1]'

exit 0

# tema scores and tema drivers answered from the rollup table (docs/reports.md,
# "Speed") give exactly what the live queries over the base tables give, in every
# format, on the hand-made store of reports.sh and on a generated one; a doctored
# rollup row shows through, which proves the rollup is read.  The same for one
# --segment filter and --by segment (the rollup's segment rows, docs/store.md
# "The rollup"), a segment column over the 100-value bound (left live), and a
# store kept current by several `tema analyze` runs and a --replace against
# the same store rebuilt whole: identical rows and reports.
#
# The live path is forced by a --since that is not the first of a month (the
# rollup holds whole months only); both sinces select the same comments, and
# the echoed date is the one difference the outputs may have.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "jq not installed"; exit 77; }
LOAD="$(dirname "$TEMA")/tools/store-sql"
GEN="$(dirname "$TEMA")/tools/gen-store"
[ -x "$LOAD" ] || fail "no $LOAD (make builds it)"
[ -x "$GEN" ] || fail "no $GEN (make builds it)"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q (make builds it)"

# same DB ROLLUP_SINCE LIVE_SINCE CMD ARGS...: every format byte for byte
same() {
    db=$1 rs=$2 ls=$3; shift 3
    for f in table json csv md html; do
        "$TEMA" "$@" --db "$db" --format $f --since "$rs" > "$TMP/a" || fail "$* --format $f (rollup)"
        "$TEMA" "$@" --db "$db" --format $f --since "$ls" > "$TMP/b.raw" || fail "$* --format $f (live)"
        sed "s/$ls/$rs/g" "$TMP/b.raw" > "$TMP/b"
        cmp -s "$TMP/a" "$TMP/b" || { diff "$TMP/a" "$TMP/b" | head -20 >&2; fail "rollup != live: $* --format $f"; }
    done
}

# --- the hand-made store (tests/data/store/small.sql), with touchpoint columns:
# 13 and 14 (NPS 10, no mentions) were mapped to delivery, 4 (NPS 5, a
# customer_service mention) to price, 2 (NPS 9) to delivery, where it has a mention
DB="$TMP/small.db"
"$LOAD" "$DB" "$TEMA_DATA/tests/data/store/small.sql" || fail "loading the fixture"
"$LOAD" "$DB" <<'SQL' || fail "mapping touchpoints"
UPDATE comments SET touchpoint = 'delivery' WHERE comment_id IN (2, 13, 14);
UPDATE comments SET touchpoint = 'price' WHERE comment_id = 4;
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
for args in "scores" "scores --lang sv" "scores --run 1" "scores --until 2025-04-30" \
            "scores --by period:month" "scores --by period:quarter --lang en" \
            "scores --by touchpoint" "scores --by touchpoint --touchpoint price" \
            "scores --by touchpoint --until 2025-02-28" \
            "drivers --min-mentions 1" "drivers --metric sentiment --min-mentions 1" \
            "drivers --touchpoint delivery --min-mentions 1" "drivers --theme delivery.late" \
            "drivers --lang en --min-mentions 2" "drivers --metric csat"; do
    same "$DB" 2025-01-01 2024-12-31 $args
done
# segments: small.sql has channel web (comments 1-10, 21-30) and app (11-20, 31-40)
for args in "scores --by segment:channel" "scores --by segment:channel --lang en" \
            "scores --segment channel=web" "scores --segment channel=app --by touchpoint" \
            "scores --segment channel=web --by period:month" "scores --segment channel=none" \
            "drivers --segment channel=web --min-mentions 1" \
            "drivers --segment channel=app --touchpoint delivery --min-mentions 1" \
            "top --segment channel=web" "top --segment channel=app --theme delivery.late" \
            "top --segment channel=web --period month --compare prev"; do
    same "$DB" 2025-01-01 2024-12-31 $args
done
sc() { "$TEMA" scores --db "$DB" --format json "$@"; }
# web: NPS 2, 9, 9, six 5s, 6 and ten 2s: 2 promoters, 18 detractors, -80;
# app: eight 10s, four 9s, a 7, two 6s, 2, 2, 3, 4, 4: 12 / 1 / 7, +25
expect_eq "by segment" "$(sc --by segment:channel | jq -c '[.groups[] | [.key, .comments, .nps.promoters, .nps.passives, .nps.detractors, (.nps.value * 10 | round)]]')" \
    '[["all",40,14,1,25,-275],["app",20,12,1,7,250],["web",20,2,0,18,-800]]'

# delivery: its 16 mentioning comments (2 promoters, 14 detractors) and 13, 14
# (promoters) = 18, NPS (4 - 14) / 18 = -55.6; price: its 4 (1 passive, 3
# detractors) and 4 (a detractor) = 5, NPS -80
expect_eq "by touchpoint" "$(sc --by touchpoint | jq -c '[.groups[] | [.key, .comments, (.nps.value * 10 | round)]]')" \
    '[["all",40,-275],["delivery",18,-556],["customer_service",8,-1000],["price",5,-800]]'

# --- it is really used: doctored rows show through --------------------------
# January (comments 1-7: NPS 2, 9, 9, 5, 5, 5, 5) counted twice: 47 comments,
# 16 promoters, 1 passive, 30 detractors
"$LOAD" "$DB" <<'SQL' || fail "doctoring the rollup"
INSERT INTO rollup SELECT * FROM rollup WHERE touchpoint = '' AND theme = '' AND month = '2025-01';
DELETE FROM rollup WHERE touchpoint = 'price' AND theme = '#column';
SQL
expect_eq "doctored all" "$(sc | jq -c '.groups[0] | [.comments, .nps.promoters, .nps.passives, .nps.detractors]')" '[47,16,1,30]'
# price without its touchpoint-column row: the 4 mentioning comments
expect_eq "doctored column row" "$(sc --by touchpoint | jq -c '[.groups[] | select(.key == "price") | .comments]')" '[4]'
# delivery.late's January row (comment 1, NPS 2) twice: 14 comments
"$LOAD" "$DB" <<'SQL' || fail "doctoring a theme row"
INSERT INTO rollup SELECT * FROM rollup WHERE touchpoint = '' AND theme = 'delivery.late' AND month = '2025-01';
SQL
expect_eq "doctored theme row" "$("$TEMA" drivers --db "$DB" --format json | jq -c '[.n, .drivers[0].theme, .drivers[0].n, .drivers[0].detractors]')" '[47,"delivery.late",14,14]'
# A rollup of the previous format (no touchpoint '' theme rows) is rebuilt, not
# read: delivery.late is back to its 13 comments, of 40
"$LOAD" "$DB" <<'SQL' || fail "making an old rollup"
DELETE FROM rollup WHERE touchpoint = '' AND theme <> '';
UPDATE meta SET value = replace(value, 'rollup-3:', 'rollup-2:') WHERE key = 'rollup_stamp';
SQL
expect_eq "old format rebuilt" "$("$TEMA" drivers --db "$DB" --format json | jq -c '[.n, .drivers[0].theme, .drivers[0].n]')" '[40,"delivery.late",13]'
# web's January (comments 1-7, all web: NPS 2, 9, 9, 5, 5, 5, 5) counted twice
# in its segment rows: 27 web comments, 4 promoters, 23 detractors; all
# comments unchanged
"$LOAD" "$DB" <<'SQL' || fail "doctoring a segment row"
INSERT INTO rollup SELECT * FROM rollup WHERE segment = 'channel' AND segment_value = 'web'
 AND touchpoint = '' AND theme = '' AND month = '2025-01';
SQL
expect_eq "doctored segment row" "$(sc --by segment:channel | jq -c '[.groups[] | [.key, .comments, .nps.promoters, .nps.detractors]]')" \
    '[["all",40,14,25],["web",27,4,23],["app",20,12,7]]'
expect_eq "doctored segment filter" "$(sc --segment channel=web | jq -c '.groups[0] | [.comments, .nps.promoters]')" '[27,4]'
# two segment filters are live: web and web again is the 20 web comments
expect_eq "two filters live" "$(sc --segment channel=web --segment channel=web | jq -c '.groups[0].comments')" '20'
# a rollup table of the layout before segments is dropped by the next writer
"$LOAD" "$DB" <<'SQL' || fail "making an old layout"
DROP TABLE rollup;
CREATE TABLE rollup (run_id INTEGER NOT NULL, lang TEXT NOT NULL, month TEXT, touchpoint TEXT NOT NULL,
 theme TEXT NOT NULL, mentions INTEGER NOT NULL, complaints INTEGER NOT NULL, mention_rows INTEGER NOT NULL,
 sentiment_sum REAL NOT NULL, cell BLOB NOT NULL);
SQL
expect_eq "old layout rebuilt" "$(sc --by segment:channel | jq -c '[.groups[] | [.key, .comments]]')" '[["all",40],["app",20],["web",20]]'
expect_eq "new layout" "$("$Q" "$DB" "SELECT count(*) FROM pragma_table_info('rollup') WHERE name LIKE 'segment%'")" 2

# --- a generated store of 4,000 comments (dates 2024-01 to 2025-12, days 1-28),
# a seventh of them with a touchpoint column (delivery or app) whatever they mention
G="$TMP/gen.db"
"$GEN" "$G" --comments 4000 > /dev/null || fail "gen-store"
"$LOAD" "$G" <<'SQL' || fail "mapping touchpoints"
UPDATE comments SET touchpoint = CASE comment_id % 14 WHEN 0 THEN 'delivery' ELSE 'app' END
 WHERE comment_id % 7 = 0;
SQL
for args in "scores" "scores --lang da" "scores --until 2025-06-30" "scores --by period:month" \
            "scores --by period:quarter" "scores --by touchpoint" \
            "scores --by touchpoint --touchpoint app --lang no" \
            "drivers" "drivers --metric sentiment" "drivers --touchpoint delivery" \
            "drivers --theme delivery.late --until 2024-12-31" "drivers --lang sv --min-mentions 30"; do
    same "$G" 2024-01-01 2023-12-31 $args
done
# and tema top, whose rows the new kinds must not disturb
for args in "" "--period quarter --compare prev" "--theme delivery.late"; do
    a=$("$TEMA" top --db "$G" --format json --since 2024-01-01 $args | jq -c .touchpoints)
    b=$("$TEMA" top --db "$G" --format json --since 2023-12-31 $args | jq -c .touchpoints)
    expect_eq "top rollup = live ($args)" "$a" "$b"
done
# gen-store's channel segment (web, app, store, phone), and two more columns:
# region with exactly 100 values (rolled up) and customer with 101 (left live,
# one marker row)
"$LOAD" "$G" <<'SQL' || fail "adding segment columns"
INSERT INTO segments SELECT comment_id, 'region', 'r' || (comment_id % 100) FROM comments;
INSERT INTO segments SELECT comment_id, 'customer', 'c' || (comment_id % 101) FROM comments;
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
for args in "scores --by segment:channel" "scores --by segment:channel --lang sv --until 2025-06-30" \
            "scores --segment channel=phone --by touchpoint" "scores --segment region=r7 --by period:quarter" \
            "scores --by segment:region" "scores --by segment:customer" "scores --segment customer=c5" \
            "drivers --segment channel=app" "drivers --segment channel=store --metric sentiment" \
            "drivers --segment region=r42 --min-mentions 2" "drivers --segment customer=c100 --min-mentions 2" \
            "top --segment channel=web" "top --segment channel=app --period quarter --compare prev" \
            "top --segment channel=phone --theme delivery.late" "top --segment region=r0" \
            "top --segment customer=c3"; do
    same "$G" 2024-01-01 2023-12-31 $args
done
expect_eq "markers" "$("$Q" "$G" "SELECT segment, count(*) FROM rollup WHERE theme = '#live' GROUP BY 1")" "customer	1"
expect_eq "rolled up" "$("$Q" "$G" "SELECT segment, count(DISTINCT segment_value) FROM rollup WHERE segment <> '' AND segment_value IS NOT NULL GROUP BY 1 ORDER BY 1")" "$(printf 'channel\t4\nregion\t100')"

# --- tema analyze keeps the rollup current: three runs and a --replace, then
# the same store with its rollup rebuilt whole.  The sample export split in
# three: a.csv; b.csv and c.csv in one run; b.csv again under another name
# with --replace, which leaves the second run with c.csv alone.
F="$TEMA_DATA/corpora/sample/feedback.csv"
head -n 1 "$F" > "$TMP/h"
{ cat "$TMP/h"; sed -n '2,600p' "$F"; } > "$TMP/a.csv"
{ cat "$TMP/h"; sed -n '601,1100p' "$F"; } > "$TMP/b.csv"
{ cat "$TMP/h"; sed -n '1101,$p' "$F"; } > "$TMP/c.csv"
cp "$TMP/b.csv" "$TMP/b2.csv"
I="$TMP/inc.db"
an() { "$TEMA" analyze --db "$I" --quiet --id-column response_id --date-column submitted \
       --touchpoint-column touchpoint --score-column nps --segment-column channel \
       --segment-column market "$@" > /dev/null 2>"$TMP/an.err" || { cat "$TMP/an.err"; fail "analyze $*"; }; }
stamp() { "$Q" "$I" "SELECT value FROM meta WHERE key = 'rollup_stamp'"; }
an "$TMP/a.csv"
case "$(stamp)" in rollup-3:*) ;; *) fail "first run into an empty store: no rollup stamp [$(stamp)]";; esac
an "$TMP/b.csv" "$TMP/c.csv"
an --replace "$TMP/b2.csv"
expect_eq "runs" "$("$Q" "$I" "SELECT group_concat(x) FROM (SELECT DISTINCT run_id || ':' || replace(source, '$TMP/', '') AS x FROM comments ORDER BY run_id)")" \
    "1:a.csv,2:c.csv,3:b2.csv"
rows() { "$Q" "$I" "SELECT run_id, lang, month, touchpoint, theme, mentions, complaints, mention_rows,
    sentiment_sum, hex(cell), segment, segment_value FROM rollup ORDER BY 1, 11, 12, 2, 3, 4, 5"; }
rows > "$TMP/inc.rows"
[ "$(wc -l < "$TMP/inc.rows")" -gt 100 ] || fail "few rollup rows: $(wc -l < "$TMP/inc.rows")"
for args in "top" "top --segment channel=web" "top --segment market=NO --period month" \
            "scores --by segment:market" "scores --by touchpoint --segment channel=app" \
            "drivers --min-mentions 5" "drivers --segment market=SE --min-mentions 3"; do
    for f in json csv; do "$TEMA" $args --db "$I" --format $f || fail "$args --format $f (incremental)"; done
done > "$TMP/inc.out"
"$LOAD" "$I" <<'SQL' || fail "dropping the stamp"
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
"$TEMA" top --db "$I" > /dev/null || fail "rebuilding"
rows > "$TMP/full.rows"
cmp -s "$TMP/inc.rows" "$TMP/full.rows" || { diff "$TMP/inc.rows" "$TMP/full.rows" | head -10 >&2; fail "incremental rollup != rebuilt"; }
for args in "top" "top --segment channel=web" "top --segment market=NO --period month" \
            "scores --by segment:market" "scores --by touchpoint --segment channel=app" \
            "drivers --min-mentions 5" "drivers --segment market=SE --min-mentions 3"; do
    for f in json csv; do "$TEMA" $args --db "$I" --format $f || fail "$args --format $f (rebuilt)"; done
done > "$TMP/full.out"
cmp -s "$TMP/inc.out" "$TMP/full.out" || fail "reports differ between the incremental and rebuilt rollup"
# a run into a store whose rollup is stale leaves it stale (the first report rebuilds)
"$LOAD" "$I" <<'SQL' || fail "dropping the stamp"
DELETE FROM meta WHERE key = 'rollup_stamp';
SQL
tail -n 30 "$TMP/a.csv" | sed 's/^R1/X1/' > "$TMP/d.body"
{ cat "$TMP/h"; cat "$TMP/d.body"; } > "$TMP/d.csv"
an "$TMP/d.csv"
expect_eq "stale stays stale" "$(stamp)" ""
# dropping the rollup table by hand (docs/store.md: always safe) while its stamp
# is current: the next run must not take the table the writer creates anew, empty,
# for a current rollup and fill it with its own run alone
"$TEMA" top --db "$I" > /dev/null || fail "rebuilding"
[ -n "$(stamp)" ] || fail "no stamp after a rebuild"
"$LOAD" "$I" <<'SQL' || fail "dropping the rollup table"
DROP TABLE rollup;
SQL
{ cat "$TMP/h"; sed 's/^X1/Y1/' "$TMP/d.body"; } > "$TMP/e.csv"
an "$TMP/e.csv"
expect_eq "dropped rollup is stale" "$(stamp)" ""
expect_eq "all runs counted after the drop" \
    "$("$TEMA" scores --db "$I" --format json | jq -c '.groups[0].comments')" \
    "$("$Q" "$I" "SELECT count(*) FROM comments")"
exit 0

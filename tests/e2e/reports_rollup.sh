# tema scores and tema drivers answered from the rollup table (docs/reports.md,
# "Speed") give exactly what the live queries over the base tables give, in every
# format, on the hand-made store of reports.sh and on a generated one; a doctored
# rollup row shows through, which proves the rollup is read.
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
sc() { "$TEMA" scores --db "$DB" --format json "$@"; }
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
UPDATE meta SET value = replace(value, 'rollup-2:', 'rollup-1:') WHERE key = 'rollup_stamp';
SQL
expect_eq "old format rebuilt" "$("$TEMA" drivers --db "$DB" --format json | jq -c '[.n, .drivers[0].theme, .drivers[0].n]')" '[40,"delivery.late",13]'

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
exit 0

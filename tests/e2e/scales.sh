# tema scores with CSAT and CES, and the options that change their scales:
# --csat-top, --ces-scale, --ces-direction, --ces-formula.  Expected values
# worked out by hand from tests/data/store/scales.sql:
#   CSAT 5 5 4 4 3 2 1 5 4 3: top box >= 4 is 6 of 10 (60%); >= 5 is 3 of 10 (30%)
#   CES 7 6 5 4 3 2 1 7 6 5: mean 46/10 = 4.6; top box (> 4, the midpoint of 1-7) 6 of 10 = 60%;
#   lower is better (< 4): 3 of 10 = 30%; on 1-5 the 6s and 7s are off the scale:
#   5 4 3 2 1 5 remain, mean 20/6 = 3.33
. "$(dirname "$0")/lib.sh"
LOAD="$(dirname "$TEMA")/tools/store-sql"
[ -x "$LOAD" ] || fail "no $LOAD (make builds it)"
"$LOAD" "$TMP/s.db" "$TEMA_DATA/tests/data/store/scales.sql" || fail "loading scales.sql"
all() { "$TEMA" scores --db "$TMP/s.db" --format json "$@" | jq -c '.groups[0]'; }
v() { all "$@" | jq -r "$KEY"; }
KEY='.csat.value'; expect_eq "csat top 4" "$(v)" "60"
KEY='.csat.n';     expect_eq "csat n" "$(v)" "10"
KEY='.csat.value'; expect_eq "csat top 5" "$(v --csat-top 5)" "30"
KEY='.ces.value';  expect_eq "ces mean" "$(v)" "4.6"
KEY='.ces.value';  expect_eq "ces top box" "$(v --ces-formula top-box)" "60"
KEY='.ces.value';  expect_eq "ces top box, lower is better" "$(v --ces-formula top-box --ces-direction lower-is-better)" "30"
KEY='.ces.n';      expect_eq "ces on 1-5: n" "$(v --ces-scale 1-5)" "6"
KEY='.ces.value';  expect_eq "ces on 1-5: mean" "$(v --ces-scale 1-5 | cut -c1-4)" "3.33"
expect_exit 2 "$TEMA" scores --db "$TMP/s.db" --ces-scale 1-9
expect_exit 2 "$TEMA" scores --db "$TMP/s.db" --csat-top 9

# Shared helpers for the end-to-end tests (sourced).  Each test is a shell
# script: exit 0 pass, 77 skip, anything else fail.
set -u
: "${TEMA:?TEMA must point at the tema binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got [$2], want [$3]"; }
# expect_exit WANT CMD...: runs CMD, checks its exit status
expect_exit() { want=$1; shift; "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; [ $rc -eq "$want" ] || { cat "$TMP/err" >&2; fail "'$*' exited $rc, want $want"; }; }
expect_grep() { grep -q -- "$2" "$1" || { cat "$1" >&2; fail "no '$2' in $1"; }; }

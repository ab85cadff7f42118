#!/bin/sh
# Runs every unit test binary and every end-to-end script, then prints one
# closing line "N passed, N failed, N skipped".  Exit status 1 if anything failed.
# Environment: BUILD (build tree, default build), TEMA_DATA (data folder).
BUILD=${BUILD:-build}
# BUILD may be relative to the current folder or absolute; the tests get it
# absolute, since some of them change folder.
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD TEMA_DATA=${TEMA_DATA:-$(pwd)}
export TEMA="${TEMA:-$BUILD/tema}"
export SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
passed=0; failed=0; skipped=0; failures=""
for t in $([ -n "${E2E_ONLY:-}" ] || echo "$BUILD"/tests/test_*); do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    out=$("$t" 2>&1); rc=$?
    n_ok=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    n_bad=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    n_skip=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -1)
    passed=$((passed + ${n_ok:-0})); skipped=$((skipped + ${n_skip:-0}))
    if [ $rc -ne 0 ]; then
        failed=$((failed + ${n_bad:-1})); failures="$failures $name"
        printf '%s\n' "$out"
        echo "FAIL unit $name"
    else
        echo "ok   unit $name (${n_ok:-0} tests)"
    fi
done
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    [ "$name" = lib ] && continue
    out=$(sh "$t" 2>&1); rc=$?
    if [ $rc -eq 77 ]; then
        skipped=$((skipped + 1)); echo "skip e2e  $name: $(printf '%s\n' "$out" | tail -1)"
    elif [ $rc -ne 0 ]; then
        failed=$((failed + 1)); failures="$failures $name"
        printf '%s\n' "$out" | tail -40
        echo "FAIL e2e  $name"
    else
        passed=$((passed + 1)); echo "ok   e2e  $name"
    fi
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]

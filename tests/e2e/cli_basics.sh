# The command line contract: --help, --version, usage errors exit 2,
# missing files exit 1, stem and tokens read stdin or a file, in order.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "$TEMA" --help;           expect_grep "$TMP/out" "Exit codes"
expect_exit 0 "$TEMA" --version;        expect_grep "$TMP/out" "^tema [0-9]"
expect_exit 2 "$TEMA";                  expect_grep "$TMP/err" "tema: error: no command"
expect_exit 2 "$TEMA" frobnicate;       expect_grep "$TMP/err" "unknown command 'frobnicate'"
expect_exit 2 "$TEMA" --bogus;          expect_grep "$TMP/err" "unknown option"
for cmd in stem tokens; do
    expect_exit 0 "$TEMA" $cmd --help;  expect_grep "$TMP/out" "Usage: tema $cmd"
    expect_exit 2 "$TEMA" $cmd --bogus; expect_grep "$TMP/err" "unknown option '--bogus'"
done
expect_exit 2 "$TEMA" stem;             expect_grep "$TMP/err" "lang is required"
expect_exit 2 "$TEMA" stem --lang xx;   expect_grep "$TMP/err" "unknown language 'xx'"
expect_exit 1 "$TEMA" stem --lang sv "$TMP/missing.txt"; expect_grep "$TMP/err" "missing.txt: No such file"
# An input that opens but cannot be read (a directory) is an error naming it, not an empty run
# (worded as `tema analyze` words it: the same input layer reads both).
mkdir -p "$TMP/adir"
for cmd in "stem --lang sv" "tokens --lang sv" "lang" "score"; do
    expect_exit 1 "$TEMA" $cmd "$TMP/adir"; expect_grep "$TMP/err" "adir: read error: Is a directory"
done

# stem: one stem per line, in order, normalised first; empty lines stay empty.
printf 'Försenade\n\nleveranserna\nKUNDTJÄNSTEN\n' > "$TMP/words"
got=$("$TEMA" stem --lang sv < "$TMP/words" | tr '\n' '|')
expect_eq "stem sv stdin" "$got" "försen||leverans|kundtjänst|"
got=$("$TEMA" stem -l en "$TMP/words" | sed -n 3p)
expect_eq "stem en file" "$got" "leveranserna"
got=$(printf 'running\nconnection\n' | "$TEMA" stem --lang=en | tr '\n' ' ')
expect_eq "stem en" "$got" "run connect "

# tokens: type, offsets into the line, normalised form, flags; blank line after each comment.
printf 'SÅ BRA!!! :)\nok\n' | "$TEMA" tokens --lang sv > "$TMP/tok"
expect_eq "token lines" "$(wc -l < "$TMP/tok")" "7"
expect_eq "first token" "$(sed -n 1p "$TMP/tok" | cut -f1-4)" "$(printf 'word\t0\t3\tså')"
expect_grep "$TMP/tok" "$(printf 'word\t4\t7\tbra\tbra\tallcaps')"
expect_grep "$TMP/tok" "$(printf 'punct\t7\t10\t!!!')"
expect_grep "$TMP/tok" "count=3"
expect_grep "$TMP/tok" "$(printf 'emoticon\t11\t13\t:)')"
expect_eq "blank separator" "$(sed -n 5p "$TMP/tok")" ""
expect_eq "second comment" "$(sed -n 6p "$TMP/tok" | cut -f1-4)" "$(printf 'word\t0\t2\tok')"
# stems follow the language
expect_grep "$TMP/tok" "$(printf 'word\t0\t3\tså\tså')"
printf 'leveranserna\n' | "$TEMA" tokens --lang sv | cut -f5 | grep -qx leverans || fail "tokens stem"

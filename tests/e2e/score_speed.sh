# tema score on speed stated as fact (issues 6, 7; docs/sentiment.md,
# "Complaint cues"): the reports that started it, through the CLI with the
# rules alone.  A short duration after a speed preposition is praise (+0.5
# alone, and the theme mentions without an opinion of their own take it),
# "haven't used it yet" is no complaint, and a long duration stays one.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "no jq"; exit 77; }
# score LANG TEXT: one JSON line, rules only
score() { printf '%s\n' "$2" | "$TEMA" score --no-model --lang "$1" || fail "score exited $?"; }
# summary LINE: comment label and score, then each mention's theme and label
summary() { printf '%s\n' "$1" | jq -r '[.label, (.sentiment | tostring)] + [.themes[] | .theme + ":" + .label] | join(" ")'; }

expect_eq "sv fast activation" "$(summary "$(score sv 'Aktiverat på fem minuter')")" \
    "positive 0.5 onboarding.activation:positive"
expect_eq "da number moved in a few hours" "$(summary "$(score da 'Nummerflytningen gik på få timer')")" \
    "positive 0.5 onboarding.activation:positive"
expect_eq "sv chat answer within 2 minutes" \
    "$(summary "$(score sv 'Fick svar i chatten inom 2 minuter. Känns som att ni har fått fler i kundtjänst.')")" \
    "positive 0.5 customer_service:positive customer_service:positive"
# three days written as a word: fast or not, it is no complaint
expect_eq "en refund in three days" "$(summary "$(score en 'Refund arrived in three days')")" \
    "neutral 0 returns:neutral"
expect_eq "en refund in 3 days" "$(summary "$(score en 'Refund arrived in 3 days')")" \
    "positive 0.5 returns:positive"
expect_eq "en not used yet" "$(summary "$(score en "Haven't used it yet")")" "neutral 0"
# the complaints stay complaints
expect_eq "en not received yet" "$(score en "Haven't received it yet" | jq -r .label)" "negative"
expect_eq "sv queue of 20 minutes" "$(score sv 'Telefonkö på 20 minuter.' | jq -r .label)" "negative"
expect_eq "no answer only after two days" "$(score no 'Svaret kom først etter to dager.' | jq -r .label)" "negative"
# With the learned model: where the rules found no opinion word, the model's
# guess from topic words ("chatten", "kundtjänst" are mostly said in
# complaints) gives way to the fact, in every language.
for c in 'sv|Fick svar i chatten inom 2 minuter. Känns som att ni har fått fler i kundtjänst.' \
         'da|Fik svar i chatten inden for 2 minutter. Det føles som om I har fået flere folk i kundeservice.' \
         'no|Fikk svar i chatten innen 2 minutter. Føles som om dere har fått flere folk på kundeservice.' \
         'en|Got an answer in the chat within 2 minutes. Feels like you have more people in customer service now.'; do
    l=${c%%|*}
    expect_eq "$l chat answer with the model" \
        "$(printf '%s\n' "${c#*|}" | "$TEMA" score --lang "$l" | jq -r '[.label, (.sentiment | tostring)] | join(" ")')" \
        "positive 0.5"
done
# --explain names the rule and the duration
expect_eq "explain cue-speed" \
    "$(printf 'Aktiverat på fem minuter\n' | "$TEMA" score --no-model --lang sv --explain |
        jq -r '.explain[] | .rule + " " + .text')" "cue-speed fem minuter"
exit 0

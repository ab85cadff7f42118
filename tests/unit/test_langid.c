/*
 * test_langid.c: language identification on typical short feedback, the
 * undetermined cases, and the run prior.  Uses the shipped model in
 * models/langid.bin (found through $TEMA_DATA).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "tema.h"

static tema_lang detect(const char *text, const double *prior)
{
    tema_analyze_opts o = {.stage = TEMA_STAGE_LANG, .lang_prior = prior};
    assert_int_equal(tema_doc_analyze(doc, text, strlen(text), &o), TEMA_OK);
    return tema_doc_lang(doc);
}

#define EXPECT(lang, text) assert_string_equal(tema_lang_code(detect(text, NULL)), lang)

static void test_short_feedback_in_each_language(void **s)
{
    (void)s;
    EXPECT("sv", "Snabb leverans!");
    EXPECT("da", "Hurtig levering");
    EXPECT("no", "Rask levering");
    EXPECT("en", "Fast delivery");
    EXPECT("sv", "Jättebra kundtjänst, tack!");
    EXPECT("da", "Pakken kom aldrig frem, meget skuffet");
    EXPECT("no", "Pakken kom aldri, veldig skuffet");
    EXPECT("en", "The parcel never arrived, very disappointed");
    EXPECT("sv", "Inte nöjd med leveransen");
    EXPECT("da", "Jeg har ventet på svar i to uger");
    EXPECT("no", "Jeg har ventet på svar i to uker");
}

static void test_longer_comments(void **s)
{
    (void)s;
    EXPECT("sv", "Jag beställde en soffa för tre veckor sedan och har fortfarande inte fått "
                 "något besked om när den kommer. Kundtjänst svarar inte.");
    EXPECT("da", "Jeg bestilte en sofa for tre uger siden og har stadig ikke fået besked om, "
                 "hvornår den kommer. Kundeservice svarer ikke.");
    EXPECT("no", "Jeg bestilte en sofa for tre uker siden og har fortsatt ikke fått beskjed om "
                 "når den kommer. Kundeservice svarer ikke.");
    EXPECT("en", "I ordered a sofa three weeks ago and still have not been told when it "
                 "will arrive. Customer service does not answer.");
}

static void test_nynorsk_is_norwegian(void **s)
{
    (void)s;
    EXPECT("no", "Eg er ikkje nøgd med leveringa, det tok altfor lang tid");
}

static void test_undetermined(void **s)
{
    (void)s;
    EXPECT("und", "😀👍");
    EXPECT("und", "123 456,00");
    EXPECT("und", "ok");
    EXPECT("und", "");
    EXPECT("und", "!!! ???");
    EXPECT("und", "Paketti tuli myöhässä valitettavasti");  /* Finnish */
    double sc[TEMA_LANG_COUNT];
    detect(":-)", NULL);
    tema_doc_lang_scores(doc, sc);
    assert_true(sc[TEMA_LANG_UND] == 1.0);
}

/* Comments mainly in another language are und, so no sentiment or themes
 * of a wrong language reach them (the lists in
 * lexicons/all/other-languages.txt); these were all read as en, da or no
 * by the model alone. */
static void test_other_languages_are_und(void **s)
{
    (void)s;
    EXPECT("und", "La livraison était très lente et le service client horrible.");
    EXPECT("und", "Entrega muy lenta y el servicio al cliente fue terrible.");
    EXPECT("und", "Die Lieferung kam zu spät und der Kundenservice war unfreundlich.");
    EXPECT("und", "De bezorging was snel en de klantenservice vriendelijk");
    EXPECT("und", "Erittäin nopea toimitus, kiitos paljon");
    EXPECT("und", "Tuote oli rikki kun se saapui.");
    EXPECT("und", "Bardzo szybka dostawa, polecam");
    EXPECT("und", "Il pacco non è mai arrivato.");
    EXPECT("und", "Atendimento péssimo, não recomendo.");
}

/* Short ones too, where the words are unambiguous. */
static void test_short_comments_in_other_languages_are_und(void **s)
{
    (void)s;
    EXPECT("und", "Alles gut, danke");
    EXPECT("und", "Kiitos!");
    EXPECT("und", "Muchas gracias!");
    EXPECT("und", "Merci beaucoup!");
    EXPECT("und", "Sehr gut");
    EXPECT("und", "Dziękuję");
}

/* A Nordic or English comment with foreign loanwords, greetings or brand
 * names keeps its language: the winner's own words outweigh them, and
 * loanwords of different languages do not add up. */
static void test_loanwords_keep_the_language(void **s)
{
    (void)s;
    EXPECT("sv", "Tack för en trevlig kväll, merci!");
    EXPECT("da", "Tak for en hyggelig aften, merci!");
    EXPECT("no", "Takk for en hyggelig kveld, merci!");
    EXPECT("en", "Thanks for a lovely evening, gracias!");
    EXPECT("en", "Service was super, merci beaucoup to the team");
    EXPECT("sv", "Vi fick en voucher som kompensation");
    EXPECT("sv", "Köpte Schweizer ost men den var slut");
    EXPECT("no", "Vi hadde en gemütlich kveld på restauranten");
    EXPECT("sv", "Grazie säger jag bara, bästa pastan i stan");
    EXPECT("da", "Jeg fik en espresso og en panna cotta, begge dele var lækre");
    EXPECT("en", "Kiitos! Everything was perfect.");
    /* Norwegian and Nynorsk words that look foreign: dass, ein, mas */
    EXPECT("no", "Det gikk helt i dass med leveransen");
    EXPECT("no", "Eg venta i telefonkø i over ein time");
}

/* A comment of one to three words whose opinion word only a Nordic
 * sentiment lexicon lists ("bra": sv and no; "god": sv, da and no; the
 * English lexicon has neither), with every word one that language uses
 * ("service"), is not English: the model alone read "Bra service" as
 * English.  English comments keep their language: "good", "great" and
 * "super" are English opinion words, and "too", "small", "bless" are no
 * Swedish or Danish words. */
static void test_nordic_opinion_word_in_a_short_comment(void **s)
{
    (void)s;
    EXPECT("sv", "Bra service");
    EXPECT("sv", "Bra service!");
    EXPECT("sv", "Mycket bra service");
    EXPECT("sv", "Bra kundservice");
    const char *god = tema_lang_code(detect("God service", NULL));
    assert_true(strcmp(god, "da") == 0 || strcmp(god, "no") == 0);
    double sc[TEMA_LANG_COUNT], sum = 0;
    detect("Bra service", NULL);
    tema_doc_lang_scores(doc, sc);
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        sum += sc[l];
    assert_true(sum > 0.999 && sum < 1.001);
    assert_true(sc[TEMA_LANG_EN] == 0); /* ruled out, not outvoted */
    assert_true(sc[TEMA_LANG_SV] > 0.5);
    EXPECT("en", "Good service");
    EXPECT("en", "Great service!");
    EXPECT("en", "Super service");
    EXPECT("en", "Bra too small");
    EXPECT("en", "God bless");
}

static void test_scores_are_probabilities(void **s)
{
    (void)s;
    detect("Tack för snabb hjälp med returen", NULL);
    double sc[TEMA_LANG_COUNT], sum = 0;
    tema_doc_lang_scores(doc, sc);
    for (int l = 0; l < TEMA_LANG_COUNT; l++) {
        assert_true(sc[l] >= 0 && sc[l] <= 1);
        sum += sc[l];
    }
    assert_true(sum > 0.999 && sum < 1.001);
    assert_true(sc[TEMA_LANG_SV] > 0.5);
}

static void test_prior_tips_short_ambiguous_comments_only(void **s)
{
    (void)s;
    size_t danish_run[TEMA_LANG_COUNT] = {0, 5, 900, 40, 55};
    size_t norwegian_run[TEMA_LANG_COUNT] = {0, 5, 40, 900, 55};
    double da_prior[TEMA_LANG_COUNT], no_prior[TEMA_LANG_COUNT];
    tema_lang_prior(danish_run, da_prior);
    tema_lang_prior(norwegian_run, no_prior);
    assert_true(da_prior[TEMA_LANG_DA] > 0.85);
    assert_true(da_prior[TEMA_LANG_UND] == 0);
    /* "fin levering" is Danish and Norwegian alike: the run decides */
    assert_string_equal(tema_lang_code(detect("fin levering", da_prior)), "da");
    assert_string_equal(tema_lang_code(detect("fin levering", no_prior)), "no");
    /* a long, clearly Swedish comment is not pulled over */
    assert_string_equal(tema_lang_code(detect("Leveransen var försenad och ingen på kundtjänst "
                                              "kunde säga var paketet fanns",
                                              da_prior)),
                        "sv");
}

/* The doc keeps the logs of the last prior; a caller may refill the same
 * array between comments, and the new values must count. */
static void test_prior_refilled_in_place_counts(void **s)
{
    (void)s;
    size_t danish_run[TEMA_LANG_COUNT] = {0, 5, 900, 40, 55};
    size_t norwegian_run[TEMA_LANG_COUNT] = {0, 5, 40, 900, 55};
    double prior[TEMA_LANG_COUNT];
    tema_lang_prior(danish_run, prior);
    assert_string_equal(tema_lang_code(detect("fin levering", prior)), "da");
    tema_lang_prior(norwegian_run, prior);
    assert_string_equal(tema_lang_code(detect("fin levering", prior)), "no");
    tema_lang_prior(danish_run, prior);
    assert_string_equal(tema_lang_code(detect("fin levering", prior)), "da");
}

static void test_confident_needs_enough_text(void **s)
{
    (void)s;
    detect("Bra", NULL);
    assert_int_equal(tema_doc_lang_confident(doc), 0);
    detect("Leveransen var försenad och ingen på kundtjänst kunde hjälpa mig", NULL);
    assert_int_equal(tema_doc_lang_confident(doc), 1);
}

static void test_forced_language_wins(void **s)
{
    (void)s;
    tema_analyze_opts o = {.stage = TEMA_STAGE_LANG, .lang = TEMA_LANG_DA};
    assert_int_equal(tema_doc_analyze(doc, "Snabb leverans", 14, &o), TEMA_OK);
    assert_int_equal(tema_doc_lang(doc), TEMA_LANG_DA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_feedback_in_each_language),
        cmocka_unit_test(test_longer_comments),
        cmocka_unit_test(test_nynorsk_is_norwegian),
        cmocka_unit_test(test_undetermined),
        cmocka_unit_test(test_other_languages_are_und),
        cmocka_unit_test(test_short_comments_in_other_languages_are_und),
        cmocka_unit_test(test_loanwords_keep_the_language),
        cmocka_unit_test(test_nordic_opinion_word_in_a_short_comment),
        cmocka_unit_test(test_scores_are_probabilities),
        cmocka_unit_test(test_prior_tips_short_ambiguous_comments_only),
        cmocka_unit_test(test_prior_refilled_in_place_counts),
        cmocka_unit_test(test_confident_needs_enough_text),
        cmocka_unit_test(test_forced_language_wins),
    };
    return cmocka_run_group_tests(tests, fixture_setup_text, fixture_teardown);
}

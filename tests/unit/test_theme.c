/*
 * test_theme.c: theme matching, compound splitting and taxonomy loading
 * (issue 7).  The case table tests/spec/themes.txt holds positive and
 * negative examples per top-level theme and language; the tests below cover
 * the loader's error messages, overrides, near/!/regex rules, per-mention
 * sentiment through hand-made clause scores, and the `other` theme.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "compound.h"
#include "engine.h"
#include "spec.h"
#include "taxonomy.h"

static const char *data_dir(void)
{
    const char *d = getenv("TEMA_DATA");
    return d && *d ? d : ".";
}

/* An engine with the default taxonomy, shared by the table tests. */
static tema_engine *shared_engine;

static tema_engine *default_engine(void)
{
    tema_engine *e = shared_engine;
    if (!e) {
        tema_config cfg;
        tema_config_init(&cfg);
        cfg.data_dir = data_dir();
        cfg.options = TEMA_OPT_NO_MODEL;
        tema_status st = tema_engine_new(&cfg, &e);
        if (st != TEMA_OK)
            fprintf(stderr, "engine: %s\n", tema_errmsg(e));
        assert_int_equal(st, TEMA_OK);
        shared_engine = e;
    }
    return e;
}

static int teardown(void **state)
{
    (void)state;
    tema_engine_free(shared_engine);
    shared_engine = NULL;
    return 0;
}

/* Writes 'text' to a temporary taxonomy file; returns its path (static). */
static const char *write_tax(int slot, const char *text)
{
    static char paths[4][64];
    snprintf(paths[slot], sizeof paths[slot], "/tmp/tema-test-%d-%d.tema", (int)getpid(), slot);
    FILE *f = fopen(paths[slot], "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return paths[slot];
}

/* Builds an engine whose whole taxonomy is 'base' (+ 'extra'); returns the
 * status, the engine in '*out' (freed by the caller). */
static tema_status engine_with(const char *base, const char *extra, tema_engine **out)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = data_dir();
    cfg.options = TEMA_OPT_NO_MODEL;
    cfg.base_taxonomy = write_tax(0, base);
    const char *tx[1];
    if (extra) {
        tx[0] = write_tax(1, extra);
        cfg.taxonomies = tx;
        cfg.n_taxonomies = 1;
    }
    return tema_engine_new(&cfg, out);
}

/* The mention ids of 'text' in 'lang', space-separated, into 'buf'. */
static const char *mentions(tema_doc *d, tema_lang lang, const char *text, char *buf, size_t cap)
{
    tema_analyze_opts o = {.lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < tema_doc_mention_count(d); i++) {
        tema_mention m;
        assert_int_equal(tema_doc_mention(d, i, &m), TEMA_OK);
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%s", n ? " " : "", m.theme);
    }
    return buf;
}

static bool under(const char *id, const char *root)
{
    size_t n = strlen(root);
    return strncmp(id, root, n) == 0 && (id[n] == '\0' || id[n] == '.');
}

/* Runs one case; returns 0 when every expectation holds. */
static int run_case(tema_engine *e, tema_doc *d, const char *file, const spec_case *c)
{
    tema_lang lang;
    const char *sp = strchr(c->name, ' ');
    if (!sp || tema_lang_parse(c->name, (size_t)(sp - c->name), &lang) != TEMA_OK) {
        fprintf(stderr, "%s:%d: case name must start with a language\n", file, c->line);
        return 1;
    }
    tema_analyze_opts o = {.lang = lang};
    assert_int_equal(tema_doc_analyze(d, c->input, c->input_len, &o), TEMA_OK);
    size_t nm = tema_doc_mention_count(d);
    tema_mention ms[32];
    for (size_t i = 0; i < nm && i < 32; i++)
        assert_int_equal(tema_doc_mention(d, i, &ms[i]), TEMA_OK);
    char got[512] = "";
    for (size_t i = 0; i < nm && i < 32; i++) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s%s", n ? " " : "", ms[i].theme);
    }
    int bad = 0;
    for (int k = 0; k < c->n_expect; k++) {
        const char *x = c->expect[k];
        char id[128] = "";
        bool ok = true;
        if (sscanf(x, "has %127s", id) == 1) {
            ok = false;
            for (size_t i = 0; i < nm; i++)
                ok = ok || under(ms[i].theme, id);
        } else if (sscanf(x, "not %127s", id) == 1) {
            for (size_t i = 0; i < nm; i++)
                ok = ok && !under(ms[i].theme, id);
        } else if (strncmp(x, "exact", 5) == 0) {
            const char *want = x + 5 + (x[5] == ' ');
            ok = strcmp(got, want) == 0;
        } else if (strncmp(x, "span ", 5) == 0) {
            size_t a, b;
            ok = false;
            if (sscanf(x, "span %127s %zu %zu", id, &a, &b) == 3)
                for (size_t i = 0; i < nm; i++)
                    if (strcmp(ms[i].theme, id) == 0)
                        ok = ms[i].start == a && ms[i].end == b;
        } else if (sscanf(x, "negative %127s", id) == 1) {
            ok = false;
            for (size_t i = 0; i < nm; i++)
                if (strcmp(ms[i].theme, id) == 0)
                    ok = ms[i].label == TEMA_LABEL_NEGATIVE && ms[i].sentiment < 0;
        } else if (sscanf(x, "positive %127s", id) == 1) {
            ok = false;
            for (size_t i = 0; i < nm; i++)
                if (strcmp(ms[i].theme, id) == 0)
                    ok = ms[i].label == TEMA_LABEL_POSITIVE && ms[i].sentiment > 0;
        } else if (sscanf(x, "comment %127s", id) == 1) {
            ok = strcmp(tema_label_name(tema_doc_label(d)), id) == 0;
        } else if (strncmp(x, "parts", 5) == 0) {
            const char *want = x + 5 + (x[5] == ' ');
            tema__split s;
            unsigned n = tema__compound_split(e->compound[lang], c->input, c->input_len, &s);
            char buf[256] = "";
            size_t off = 0;
            for (unsigned i = 0; i < n; i++) {
                size_t bl = strlen(buf);
                snprintf(buf + bl, sizeof buf - bl, "%s%s", i ? " " : "", s.text + off);
                off += strlen(s.text + off) + 1;
            }
            ok = strcmp(buf, want) == 0;
            if (!ok)
                snprintf(got, sizeof got, "parts %s", buf);
        } else {
            fprintf(stderr, "%s:%d: unknown expectation '%s'\n", file, c->line, x);
            ok = false;
        }
        if (!ok) {
            fprintf(stderr, "%s:%d: %s: '%s' failed; mentions: %s\n", file, c->line, c->name, x,
                    got);
            bad = 1;
        }
    }
    return bad;
}

static void test_table(void **state)
{
    (void)state;
    tema_engine *e = default_engine();
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    /* themes.txt, then the per-language tables of the audits: all must be
     * there, so a renamed table fails instead of dropping its cases */
    static const char *const files[] = {"themes.txt", "themes-sv.txt", "themes-da.txt",
                                        "themes-no.txt", "themes-en.txt"};
    spec_case *c = malloc(sizeof *c);
    assert_non_null(c);
    int cases = 0, failed = 0;
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        FILE *f = spec_open(files[k]);
        if (!f)
            fail_msg("tests/spec/%s: cannot open", files[k]);
        int lineno = 0, n = 0, bad = 0;
        while (spec_next(f, c, &lineno)) {
            n++;
            bad += run_case(e, d, files[k], c);
        }
        fclose(f);
        fprintf(stderr, "%s: %d cases, %d failed\n", files[k], n, bad);
        cases += n;
        failed += bad;
    }
    free(c);
    tema_doc_free(d);
    /* 20 top-level ids x 4 languages x (positive + negative), and more. */
    assert_true(cases >= 160);
    assert_int_equal(failed, 0);
}

/* Every required top-level id is in the default taxonomy with a touchpoint,
 * a phase and labels, and the `other` themes are there. */
static void test_required_ids(void **state)
{
    (void)state;
    static const char *const ids[] = {
        "social_media", "reviews", "advertising", "website", "app", "store", "staff",
        "phone", "checkout", "payment", "price", "product", "delivery", "packaging",
        "returns", "billing", "email", "customer_service", "help_center", "onboarding",
        "delivery.late", "delivery.damaged", "delivery.tracking", "delivery.cost",
        "customer_service.wait_time", "customer_service.unresolved",
        "customer_service.attitude", "billing.error", "billing.fee", "website.navigation",
        "website.bug", "website.login", "payment.failed", "payment.methods",
        "returns.refund_delay", "product.quality", "product.availability",
        "other", "other.before", "other.during", "other.after"};
    tema_engine *e = default_engine();
    size_t n = tema_theme_count(e);
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++) {
            tema_theme_info t;
            assert_int_equal(tema_theme_get(e, i, TEMA_LANG_SV, &t), TEMA_OK);
            if (strcmp(t.id, ids[k]) != 0)
                continue;
            found = true;
            assert_true(*t.touchpoint);
            assert_true(t.label && *t.label);
            if (strncmp(ids[k], "other", 5) != 0)
                assert_true(strcmp(t.phase, "before") == 0 || strcmp(t.phase, "during") == 0 ||
                            strcmp(t.phase, "after") == 0);
        }
        if (!found)
            fprintf(stderr, "missing theme %s\n", ids[k]);
        assert_true(found);
    }
    tema_theme_info t;
    assert_int_equal(tema_theme_get(e, n, TEMA_LANG_EN, &t), TEMA_ERR_MISUSE);
}

static void expect_error(const char *text, const char *want_suffix)
{
    tema_engine *e = NULL;
    tema_status st = engine_with(text, NULL, &e);
    assert_int_equal(st, TEMA_ERR_PARSE);
    char want[512];
    snprintf(want, sizeof want, "%s:%s", write_tax(0, text), want_suffix);
    if (!strstr(tema_errmsg(e), want))
        fprintf(stderr, "got:  %s\nwant: %s\n", tema_errmsg(e), want);
    assert_non_null(strstr(tema_errmsg(e), want));
    tema_engine_free(e);
}

#define TOP "[delivery]\ntouchpoint: delivery\nphase: after\nlabel: en=Delivery\n"

static void test_validation_errors(void **state)
{
    (void)state;
    expect_error(TOP "colour: blue\n", "5: unknown key 'colour'");
    expect_error(TOP "sv.partz: x\n", "5: unknown key 'sv.partz'");
    expect_error(TOP "[Delivery.Late]\nlabel: en=x\n", "5: bad theme id 'Delivery.Late'");
    expect_error(TOP "[delivery..late]\n", "5: bad theme id 'delivery..late'");
    expect_error(TOP "[returns.refund]\nlabel: en=Refund\n",
                 "5: parent 'returns' of 'returns.refund' is not defined");
    expect_error("[x]\nphase: after\nlabel: en=X\n", "1: top-level theme 'x' has no touchpoint");
    expect_error("[x]\ntouchpoint: x\nlabel: en=X\n", "1: top-level theme 'x' has no phase");
    expect_error("[x]\ntouchpoint: x\nphase: after\nlabel: sv=X\n",
                 "1: theme 'x' has no en label");
    expect_error(TOP "phase: later\n", "5: bad phase 'later' (before, during or after)");
    expect_error(TOP "touchpoint: Del-ivery\n", "5: bad touchpoint 'Del-ivery'");
    expect_error(TOP "sv.regex: (\\d+ dagar\n",
                 "5: bad regex: bad pattern at offset 10: missing closing parenthesis");
    expect_error(TOP "sv.near: leverans ~x sen\n", "5: bad near rule 'leverans ~x sen'");
    expect_error(TOP "sv.near: leverans ~3\n", "5: bad near rule 'leverans ~3'");
    expect_error(TOP "sv.near: leverans sen\n", "5: bad near rule 'leverans sen'");
    expect_error(TOP "sv.near: leverans ~99 sen\n", "5: bad near rule 'leverans ~99 sen'");
    expect_error(TOP "sv.near: frakt !gratis !!fri\n", "5: bad ! rule 'frakt !gratis !!fri'");
    expect_error(TOP "sv.near: frakt !\n", "5: bad ! rule 'frakt !'");
    expect_error(TOP "sv.near: frakt !gratis fri\n", "5: bad ! rule 'frakt !gratis fri'");
    expect_error(TOP "sv.near: frakt !!gratis!\n", "5: bad ! rule 'frakt !!gratis!'");
    expect_error(TOP "sv: leverans !!app\n", "5: 'leverans !!app': guards need a phrase");
    expect_error(TOP "sv: har inte kommit !!mejl kod\n", "5: bad guards in 'har inte kommit");
    expect_error(TOP "sv: har inte kommit !!\n", "5: bad guards in 'har inte kommit !!'");
    expect_error(TOP "sv.near: buss ~6 försenad !paket !!kod\n",
                 "5: bad guards in 'buss ~6 försenad !paket !!kod'");
    expect_error(TOP "sv: har inte kommit !kod !!mejl\n",
                 "5: bad guards in 'har inte kommit !kod !!mejl'");
    expect_error(TOP "sv.near: buss ~6 försenad paket\n",
                 "5: bad near rule 'buss ~6 försenad paket'");
    expect_error(TOP "sv.near: buss ~6 försenad !!\n", "5: bad guards in 'buss ~6 försenad !!'");
    /* 16 guards load; a 17th is refused, and the message says why */
    const char *guards = "!!a1 !!a2 !!a3 !!a4 !!a5 !!a6 !!a7 !!a8 !!a9 !!a10 !!a11 !!a12 !!a13 "
                         "!!a14 !!a15 !!a16";
    const char *rules[2] = {"sv.near: buss ~6 försenad", "sv: har inte kommit"};
    for (int k = 0; k < 2; k++) {
        char text[512];
        tema_engine *g = NULL;
        snprintf(text, sizeof text, TOP "%s %s\n", rules[k], guards);
        assert_int_equal(engine_with(text, NULL, &g), TEMA_OK);
        tema_engine_free(g);
        g = NULL;
        snprintf(text, sizeof text, TOP "%s %s !!a17\n", rules[k], guards);
        assert_int_equal(engine_with(text, NULL, &g), TEMA_ERR_PARSE);
        assert_non_null(strstr(tema_errmsg(g), ":5: bad guards in '"));
        assert_non_null(strstr(tema_errmsg(g), "(at most 16 single words or @sets)"));
        tema_engine_free(g);
    }
    expect_error(TOP "alias: Leverans\n[returns]\ntouchpoint: returns\nphase: after\n"
                     "label: en=Returns\nalias: Retur | leverans\n",
                 "10: duplicate alias 'leverans' (already an alias of touchpoint 'delivery')");
    expect_error(TOP "[delivery.late]\nlabel: en=Late\nalias: Sen\n",
                 "7: alias: only top-level themes have aliases");
    expect_error("sv: paket\n" TOP, "1: 'sv' outside a theme block");
    expect_error(TOP "label: english=Delivery\n", "5: bad label 'english=Delivery'");
    expect_error(TOP "scope: paragraph\n", "5: bad scope 'paragraph' (sentence or clause)");
    expect_error(TOP "sv.part: hem leverans\n", "5: part: 'hem leverans' must be a single word");
    expect_error(TOP "sv: paket, , frakt\n", "5: empty term in list");
    expect_error(TOP "just some words\n", "5: expected 'key: value' or '[id]'");
    /* Several errors in one file are all reported. */
    tema_engine *e = NULL;
    assert_int_equal(engine_with(TOP "colour: blue\nphase: soon\n", NULL, &e), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), ":5: unknown key 'colour'\n"));
    assert_non_null(strstr(tema_errmsg(e), ":6: bad phase 'soon'"));
    tema_engine_free(e);
    /* A missing file is named. */
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = data_dir();
    cfg.base_taxonomy = "/nonexistent/x.tema";
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_errmsg(e), "/nonexistent/x.tema"));
    tema_engine_free(e);
}

static void test_override_with_second_file(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "sv: paket\n[delivery.late]\nlabel: en=Late\nsv: försenad\n";
    const char *extra = "[delivery]\nlabel: en=Shipping\nsv: låda\n"
                        "[delivery.cost]\nlabel: en=Cost\nsv: fraktavgift\n";
    assert_int_equal(engine_with(base, extra, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* The override replaced the rules: paket no longer, låda now. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet kom", buf, sizeof buf), "");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Lådan kom", buf, sizeof buf), "delivery");
    /* Untouched themes keep theirs; new ids are added. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Den var försenad", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Hög fraktavgift", buf, sizeof buf),
                        "delivery.cost");
    /* The label was replaced; touchpoint and phase stayed. */
    tema_theme_info t;
    assert_int_equal(tema_theme_get(e, 0, TEMA_LANG_SV, &t), TEMA_OK);
    assert_string_equal(t.label, "Shipping");
    assert_string_equal(t.touchpoint, "delivery");
    assert_string_equal(t.phase, "after");
    tema_doc_free(d);
    tema_engine_free(e);
}

static void test_near_not_and_scope(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\nsv.near: leverans ~2 sen\n"
                           "[delivery.cost]\nlabel: en=Cost\nscope: clause\n"
                           "sv.near: frakt !gratis | frakt ~3 dyr\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* Within 2 tokens, either order. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Leveransen var sen", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Sen leverans", buf, sizeof buf),
                        "delivery.late");
    /* Three tokens apart is too far; another sentence does not count. */
    /* (the comment may still get an "other" mention for its opinion) */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Leveransen var väldigt sen", buf, sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Leveransen. Sen", buf, sizeof buf), "delivery"));
    /* A !B: fires on A unless B is in the same clause (scope: clause). */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade", buf, sizeof buf),
                        "delivery.cost");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Frakten var gratis", buf, sizeof buf), "delivery"));
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kom, gratis var den", buf, sizeof buf),
                        "delivery.cost");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A !B !C: A unless any of the Bs in the scope; A !!B: unless B anywhere
 * in the comment. */
static void test_not_with_several_words_and_comment_scope(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.cost]\nlabel: en=Cost\nsv.near: frakt !gratis !fri\n"
                           "[app]\ntouchpoint: app\nphase: during\nlabel: en=App\nsv: app\n"
                           "[website]\ntouchpoint: website\nphase: during\nlabel: en=Web\n"
                           "sv.near: logga !!app !!mobil\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade", buf, sizeof buf),
                        "delivery.cost");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Frakten var gratis", buf, sizeof buf), "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Fri frakt", buf, sizeof buf), "delivery"));
    /* sentence scope: a B in another sentence does not stop A */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade. Fri retur", buf, sizeof buf),
                        "delivery.cost");
    /* comment scope: a B in any sentence, before or after A, stops it */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kan inte logga in", buf, sizeof buf),
                        "website");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kan inte logga in. Appen", buf, sizeof buf),
                        "app");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Mobilen. Kan inte logga in", buf, sizeof buf),
                        "");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A phrase with !! guards: the phrase unless a guard word occurs anywhere
 * in the comment. */
static void test_phrase_guards(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv: har inte kommit !!mejl !!kod, försenad\n"
                           "sv.complaint: kom aldrig !!pengar\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet har inte kommit", buf, sizeof buf),
                        "delivery.late");
    /* a guard by stem, in the phrase's sentence or in another one */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Koden har inte kommit", buf, sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Jag bad om ett nytt mejl. Det har inte kommit",
                                buf, sizeof buf),
                       "delivery"));
    /* the theme's other terms are not guarded */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Koden var försenad", buf, sizeof buf),
                        "delivery.late");
    /* complaint phrases take guards too */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet kom aldrig", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Pengarna kom aldrig", buf, sizeof buf),
                       "delivery"));
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A near pair with !! guards: the pair unless a guard word occurs anywhere
 * in the comment; the theme's other pairs are not guarded. */
static void test_near_guards(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.near: buss ~6 försenad !!paket !!order | tåg ~3 sen\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Bussen var försenad", buf, sizeof buf),
                        "delivery.late");
    /* a guard by stem, in the pair's sentence or in another one */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Bussen var försenad med paketen", buf,
                                sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Ordern kom. Bussen var försenad", buf,
                                sizeof buf),
                       "delivery"));
    /* the other pair of the line is not guarded */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Tåget var sent med paketet", buf, sizeof buf),
                        "delivery.late");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Guards written "!" look at the match's own sentence: a guard word in
 * another sentence no longer blocks (issue 7), one in the same sentence
 * still does; "!!" keeps looking at the whole comment. */
static void test_guards_by_sentence(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv: har inte kommit !mejl !kod\n"
                           "sv.near: buss ~6 försenad !paket !order | tåg ~6 sen !!paket\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* phrase: guard in the same sentence blocks, in another one does not */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Koden har inte kommit", buf, sizeof buf),
                       "delivery"));
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Jag bad om ett nytt mejl. Paketet har inte "
                                                  "kommit", buf, sizeof buf),
                        "delivery.late");
    /* near pair: the same */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Bussen var försenad med paketen", buf,
                                sizeof buf),
                       "delivery"));
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Bussen var försenad igen. Paketet från er kom "
                                                  "i tid", buf, sizeof buf),
                        "delivery.late");
    /* a guarded pair in one sentence does not stop an unguarded one later */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Bussen med paketet var försenad. Bussen var "
                                                  "försenad igen", buf, sizeof buf),
                        "delivery.late");
    /* "!!": anywhere in the comment */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Paketet kom. Tåget var sent", buf, sizeof buf),
                       "delivery"));
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Named guard sets: `<lang>.guards name: ...` defines the words, "!@name"
 * or "!!@name" uses them in any guard list (phrase, near pair, A !B), for
 * the rule's language; a set may be defined before the first block. */
static void test_named_guard_sets(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = "sv.guards parcel: paket, =ordern\n"
                       "da.guards parcel: pakke\n" TOP "[delivery.late]\nlabel: en=Late\n"
                       "sv: har inte kommit !!@parcel !!kod\n"
                       "sv.near: buss ~6 försenad !@parcel | app !!@parcel\n"
                       "da.near: =bussen ~6 forsinket !@parcel\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* the set's words guard, by stem ("paketen") or exact form ("ordern") */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Bussen med paketen var försenad", buf,
                                sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Bussen med ordern var försenad", buf,
                                sizeof buf),
                       "delivery"));
    /* an exact form guards only that form */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Bussen med order var försenad", buf,
                                 sizeof buf),
                        "delivery.late");
    /* a set and a word in one list */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Koden har inte kommit", buf, sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Ordern har inte kommit", buf, sizeof buf),
                       "delivery"));
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Varan har inte kommit", buf, sizeof buf),
                        "delivery.late");
    /* A !!@set */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Appen hänger sig", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Appen hänger sig. Paketet kom", buf,
                                sizeof buf),
                       "delivery"));
    /* each language takes its own words */
    assert_null(strstr(mentions(d, TEMA_LANG_DA, "Bussen med pakken var forsinket", buf,
                                sizeof buf),
                       "delivery"));
    assert_string_equal(mentions(d, TEMA_LANG_DA, "Bussen med kufferten var forsinket", buf,
                                 sizeof buf),
                        "delivery.late");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A guard set that is not defined (for the rule's language) is an error at
 * the line that uses it, as is a bad definition. */
static void test_guard_set_errors(void **state)
{
    (void)state;
    expect_error(TOP "sv.near: buss ~6 försenad !@parcel\n",
                 "5: unknown guard set '@parcel' for sv");
    expect_error("sv.guards parcel: paket\n" TOP "da: er ikke kommet !!@parcel\n",
                 "6: unknown guard set '@parcel' for da");
    expect_error("sv.guards parcel: paket\n" TOP "sv.near: app !@parsel\n",
                 "6: unknown guard set '@parsel' for sv");
    expect_error(TOP "sv.guards Parcel: paket\n", "5: bad guard set 'Parcel'");
    expect_error(TOP "*.guards parcel: paket\n", "5: bad guard set 'parcel'");
    expect_error(TOP "sv.guards parcel: paket, två ord\n",
                 "5: guard set 'parcel': 'två ord' is not a single word");
    expect_error(TOP "xx.guards parcel: paket\n", "5: unknown key 'xx.guards parcel'");
    /* a word the tokenizer splits is an error where the set is defined,
     * before any rule uses it */
    expect_error(TOP "sv.guards odd: paket, ab/cd\n",
                 "5: guard set 'odd': 'ab/cd' is not a single word");
    expect_error("sv.guards odd: =ab&cd\n" TOP,
                 "1: guard set 'odd': '=ab&cd' is not a single word");
    /* a missing name is said, not "outside a theme block" */
    expect_error("sv.guards: paket\n" TOP,
                 "1: guard set without a name: expected 'sv.guards name: word, word, ...'");
    expect_error(TOP "sv: kom inte !@\n",
                 "5: guard set name missing after '!@' (write '!@name')");
    expect_error(TOP "sv.near: buss ~6 sen !!@\n",
                 "5: guard set name missing after '!!@' (write '!!@name')");
    /* guards on one word: the near rule goes on a near line */
    expect_error("sv.guards parcel: paket\n" TOP "sv: kom !@parcel\n",
                 "6: 'kom !@parcel': guards need a phrase (for one word write the near rule "
                 "'kom !@parcel' on a 'sv.near:' line)");
}

static void test_regex_rule_and_limit(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.regex: \\b\\d+ (dagar|veckor) sen\\b\n"
                           "[delivery.cost]\nlabel: en=Cost\nsv.regex: (a|b|ab)+c\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    const char *text = "Kom 3 veckor sen tyvärr";
    assert_string_equal(mentions(d, TEMA_LANG_SV, text, buf, sizeof buf), "delivery.late");
    tema_mention m;
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 4);  /* "3" */
    assert_int_equal(m.end, 16);   /* end of "sen" */
    /* Catastrophic backtracking stops at the limit: the rule is skipped and
     * counted, the comment still gets its other mentions. */
    /* "abab...ab x c": no letter repeats (so normalisation keeps it), and
     * the required 'c' is there, so PCRE2 must search. */
    char evil[80];
    for (int k = 0; k < 60; k++)
        evil[k] = "ab"[k % 2];
    strcpy(evil + 60, " x c");
    assert_string_equal(mentions(d, TEMA_LANG_SV, evil, buf, sizeof buf), "");
    assert_true(tema__themes_regex_limit_hits(d) >= 1);
    /* the public count: the analysis's stops (no redaction on this doc) */
    assert_int_equal(tema_doc_regex_stops(d), tema__themes_regex_limit_hits(d));
    assert_int_equal(tema_doc_regex_stops(NULL), 0);
    mentions(d, TEMA_LANG_SV, "Leveransen var sen", buf, sizeof buf);
    assert_int_equal(tema_doc_regex_stops(d), 0); /* per comment, not cumulative */
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Regex rules run only on comments that hold what every match needs (a
 * prefilter derived from the pattern): a branch without a digit, a digit
 * outside ASCII and a pattern the prefilter does not follow must all still
 * match, and a comment missing a required word must not. */
static void test_regex_prefilter_keeps_matches(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.regex: \\b(\\d+|två)\\s+veckor\\s+(för\\s+)?sen\\b\n"
                           "[delivery.cost]\nlabel: en=Cost\n"
                           "sv.regex: (?=frakt)frakten\\s+kostade\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* the word branch of (\d+|två): no digit in the comment */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kom två veckor för sen", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kom 3 veckor sen", buf, sizeof buf),
                        "delivery.late");
    /* \d under PCRE2_UCP takes any decimal digit: ARABIC-INDIC DIGIT THREE */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kom \xd9\xa3 veckor sen", buf, sizeof buf),
                        "delivery.late");
    /* "veckor" is required: another word in its place gives nothing */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kom två dagar sen", buf, sizeof buf), "");
    /* a lookahead: no prefilter, the pattern runs */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade mycket", buf, sizeof buf),
                        "delivery.cost");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* The bit of literal 'lit' in the language's regex literal table, 0 when
 * it is not there. */
static uint64_t relit_of(const tema__taxonomy *t, tema_lang lang, const char *lit)
{
    const tema__tindex *ix = &t->index[lang];
    for (unsigned k = 0; k < ix->nrelit; k++)
        if (ix->relit_len[k] == strlen(lit) &&
            memcmp(t->text.p + ix->relit_off[k], lit, ix->relit_len[k]) == 0)
            return (uint64_t)1 << (k + 1);
    return 0;
}

/* The clauses of a regex prefilter whose literals lie in separate parts of
 * the pattern are kept in pattern order (tema__rule.ord): a match holds
 * them in that order, so a comment that has them only the other way round
 * is not searched.  Two clauses in one token ("dagför") still pass. */
static void test_regex_clause_order(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.regex: \\b\\d+\\s+dagar\\s+för\\s+sent\\b\n"
                           "[delivery.cost]\nlabel: en=Cost\n"
                           "sv.regex: \\bdag(ar)?för\\b\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    const tema__taxonomy *t = e->taxonomy;
    const tema__rule *re[2];
    size_t nre = 0;
    for (size_t r = 0; r < t->nrules; r++)
        if (t->rules[r].kind == TEMA__R_REGEX && t->rules[r].lang == TEMA_LANG_SV && nre < 2)
            re[nre++] = &t->rules[r];
    assert_int_equal(nre, 2);
    /* the first: a digit, then tokens starting with "dagar", "för", "sent" */
    uint64_t want[4] = {(uint64_t)1 << TEMA__RELIT_DIGIT, relit_of(t, TEMA_LANG_SV, "dagar"),
                        relit_of(t, TEMA_LANG_SV, "för"), relit_of(t, TEMA_LANG_SV, "sent")};
    assert_int_equal(re[0]->nord, 4);
    for (unsigned c = 0; c < 4; c++) {
        assert_true(want[c] != 0);
        assert_int_equal(re[0]->pre[re[0]->ord[c]] | re[0]->spre[re[0]->ord[c]], want[c]);
    }
    /* the second: "dag" before "för" */
    assert_int_equal(re[1]->nord, 2);
    uint64_t dag = relit_of(t, TEMA_LANG_SV, "dag");
    assert_true(dag && ((re[1]->pre[re[1]->ord[0]] | re[1]->spre[re[1]->ord[0]]) & dag));
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kom 5 dagar för sent", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "För sent, sent, 5 dagar", buf, sizeof buf),
                       "delivery.late"));
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Allt dagför idag", buf, sizeof buf),
                        "delivery.cost");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A language with up to 64 regex rules tests all their prefilters at once
 * from a table by literal bit (tema__tindex.regex_by_bit); with more, rule
 * by rule.  Both find the same matches, in rule order. */
static void test_regex_prefilter_by_bit(void **state)
{
    (void)state;
    for (int nrules = 64; nrules <= 65; nrules++) {
        char base[8192];
        size_t n = (size_t)snprintf(base, sizeof base, "%s[delivery.late]\nlabel: en=Late\n", TOP);
        for (int k = 0; k < nrules - 1; k++)
            n += (size_t)snprintf(base + n, sizeof base - n, "sv.regex: \\bord%dx\\s+kom\n", k);
        n += (size_t)snprintf(base + n, sizeof base - n,
                              "[delivery.cost]\nlabel: en=Cost\nsv.regex: \\bfrakten\\s+kostade\n");
        assert_true(n < sizeof base);
        tema_engine *e = NULL;
        assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
        const tema__tindex *ix = &e->taxonomy->index[TEMA_LANG_SV];
        assert_int_equal(ix->nregex, (size_t)nrules);
        assert_true((ix->regex_by_bit != NULL) == (nrules <= 64));
        tema_doc *d;
        assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
        char buf[256];
        assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade, ord7x kom", buf, sizeof buf),
                            "delivery.cost delivery.late");
        assert_string_equal(mentions(d, TEMA_LANG_SV, "ord62x kom", buf, sizeof buf), "delivery.late");
        assert_string_equal(mentions(d, TEMA_LANG_SV, "ord62x gick", buf, sizeof buf), "");
        tema_doc_free(d);
        tema_engine_free(e);
    }
}

/* A literal that holds another of the same alternation adds nothing to
 * its union ("debiterades" holds "debiterad"), so an alternation of ten
 * words is six literals: kept as a clause and as the start hint.  Only
 * an ASCII literal covers others ("två" is kept beside "tvåan"). */
static void test_regex_prefilter_covered_literals(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.cost]\nlabel: en=Cost\n"
                           "sv.regex: \\b(debiterad|debiterades|drog|drogs|dragit|dragits|"
                           "fakturerad|fakturerades|två|tvåan)\\s+dubbelt\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    const tema__taxonomy *t = e->taxonomy;
    const tema__rule *re = NULL;
    for (size_t r = 0; r < t->nrules; r++)
        if (t->rules[r].kind == TEMA__R_REGEX && t->rules[r].lang == TEMA_LANG_SV)
            re = &t->rules[r];
    assert_non_null(re);
    const char *kept[] = {"debiterad", "drog", "dragit", "fakturerad", "två", "tvåan"};
    uint64_t u = 0;
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++) {
        uint64_t b = relit_of(t, TEMA_LANG_SV, kept[k]);
        assert_true(b != 0);
        u |= b;
    }
    assert_int_equal(relit_of(t, TEMA_LANG_SV, "debiterades"), 0);
    assert_int_equal(relit_of(t, TEMA_LANG_SV, "drogs"), 0);
    bool found = false;
    for (unsigned c = 0; c < re->npre; c++)
        found |= re->spre[c] == u && re->pre[c] == 0; /* after \b: starting a token */
    assert_true(found);
    assert_true(re->first == u);

    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* a covered word still matches: its token holds the covering literal */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Jag blev debiterades dubbelt", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Pengarna drogs dubbelt", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Tvåan dubbelt", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Dubbelt drogs det", buf, sizeof buf), "");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Literals that must start a token (after \s, \b or a space) are tested
 * as such: "telefonkö" holds "kö" but no token starting with "kassa" or
 * "kö", so "(kassa)?kö" after \s cannot match there and the search is
 * skipped.  Every comment that matches must still pass: a literal after a
 * hyphen inside a token ("telefon-kö" is one token, and \b holds before
 * its "kö"), after a skipped optional group, at a token's start with more
 * after it ("kön"), and a literal beginning with a non-ASCII letter. */
static void test_regex_token_start_prefilter(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.regex: \\b\\d+\\s*(min|minuter)\\s+(i\\s+)?(kassa)?kö\n"
                           "[delivery.cost]\nlabel: en=Cost\n"
                           "sv.regex: \\bkö\\s+var\\s+lång\n"
                           "sv.regex: \\båterbetalning\\w*\\s+dröjde\n"
                           "sv.regex: \\b€\\s*frakt\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    const tema__taxonomy *t = e->taxonomy;
    const tema__rule *re[4];
    size_t nre = 0;
    for (size_t r = 0; r < t->nrules; r++)
        if (t->rules[r].kind == TEMA__R_REGEX && t->rules[r].lang == TEMA_LANG_SV && nre < 4)
            re[nre++] = &t->rules[r];
    assert_int_equal(nre, 4);
    /* the queue rule: one clause "a token starts with kassa or kö" */
    uint64_t kassa = relit_of(t, TEMA_LANG_SV, "kassa"), ko = relit_of(t, TEMA_LANG_SV, "kö");
    assert_true(kassa && ko && kassa != ko);
    bool found = false;
    for (unsigned c = 0; c < re[0]->npre; c++)
        found |= re[0]->spre[c] == (kassa | ko) && re[0]->pre[c] == 0;
    assert_true(found);
    /* after \b, a literal beginning with a non-word character ('€') is not
     * said to start a token: \b before it means a letter or digit precedes */
    uint64_t euro = relit_of(t, TEMA_LANG_SV, "\xe2\x82\xac");
    assert_true(euro != 0);
    for (unsigned c = 0; c < re[3]->npre; c++)
        assert_true((re[3]->spre[c] & euro) == 0);

    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* skipped, and rightly: no match */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Väntade 45 minuter i telefonkö", buf, sizeof buf),
                        "");
    /* each way the pattern can begin its last part still matches */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Väntade 45 minuter i kö", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Väntade 45 minuter i kassakön", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Väntade 45 min kön var lång", buf, sizeof buf),
                        "delivery.late");
    /* "kö" after a hyphen inside one token: \b holds there */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Telefon-kö var lång", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Telefonkö var lång", buf, sizeof buf), "");
    /* a literal beginning with a non-ASCII letter after \b */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Återbetalningen dröjde", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Delåterbetalningen dröjde", buf, sizeof buf),
                        "");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Regex searches start at the first token holding what every match begins
 * with (rule->first, from the pattern at load); matches later in the
 * comment, a second match in another sentence and patterns without such a
 * hint must all still be found. */
static void test_regex_start_hint(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\n"
                           "sv.regex: \\b(tog|tar)\\s+(\\d+|två)\\s+veckor\\b\n"
                           "[delivery.cost]\nlabel: en=Cost\n"
                           "sv.regex: \\b\\d+\\s+kronor\\s+frakt\n"
                           "sv.regex: (?:över\\s+)?\\d+\\s+euro\n"
                           "sv.regex: \\bx\\d+\\s+paket\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    const tema__taxonomy *t = e->taxonomy;
    uint64_t first[4];
    size_t nre = 0;
    for (size_t r = 0; r < t->nrules; r++)
        if (t->rules[r].kind == TEMA__R_REGEX && t->rules[r].lang == TEMA_LANG_SV && nre < 4)
            first[nre++] = t->rules[r].first;
    assert_int_equal(nre, 4);
    /* (tog|tar) begins every match; both literals are in the table */
    uint64_t tog = relit_of(t, TEMA_LANG_SV, "tog"), tar = relit_of(t, TEMA_LANG_SV, "tar");
    assert_true(tog && tar && tog != tar);
    assert_true(first[0] == (tog | tar));
    /* \d+ begins every match */
    assert_true(first[1] == (uint64_t)1 << TEMA__RELIT_DIGIT);
    /* an optional group first: no hint; a one-byte literal: no hint */
    assert_true(first[2] == 0);
    assert_true(first[3] == 0);

    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* the first "tog" does not begin a match, the second does */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Först tog jag bussen och paketet tog två veckor",
                                 buf, sizeof buf),
                        "delivery.late");
    /* "tog" inside another word ("fotograf") is where the search starts */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Fotografen tog 3 veckor", buf, sizeof buf),
                        "delivery.late");
    /* one match per sentence, with their own spans */
    const char *two = "Paketet tog två veckor. Returen tar 3 veckor.";
    assert_string_equal(mentions(d, TEMA_LANG_SV, two, buf, sizeof buf),
                        "delivery.late delivery.late");
    tema_mention m;
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 8);  /* "tog" */
    assert_int_equal(m.end, 23);   /* end of "veckor" */
    assert_int_equal(tema_doc_mention(d, 1, &m), TEMA_OK);
    assert_int_equal(m.start, 33); /* "tar" */
    assert_int_equal(m.end, 45);
    /* a digit earlier in the comment that begins no match */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Order 123 kostade 49 kronor frakt", buf, sizeof buf),
                        "delivery.cost");
    /* no hint: the optional group and the one-byte literal still match */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Det blev över 30 euro", buf, sizeof buf),
                        "delivery.cost");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Vi fick x2 paket", buf, sizeof buf),
                        "delivery.cost");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* The matcher skips a posting when another word its rule needs is not in
 * the comment (a filter of stem bits per comment).  Every rule kind must
 * still fire when its words are there, including a partner found only by
 * its base form's stem, an exact-form phrase word and an A of "A !B". */
static void test_comment_filter_keeps_matches(void **state)
{
    (void)state;
    assert_true(tema__tfilter_bit("leverans", 8) < 1023);
    assert_int_equal(tema__tfilter_bit("leverans", 8), tema__tfilter_bit("leverans", 8));
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\nsv.near: paket ~3 sen\n"
                           "sv: kom aldrig fram\n"
                           "[delivery.cost]\nlabel: en=Cost\nsv: =billigt pris\n"
                           "sv.near: frakt !gratis\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* near, both orders */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paket sen", buf, sizeof buf), "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Sen var paket", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Sen var bussen", buf, sizeof buf), "delivery"));
    /* "paketet" stems to itself; its base form "paket" gives the partner */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Sen var paketet", buf, sizeof buf),
                        "delivery.late");
    /* a phrase needs all its words */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Det kom aldrig fram", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Det kom fram", buf, sizeof buf), "delivery"));
    /* an exact-form word in a phrase */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Ett billigt pris", buf, sizeof buf),
                        "delivery.cost");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Ett billigare pris", buf, sizeof buf),
                       "delivery"));
    /* A !B: A alone fires, B alone does not, both do not */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Frakten kostade", buf, sizeof buf),
                        "delivery.cost");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Allt var gratis", buf, sizeof buf), "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Gratis frakt", buf, sizeof buf), "delivery"));
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Phrases are checked at their place with the comment filter's bits
 * first (a word whose stem or base form's stem has the needed bit), and a
 * guard is looked for only when the filter says a guard word may occur.
 * Both are shortcuts: words present but out of place must not match, a
 * word found by its base form's stem must, and a guard word present only
 * through its base form must still block. */
static void test_phrase_neighbours_and_guard_filter(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    /* stems "komm aldr fram" and "paket försvann": the phrases are found by
     * their longest stem, so "paket" is checked as a neighbour */
    const char *base = TOP "[delivery.late]\nlabel: en=Late\nsv: kom aldrig fram, paket försvann\n"
                           "[delivery.cost]\nlabel: en=Cost\nsv: har inte kommit !!paket\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Det kom aldrig fram", buf, sizeof buf),
                        "delivery.late");
    /* every word there, none in its place */
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Fram kom det aldrig", buf, sizeof buf),
                       "delivery"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Aldrig kom fram", buf, sizeof buf),
                       "delivery"));
    /* "paketet" stems to itself: the phrase word is found by its base form */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet försvann", buf, sizeof buf),
                        "delivery.late");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Försvann paketet", buf, sizeof buf),
                       "delivery"));
    /* the guard: absent, present by its stem, present only by its base form */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Mejlet har inte kommit", buf, sizeof buf),
                        "delivery.cost");
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Ett paket har inte kommit", buf, sizeof buf),
                       "delivery.cost"));
    assert_null(strstr(mentions(d, TEMA_LANG_SV, "Paketet har inte kommit", buf, sizeof buf),
                       "delivery.cost"));
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Word and part matches that an earlier match of their theme in the same
 * clause already beats are left out as they are found; what survives must
 * be what the clause rule keeps: the earliest match (a one-word match over
 * a phrase starting at the same word), one per clause. */
static void test_beaten_word_matches(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.late]\nlabel: en=Late\nsv: sen, sen leverans, försenad\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    tema_mention m;
    /* "sen" alone (bytes 3..6) beats "sen leverans" (3..15) */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "En sen leverans", buf, sizeof buf),
                        "delivery.late");
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 3);
    assert_int_equal(m.end, 6);
    /* the first of two words in a clause */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Försenad och sen", buf, sizeof buf),
                        "delivery.late");
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 0);
    assert_int_equal(m.end, 9); /* "Försenad": ö takes two bytes */
    /* one per sentence */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Sen. Sen igen.", buf, sizeof buf),
                        "delivery.late delivery.late");
    assert_int_equal(tema_doc_mention(d, 1, &m), TEMA_OK);
    assert_int_equal(m.start, 5);
    tema_doc_free(d);
    tema_engine_free(e);
}

/* Per-mention sentiment from the clauses the sentiment stage fills; here
 * written by hand, as sentiment.c will. */
static void run_with_clauses(tema_doc *d, const char *text, const tema__clause *cl, size_t n,
                             tema_label label, double score)
{
    tema_analyze_opts o = {.lang = TEMA_LANG_SV, .stage = TEMA_STAGE_SENTIMENT};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    if (d->capclauses < n) {
        d->clauses = realloc(d->clauses, n * sizeof *d->clauses);
        assert_non_null(d->clauses);
        d->capclauses = n;
    }
    if (n)
        memcpy(d->clauses, cl, n * sizeof *cl);
    d->nclauses = n;
    d->nsunits = 0; /* hand-made clauses carry their score, not opinion units */
    d->label = label;
    d->sentiment = score;
    d->len = strlen(text);
    assert_int_equal(tema__themes_run(d), TEMA_OK);
}

static void test_mention_sentiment_from_clauses(void **state)
{
    (void)state;
    tema_engine *e = default_engine();
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    /* "Bra produkt | men leveransen var sen": tokens 0-1 | 2-5. */
    tema__clause two[2] = {{.first = 0, .end = 2, .score = 0.6f, .weight = 0.5f},
                          {.first = 2, .end = 6, .score = -0.5f, .weight = 1.5f}};
    run_with_clauses(d, "Bra produkt men leveransen var sen", two, 2, TEMA_LABEL_NEGATIVE, -0.3);
    assert_int_equal(tema_doc_mention_count(d), 2);
    tema_mention a, b;
    assert_int_equal(tema_doc_mention(d, 0, &a), TEMA_OK);
    assert_int_equal(tema_doc_mention(d, 1, &b), TEMA_OK);
    assert_string_equal(a.theme, "product");
    assert_int_equal(a.label, TEMA_LABEL_POSITIVE);
    assert_float_equal(a.sentiment, 0.6, 1e-6);
    assert_true(under(b.theme, "delivery"));
    assert_int_equal(b.label, TEMA_LABEL_NEGATIVE);
    assert_float_equal(b.sentiment, -0.5, 1e-6);
    assert_int_equal(b.implicit, 0);
    /* A neutral clause with a complaint phrase: negative, implicit. */
    tema__clause one[1] = {{.first = 0, .end = 4, .score = 0.0f, .weight = 1.0f}};
    run_with_clauses(d, "Leveransen tog två veckor", one, 1, TEMA_LABEL_NEUTRAL, 0);
    assert_int_equal(tema_doc_mention_count(d), 1);
    assert_int_equal(tema_doc_mention(d, 0, &a), TEMA_OK);
    assert_string_equal(a.theme, "delivery.late");
    assert_int_equal(a.label, TEMA_LABEL_NEGATIVE);
    assert_true(a.sentiment < 0);
    assert_int_equal(a.implicit, 1);
    /* Already negative by its words: keeps its score, not implicit. */
    tema__clause neg[1] = {{.first = 0, .end = 4, .score = -0.8f, .weight = 1.0f}};
    run_with_clauses(d, "Leveransen tog två veckor", neg, 1, TEMA_LABEL_NEGATIVE, -0.8);
    assert_int_equal(tema_doc_mention(d, 0, &a), TEMA_OK);
    assert_float_equal(a.sentiment, -0.8, 1e-6);
    assert_int_equal(a.implicit, 0);
    /* Before sentiment lands: no clauses, every mention neutral at 0. */
    run_with_clauses(d, "Bra produkt", NULL, 0, TEMA_LABEL_NEUTRAL, 0);
    assert_int_equal(tema_doc_mention(d, 0, &a), TEMA_OK);
    assert_int_equal(a.label, TEMA_LABEL_NEUTRAL);
    assert_float_equal(a.sentiment, 0, 1e-9);
    tema_doc_free(d);
}

static void test_other_theme(void **state)
{
    (void)state;
    tema_engine *e = default_engine();
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema__clause one[1] = {{.first = 0, .end = 3, .score = -0.7f, .weight = 1.0f}};
    const char *text = "Helt värdelöst alltså";
    run_with_clauses(d, text, one, 1, TEMA_LABEL_NEGATIVE, -0.7);
    tema_mention m;
    assert_int_equal(tema_doc_mention_count(d), 1);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other");
    assert_string_equal(m.phase, "");
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    assert_int_equal(m.start, 0);
    assert_int_equal(m.end, strlen(text));
    /* With the export's touchpoint, the phase of that touchpoint. */
    d->touchpoint = NULL;
    tema_analyze_opts o = {.lang = TEMA_LANG_SV, .stage = TEMA_STAGE_SENTIMENT,
                           .touchpoint = "delivery"};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    d->label = TEMA_LABEL_NEGATIVE;
    assert_int_equal(tema__themes_run(d), TEMA_OK);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other.after");
    assert_string_equal(m.phase, "after");
    o.touchpoint = "social_media";
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    d->label = TEMA_LABEL_POSITIVE;
    assert_int_equal(tema__themes_run(d), TEMA_OK);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other.before");
    /* A neutral comment with no theme gets nothing. */
    d->label = TEMA_LABEL_NEUTRAL;
    assert_int_equal(tema__themes_run(d), TEMA_OK);
    assert_int_equal(tema_doc_mention_count(d), 0);
    tema_doc_free(d);
}

static void test_touchpoint_from_alias(void **state)
{
    (void)state;
    tema_engine *e = default_engine();
    const char *tp;
    assert_int_equal(tema_touchpoint_from_alias(e, "Leverans", 8, &tp), TEMA_OK);
    assert_string_equal(tp, "delivery");
    assert_int_equal(tema_touchpoint_from_alias(e, "  LEVERING ", 11, &tp), TEMA_OK);
    assert_string_equal(tp, "delivery");
    assert_int_equal(tema_touchpoint_from_alias(e, "customer_service", 16, &tp), TEMA_OK);
    assert_string_equal(tp, "customer_service");
    assert_int_equal(tema_touchpoint_from_alias(e, "Sociale medier", 14, &tp), TEMA_OK);
    assert_string_equal(tp, "social_media");
    assert_int_equal(tema_touchpoint_from_alias(e, "Nonsense", 8, &tp), TEMA_ERR_NOTFOUND);
    assert_null(tp);
    assert_int_equal(tema_touchpoint_from_alias(e, "", 0, &tp), TEMA_ERR_NOTFOUND);
}

/* One mention per theme per clause, the earliest; a sub-theme replaces its
 * parent in that clause only (the parent's clause has an opinion of its
 * own, else the parent would be dropped as context: test_implicit.c). */
static void test_one_mention_per_theme_per_clause(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "sv: paket, frakt\n[delivery.late]\nlabel: en=Late\nsv: försenad\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paket och frakt", buf, sizeof buf), "delivery");
    tema_mention m;
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 0);
    assert_int_equal(m.end, 5);
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet var försenat", buf, sizeof buf),
                        "delivery.late");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Paketet var fint. Det var försenat", buf,
                                 sizeof buf),
                        "delivery delivery.late");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* One phrase, one theme: a match inside the longer match of an unrelated
 * theme in its clause is dropped and the longer one keeps its complaint; a
 * near pair stitched from two other themes' matches is dropped; equal spans
 * and partial overlaps stay. */
static void test_overlapping_matches(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base =
        TOP "[delivery.late]\nlabel: en=Late\nsv.complaint: tog två veckor\n"
            "[delivery.damaged]\nlabel: en=Damaged\nsv: krossad kartong\n"
            "[packaging]\ntouchpoint: packaging\nphase: after\nlabel: en=Packaging\n"
            "[packaging.damaged]\nlabel: en=Damaged packaging\nsv: krossad kartong\n"
            "[phone]\ntouchpoint: phone\nphase: during\nlabel: en=Phone\n"
            "[phone.queue]\nlabel: en=Queue\nsv: ingen svarade i telefon\n"
            "[customer_service]\ntouchpoint: customer_service\nphase: after\nlabel: en=CS\n"
            "[customer_service.reachability]\nlabel: en=Reach\nsv.complaint: ingen svarade\n"
            "[customer_service.response_time]\nlabel: en=Reply\nsv.near: svar ~5 vecka\n"
            "[app]\ntouchpoint: app\nphase: during\nlabel: en=App\n"
            "[app.login]\nlabel: en=Login\nsv.near: logga ~4 app\n"
            "[app.update]\nlabel: en=Update\nsv.near: app ~3 uppdatering\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* Alone, each rule fires. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Ingen svarade", buf, sizeof buf),
                        "customer_service.reachability");
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Fick svar efter två veckor", buf, sizeof buf),
                        "customer_service.response_time");
    /* "ingen svarade" lies inside phone.queue's "ingen svarade i telefon";
     * the near pair veckor..svarade joins delivery.late's match to it. */
    const char *text = "Leveransen tog två veckor och ingen svarade i telefon";
    assert_string_equal(mentions(d, TEMA_LANG_SV, text, buf, sizeof buf),
                        "delivery.late phone.queue");
    tema_mention m;
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 11); /* "tog två veckor": å is two bytes */
    assert_int_equal(m.end, 26);
    assert_int_equal(tema_doc_mention(d, 1, &m), TEMA_OK);
    assert_int_equal(m.start, 31);
    assert_int_equal(m.end, 54);
    /* phone.queue's plain phrase took over the complaint of the phrase inside it */
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    assert_true(m.implicit);
    /* The same span in two themes names two things: both stay. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Krossad kartong", buf, sizeof buf),
                        "delivery.damaged packaging.damaged");
    /* Overlapping without nesting (sharing "appen"): both stay. */
    assert_string_equal(mentions(d, TEMA_LANG_SV, "Kan inte logga in i appen efter uppdateringen",
                                 buf, sizeof buf),
                        "app.login app.update");
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A near pair across a clause boundary ("order ... , tracking") whose
 * word is already its theme's own match in the next clause is dropped:
 * it named the theme twice over overlapping spans and swallowed the other
 * theme's phrase in the first clause.  Without such a match the
 * pair across the comma stays. */
static void test_near_pair_across_clauses(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    const char *base = TOP "[delivery.missing]\nlabel: en=Missing\nen.complaint: order never arrived\n"
                           "[delivery.tracking]\nlabel: en=Tracking\nen: tracking\n"
                           "en.near: track ~4 order | update ~4 parcel\n"
                           "[store]\ntouchpoint: store\nphase: during\nlabel: en=Store\n"
                           "[store.environment]\nlabel: en=Environment\nen.near: store ~4 bright\n";
    assert_int_equal(engine_with(base, NULL, &e), TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    char buf[256];
    /* Alone, "order never arrived" is the complaint phrase at bytes 3..22. */
    assert_string_equal(mentions(d, TEMA_LANG_EN, "My order never arrived", buf, sizeof buf),
                        "delivery.missing");
    const char *text = "My order never arrived, tracking says delivered";
    assert_string_equal(mentions(d, TEMA_LANG_EN, text, buf, sizeof buf),
                        "delivery.missing delivery.tracking");
    tema_mention m;
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 3);
    assert_int_equal(m.end, 22);
    assert_int_equal(tema_doc_mention(d, 1, &m), TEMA_OK);
    assert_int_equal(m.start, 24); /* "tracking" alone */
    assert_int_equal(m.end, 32);
    /* In one clause the pair stays (it starts first): "order" .. "tracking". */
    assert_string_equal(mentions(d, TEMA_LANG_EN, "The order tracking is odd", buf, sizeof buf),
                        "delivery.tracking");
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_int_equal(m.start, 4);
    assert_int_equal(m.end, 18);
    /* Across a comma with no match of its own theme there, the pair stays. */
    assert_string_equal(mentions(d, TEMA_LANG_EN, "Nice store, bright and calm", buf, sizeof buf),
                        "store.environment");
    assert_string_equal(mentions(d, TEMA_LANG_EN, "No update, parcel gone", buf, sizeof buf),
                        "delivery.tracking");
    tema_doc_free(d);
    tema_engine_free(e);
}

static void test_taxonomy_load_time(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* sanitizers slow loading several times over */
#else
    /* so does valgrind, which preloads its own library */
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        skip();
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = data_dir();
    cfg.options = TEMA_OPT_TEXT_ONLY;
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_OK);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(tema__taxonomy_load(e, &cfg), TEMA_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_true(tema_theme_count(e) > 100);
    tema_engine_free(e);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    fprintf(stderr, "taxonomy load: %.1f ms\n", ms);
    assert_true(ms < 200);
#endif
}

/* `polarity: negative`: a problem theme mentioned without opinion words is a
 * complaint, unless a negator in its clause says it did not happen. */
static void test_problem_theme_is_a_complaint_without_opinion(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(engine_with(TOP "sv: leverans\n[delivery.late]\nlabel: en=Late\n"
                                     "polarity: negative\nsv.near: leverans ~3 sen\n",
                                 NULL, &e),
                     TEMA_OK);
    tema_doc *d;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.lang = TEMA_LANG_SV};
    tema_mention m;
    const char *t1 = "Leveransen var sen";
    assert_int_equal(tema_doc_analyze(d, t1, strlen(t1), &o), TEMA_OK);
    assert_int_equal(tema_doc_mention_count(d), 1);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "delivery.late");
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    assert_int_equal(m.implicit, 1);
    const char *t2 = "Leveransen var inte sen";
    assert_int_equal(tema_doc_analyze(d, t2, strlen(t2), &o), TEMA_OK);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "delivery.late");
    assert_int_not_equal(m.label, TEMA_LABEL_NEGATIVE);
    /* the parent is not a problem theme: "Leveransen kom" stays neutral */
    const char *t3 = "Leveransen kom i tisdags";
    assert_int_equal(tema_doc_analyze(d, t3, strlen(t3), &o), TEMA_OK);
    assert_int_equal(tema_doc_mention(d, 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "delivery");
    assert_int_equal(m.label, TEMA_LABEL_NEUTRAL);
    tema_doc_free(d);
    tema_engine_free(e);
    expect_error(TOP "polarity: positive\n", "5: bad polarity 'positive'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_required_ids),
        cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_override_with_second_file),
        cmocka_unit_test(test_near_not_and_scope),
        cmocka_unit_test(test_not_with_several_words_and_comment_scope),
        cmocka_unit_test(test_phrase_guards),
        cmocka_unit_test(test_near_guards),
        cmocka_unit_test(test_guards_by_sentence),
        cmocka_unit_test(test_named_guard_sets),
        cmocka_unit_test(test_guard_set_errors),
        cmocka_unit_test(test_problem_theme_is_a_complaint_without_opinion),
        cmocka_unit_test(test_regex_rule_and_limit),
        cmocka_unit_test(test_regex_prefilter_keeps_matches),
        cmocka_unit_test(test_regex_start_hint),
        cmocka_unit_test(test_regex_prefilter_covered_literals),
        cmocka_unit_test(test_regex_token_start_prefilter),
        cmocka_unit_test(test_regex_clause_order),
        cmocka_unit_test(test_regex_prefilter_by_bit),
        cmocka_unit_test(test_comment_filter_keeps_matches),
        cmocka_unit_test(test_phrase_neighbours_and_guard_filter),
        cmocka_unit_test(test_beaten_word_matches),
        cmocka_unit_test(test_mention_sentiment_from_clauses),
        cmocka_unit_test(test_other_theme),
        cmocka_unit_test(test_touchpoint_from_alias),
        cmocka_unit_test(test_one_mention_per_theme_per_clause),
        cmocka_unit_test(test_overlapping_matches),
        cmocka_unit_test(test_near_pair_across_clauses),
        cmocka_unit_test(test_taxonomy_load_time),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}

/*
 * gen-store.c: `gen-store DB [--comments N]` fills a new store with N
 * synthetic comments (default 1,000,000) and about 1.3 theme mentions each,
 * for benchmarking the reports (tools/bench-reports.sh).  Deterministic
 * (fixed xorshift seed): two years of dates, four languages, NPS scores,
 * a channel segment, and mentions over 24 themes in 8 touchpoints, 40%
 * negative.  One transaction with prepared statements; journaling off,
 * because a half-written benchmark store is simply regenerated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tema.h"

#include "rng.h"

static const char *const themes[][2] = {
    {"delivery", "delivery.late"}, {"delivery", "delivery.damaged"},
    {"delivery", "delivery.tracking"}, {"delivery", "delivery.cost"},
    {"customer_service", "customer_service.wait_time"},
    {"customer_service", "customer_service.unresolved"},
    {"customer_service", "customer_service.attitude"}, {"price", "price.too_high"},
    {"price", "price.value"}, {"price", "price.discount"}, {"app", "app.crash"},
    {"app", "app.login"}, {"app", "app.features"}, {"website", "website.navigation"},
    {"website", "website.speed"}, {"returns", "returns.refund_delay"},
    {"returns", "returns.process"}, {"product", "product.quality"},
    {"product", "product.availability"}, {"product", "product.size_fit"},
    {"billing", "billing.error"}, {"billing", "billing.fee"}, {"store", "store.queue"},
    {"store", "store.staff_availability"}};
#define NTHEMES (sizeof themes / sizeof themes[0])

static const char *const texts[] = {
    "Paketet kom en vecka för sent och ingen hörde av sig.",
    "Leveransen var försenad igen, tredje gången i år.",
    "Fik vente i telefonkøen i over en time, helt uacceptabelt.",
    "Kundeservice svarte aldri på e-posten min.",
    "The app keeps crashing when I try to pay.",
    "Prices went up again and the quality went down.",
    "Bra produkter men alldeles för dyr frakt.",
    "Pakken var skadet da den kom frem, esken var knust.",
    "Refund took six weeks and three phone calls.",
    "Snabb leverans och trevlig personal, tack!",
    "Nettsiden er treg og vanskelig å finne frem på.",
    "I was charged twice for the same order.",
    "Storleken stämde inte alls med tabellen.",
    "Lang kø i butikken og kun én kasse åben.",
    "Great value for money, will order again.",
    "Inloggningen i appen fungerar inte sedan uppdateringen."};
#define NTEXTS (sizeof texts / sizeof texts[0])

static int check(tema_store *s, tema_status st, const char *what)
{
    if (st != TEMA_OK && st != TEMA_DONE) {
        fprintf(stderr, "gen-store: %s: %s\n", what, tema_store_errmsg(s));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long n = 1000000;
    if (argc < 2) {
        fprintf(stderr, "usage: gen-store DB [--comments N]\n");
        return 2;
    }
    if (argc == 4 && strcmp(argv[2], "--comments") == 0)
        n = strtol(argv[3], NULL, 10);
    remove(argv[1]);
    tema_store *s = NULL;
    if (tema_store_open(argv[1], TEMA_STORE_WRITE, &s) != TEMA_OK) {
        fprintf(stderr, "gen-store: %s\n", s ? tema_store_errmsg(s) : "out of memory");
        tema_store_close(s);
        return 1;
    }
    tema__stmt *c = NULL, *m = NULL, *g = NULL;
    int bad = check(s, tema__store_exec(s, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                                           "BEGIN; INSERT INTO runs VALUES (1, "
                                           "'2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z', "
                                           "'0.1.0', '{}', 0, 0, 0, 0)"),
                    "begin");
    bad = bad || check(s, tema__store_prepare(s, "INSERT INTO comments VALUES (?, 1, 'gen.csv', "
                                                 "?, NULL, ?, ?, NULL, NULL, ?, 'nps', ?, ?, ?)",
                                              &c),
                       "prepare");
    bad = bad || check(s, tema__store_prepare(s, "INSERT INTO mentions VALUES (NULL, ?, ?, ?, "
                                                 "'during', ?, ?, 0, 4, 0)",
                                              &m),
                       "prepare");
    bad = bad || check(s, tema__store_prepare(s, "INSERT INTO segments VALUES (?, 'channel', ?)",
                                              &g),
                       "prepare");
    static const char *const langs[] = {"sv", "da", "no", "en"};
    static const char *const channels[] = {"web", "app", "store", "phone"};
    for (long i = 1; i <= n && !bad; i++) {
        char date[16];
        long day = rnd(730);
        int y = 2024 + (int)(day / 365), doy = (int)(day % 365);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, doy / 31 % 12 + 1, doy % 28 + 1);
        int k = (int)rnd(10) < 3 ? 0 : (int)rnd(10) < 7 ? 1 : (int)rnd(2) + 2;
        int neg_comment = 0;
        uint32_t picked[4];
        int negs[4];
        for (int j = 0; j < k; j++) {
            /* a skewed theme choice: low indexes are the common irritants */
            picked[j] = rnd((uint32_t)NTHEMES) * rnd((uint32_t)NTHEMES) / (uint32_t)NTHEMES;
            negs[j] = rnd(10) < 4;
            neg_comment |= negs[j];
        }
        double sent = neg_comment ? -0.5 : 0.3;
        int score = neg_comment ? (int)rnd(7) : 5 + (int)rnd(6);
        tema__stmt_bind_int64(c, 1, i);
        tema__stmt_bind_int64(c, 2, i + 1);
        tema__stmt_bind_text(c, 3, date);
        tema__stmt_bind_text(c, 4, langs[rnd(4)]);
        tema__stmt_bind_double(c, 5, score);
        tema__stmt_bind_double(c, 6, sent);
        tema__stmt_bind_text(c, 7, neg_comment ? "negative" : "positive");
        tema__stmt_bind_text(c, 8, texts[rnd((uint32_t)NTEXTS)]);
        bad = check(s, tema__stmt_step(c), "comment");
        tema__stmt_reset(c);
        tema__stmt_bind_int64(g, 1, i);
        tema__stmt_bind_text(g, 2, channels[rnd(4)]);
        bad = bad || check(s, tema__stmt_step(g), "segment");
        tema__stmt_reset(g);
        for (int j = 0; j < k && !bad; j++) {
            tema__stmt_bind_int64(m, 1, i);
            tema__stmt_bind_text(m, 2, themes[picked[j]][1]);
            tema__stmt_bind_text(m, 3, themes[picked[j]][0]);
            tema__stmt_bind_double(m, 4, negs[j] ? -0.6 : 0.4);
            tema__stmt_bind_text(m, 5, negs[j] ? "negative" : "positive");
            bad = check(s, tema__stmt_step(m), "mention");
            tema__stmt_reset(m);
        }
    }
    tema__stmt_finalize(c);
    tema__stmt_finalize(m);
    tema__stmt_finalize(g);
    bad = bad || check(s, tema__store_exec(s, "COMMIT; ANALYZE;"), "commit");
    tema_store_close(s);
    return bad;
}

/*
 * gen-corpus.c: writes a synthetic but realistic mixed-language feedback
 * export for benchmarks: comments assembled from phrase fragments written
 * for this project in sv, da, no and en (openers, praise, complaints about
 * the usual touchpoints, contrast, emoji, amounts, order numbers), with a
 * seeded generator so every run gives the same bytes.
 *
 *   gen-corpus [--mb N] [--format lines|csv|jsonl] [--seed S]
 *
 * lines: "LANG<TAB>comment" per line.  csv: a semicolon-separated export
 * with a BOM (id;date;channel;touchpoint;nps;comment), as Nordic Excel
 * writes it.  jsonl: one object per line with the same keys.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

typedef struct lang_parts {
    const char *code;
    const char *open[8];
    const char *good[12];
    const char *bad[16];
    const char *contrast[3];
    const char *close[8];
    const char *touch[6];
} lang_parts;

static const lang_parts langs[] = {
    {"sv",
     {"Hej!", "Tja,", "Kort sagt:", "Ärligt talat", "Jag måste säga att", "", "", "Hmm,"},
     {"snabb leverans och bra kvalitet", "jättetrevlig personal i butiken",
      "smidig betalning med Swish", "produkten är prisvärd", "kundtjänst löste det direkt",
      "enkelt att hitta på hemsidan", "paketet kom dagen efter", "supernöjd med köpet",
      "bra service", "allt fungerade klockrent", "returen gick smidigt", "toppen!"},
     {"leveransen tog två veckor", "paketet kom aldrig fram", "väntade 45 minuter i telefonkö",
      "ingen har hört av sig", "fakturan var fel och jag blev debiterad två gånger",
      "appen kraschar när jag loggar in med BankID", "personalen var otrevlig",
      "alldeles för dyrt för kvaliteten", "kartongen var trasig", "rabattkoden fungerade inte",
      "återbetalningen dröjer fortfarande", "sökfunktionen på hemsidan är värdelös",
      "chatboten förstod ingenting", "PostNord tappade bort paketet", "STRUL HELA TIDEN",
      "inte värt pengarna"},
     {"men", "fast", "dock"},
     {"Tack!", "Mvh", "Aldrig mer.", ":(", "😡", "👍", "Hälsningar", ""},
     {"Leverans", "Kundtjänst", "Butik", "Webbshop", "Betalning", ""}},
    {"da",
     {"Hej", "Altså", "Kort fortalt:", "Ærligt talt", "Jeg må sige at", "", "", "Øh,"},
     {"hurtig levering og god kvalitet", "super venligt personale i butikken",
      "nem betaling med MobilePay", "produktet er pengene værd", "kundeservice hjalp med det samme",
      "let at finde rundt på hjemmesiden", "pakken kom dagen efter", "meget tilfreds med købet",
      "god service", "alt fungerede perfekt", "returneringen var nem", "super!"},
     {"leveringen tog to uger", "pakken kom aldrig frem", "ventede 40 minutter i telefonkø",
      "ingen har ringet tilbage", "fakturaen var forkert og jeg blev trukket to gange",
      "appen går ned når jeg logger ind", "personalet var uhøfligt", "alt for dyrt",
      "æsken var ødelagt", "rabatkoden virkede ikke", "jeg venter stadig på min refusion",
      "søgefunktionen er elendig", "chatbotten forstod intet", "GLS smed pakken i regnen",
      "BØVL HELE VEJEN", "ikke pengene værd"},
     {"men", "dog", "selvom"},
     {"Tak!", "Mvh", "Aldrig igen.", ":(", "😤", "👍", "Hilsen", ""},
     {"Levering", "Kundeservice", "Butik", "Webshop", "Betaling", ""}},
    {"no",
     {"Hei!", "Altså,", "Kort sagt:", "Ærlig talt", "Jeg må si at", "", "", "Hmm,"},
     {"rask levering og god kvalitet", "kjempehyggelig personale i butikken",
      "enkel betaling med Vipps", "produktet er verdt pengene", "kundeservice løste det med en gang",
      "lett å finne fram på nettsiden", "pakken kom dagen etter", "kjempefornøyd med kjøpet",
      "god service", "alt fungerte knirkefritt", "returen gikk greit", "supert!"},
     {"leveringen tok to uker", "pakken har ikke kommet", "ventet 50 minutter i telefonkø",
      "fikk aldri svar", "fakturaen var feil og jeg ble belastet to ganger",
      "appen krasjer når jeg logger inn med BankID", "de ansatte var frekke", "altfor dyrt",
      "esken var knust", "rabattkoden fungerte ikke", "venter fortsatt på refusjon",
      "søket på nettsiden er ubrukelig", "chatboten skjønte ingenting", "Bring mistet pakken",
      "KNOT HELE VEIEN", "ikke verdt pengene"},
     {"men", "likevel", "selv om"},
     {"Takk!", "Mvh", "Aldri mer.", ":(", "😠", "👍", "Hilsen", ""},
     {"Levering", "Kundeservice", "Butikk", "Nettbutikk", "Betaling", ""}},
    {"en",
     {"Hi,", "Honestly,", "In short:", "To be fair", "I have to say", "", "", "Well,"},
     {"fast delivery and great quality", "really friendly staff in the store",
      "easy checkout with Klarna", "good value for money", "customer service sorted it right away",
      "easy to find things on the website", "the parcel arrived the next day",
      "very happy with my purchase", "great service", "everything worked smoothly",
      "the return was painless", "awesome!"},
     {"delivery took two weeks", "the parcel never arrived", "waited 45 minutes on hold",
      "nobody ever called back", "the invoice was wrong and I was charged twice",
      "the app crashes when I log in", "the staff were rude", "way too expensive for what it is",
      "the box was crushed", "the discount code did not work", "still waiting for my refund",
      "the search on the website is useless", "the chatbot was hopeless",
      "the courier left it in the rain", "WHAT A HASSLE", "not worth the money"},
     {"but", "although", "however"},
     {"Thanks!", "Cheers", "Never again.", ":(", "🤬", "👍🏼", "Regards", ""},
     {"Delivery", "Customer service", "Store", "Website", "Payment", ""}},
};

#define PICK(arr) (arr)[rnd((uint32_t)(sizeof(arr) / sizeof((arr)[0])))]

/* One comment into 'out'; returns its NPS-like score (0-10). */
static int comment(const lang_parts *L, char *out, size_t cap)
{
    size_t n = 0;
    int score = 5;
    const char *open = PICK(L->open);
    if (*open)
        n += (size_t)snprintf(out + n, cap - n, "%s ", open);
    int clauses = 1 + (int)rnd(3);
    for (int c = 0; c < clauses && n < cap - 200; c++) {
        int bad = (int)rnd(10) < 5;
        const char *frag = bad ? PICK(L->bad) : PICK(L->good);
        score += bad ? -2 : 2;
        if (c > 0)
            n += (size_t)snprintf(out + n, cap - n, rnd(2) ? ", %s " : ". ",
                                  PICK(L->contrast));
        n += (size_t)snprintf(out + n, cap - n, "%s", frag);
        if (rnd(8) == 0)
            n += (size_t)snprintf(out + n, cap - n, " (order %u-%u)", 1000 + rnd(9000),
                                  1000 + rnd(9000));
        if (rnd(10) == 0)
            n += (size_t)snprintf(out + n, cap - n, " för %u %03u,00 kr", 1 + rnd(9), rnd(1000));
    }
    const char *end = rnd(3) == 0 ? "!!!" : ".";
    n += (size_t)snprintf(out + n, cap - n, "%s", end);
    const char *close = PICK(L->close);
    if (*close)
        n += (size_t)snprintf(out + n, cap - n, " %s", close);
    if (score < 0)
        score = 0;
    if (score > 10)
        score = 10;
    return score;
}

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    double mb = 50;
    const char *format = "lines";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
            mb = atof(argv[++i]);
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) | 1;
        else {
            fprintf(stderr, "usage: gen-corpus [--mb N] [--format lines|csv|jsonl] [--seed S]\n");
            return 2;
        }
    }
    size_t limit = (size_t)(mb * 1024 * 1024), written = 0;
    bool csv = strcmp(format, "csv") == 0, jsonl = strcmp(format, "jsonl") == 0;
    if (csv)
        written += (size_t)printf("\xEF\xBB\xBFid;date;channel;touchpoint;nps;comment\r\n");
    static const char *const channels[] = {"web", "app", "store", "phone", "chat", "email"};
    char buf[2048];
    for (unsigned long id = 1; written < limit; id++) {
        /* Nordic exports: mostly sv, then no, da, en */
        static const int weights[] = {0, 0, 0, 1, 1, 2, 2, 2, 3, 3};
        const lang_parts *L = &langs[weights[rnd(10)]];
        int nps = comment(L, buf, sizeof buf);
        unsigned month = 4 + rnd(6), day = 1 + rnd(28);
        const char *touch = PICK(L->touch);
        const char *channel = PICK(channels);
        if (csv) {
            written += (size_t)printf("%lu;2026-%02u-%02u;%s;%s;%d;", id, month, day, channel,
                                      touch, nps);
            csv_field(stdout, buf);
            written += strlen(buf) + 4;
            fputs("\r\n", stdout);
        } else if (jsonl) {
            written += (size_t)printf("{\"id\":%lu,\"date\":\"2026-%02u-%02u\",\"channel\":\"%s\","
                                      "\"touchpoint\":\"%s\",\"nps\":%d,\"comment\":",
                                      id, month, day, channel, touch, nps);
            json_string(stdout, buf);
            written += strlen(buf) + 4;
            fputs("}\n", stdout);
        } else {
            written += (size_t)printf("%s\t%s\n", L->code, buf);
        }
    }
    return ferror(stdout) ? 1 : 0;
}

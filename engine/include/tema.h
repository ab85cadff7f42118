/*
 * tema.h: the public API of tema, text analytics for customer feedback in
 * Swedish, Danish, Norwegian and English.
 *
 * This header is the manual.  Anything not declared here is not API.
 *
 * Life cycle.  A tema_engine loads lexicons, models and the theme taxonomy
 * once; after tema_engine_new() returns it is read-only and may be shared by
 * any number of threads.  Each thread analyses comments with its own
 * tema_doc, which owns every buffer the pipeline needs and is reused from
 * comment to comment, so the hot path does not allocate once it has warmed
 * up.
 *
 * Errors.  Functions return a tema_status.  The library never prints, exits
 * or aborts.  tema_errstr() names a status; tema_errmsg() gives the detailed
 * message of the last failed call on an engine (with file:line for errors in
 * lexicon and taxonomy files).
 *
 * Text.  Text goes in as (pointer, byte length) and need not be
 * NUL-terminated.  Positions come out as byte offsets into that input.
 *
 * Ownership.  Each function says one of: "The caller must free the result
 * with tema_free()", "Owned by X; valid until ...", or "Not retained after
 * the call returns."
 */
#ifndef TEMA_H
#define TEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TEMA_API __attribute__((visibility("default")))
#else
#define TEMA_API
#endif

/* ------------------------------------------------------------------ */
/* Version                                                            */
/* ------------------------------------------------------------------ */

#define TEMA_VERSION_MAJOR 0
#define TEMA_VERSION_MINOR 1
#define TEMA_VERSION_PATCH 0

/* The library version as "MAJOR.MINOR.PATCH".  Static string. */
TEMA_API const char *tema_version(void);

/* ------------------------------------------------------------------ */
/* Status codes and memory                                            */
/* ------------------------------------------------------------------ */

typedef enum tema_status {
    TEMA_OK = 0,
    TEMA_DONE,          /* an iterator or reader has no more items */
    TEMA_ERR_NOMEM,     /* an allocation failed */
    TEMA_ERR_IO,        /* a file could not be opened, read or written */
    TEMA_ERR_UTF8,      /* text is not valid UTF-8 where it must be */
    TEMA_ERR_PARSE,     /* a lexicon, taxonomy, model or input is malformed */
    TEMA_ERR_STORE,     /* the SQLite store failed */
    TEMA_ERR_MISUSE,    /* an argument is invalid (NULL handle, bad option) */
    TEMA_ERR_LIMIT,     /* a documented limit was exceeded (buffer, field) */
    TEMA_ERR_NOTFOUND,  /* a named item (file, language, theme) does not exist */
    TEMA_ERR_ROW,       /* a reader rejected one row; the next call continues */
    TEMA_ERR_EXISTS,    /* the item is already there (an input already in the store) */
    TEMA_ERR_AMBIGUOUS  /* a name matches more than one item (duplicate column names) */
} tema_status;

/* A short English description of 'status'.  Static string. */
TEMA_API const char *tema_errstr(tema_status status);

/* Frees memory that a tema function handed to the caller.  Accepts NULL. */
TEMA_API void tema_free(void *p);

/* ------------------------------------------------------------------ */
/* Languages                                                          */
/* ------------------------------------------------------------------ */

typedef enum tema_lang {
    TEMA_LANG_UND = 0,  /* undetermined: no usable letters, or none of the four
                           (another language: German, Finnish, French, ...) */
    TEMA_LANG_SV,       /* Swedish */
    TEMA_LANG_DA,       /* Danish */
    TEMA_LANG_NO,       /* Norwegian (Bokmål; Nynorsk is reported as no) */
    TEMA_LANG_EN,       /* English */
    TEMA_LANG_COUNT
} tema_lang;

/* The ISO 639-1 code of 'lang' ("sv", "da", "no", "en", or "und").  Static. */
TEMA_API const char *tema_lang_code(tema_lang lang);

/* Parses a language code ("sv", "SV", "se", "dk", "nb", "nn", "en", "und").
 * Returns TEMA_OK and sets '*lang', or TEMA_ERR_NOTFOUND.  'code' is not
 * retained after the call returns. */
TEMA_API tema_status tema_lang_parse(const char *code, size_t len, tema_lang *lang);

/* ------------------------------------------------------------------ */
/* Text utilities (pure functions, thread-safe)                       */
/* ------------------------------------------------------------------ */

/* Counts the invalid UTF-8 sequences in 'text' (each would become one
 * U+FFFD).  Overlong forms, surrogates and code points above U+10FFFF are
 * invalid. */
TEMA_API size_t tema_utf8_invalid_count(const char *text, size_t len);

/* Copies 'text' to 'out' with every invalid UTF-8 sequence replaced by
 * U+FFFD.  '*out_len' receives the length needed; when it exceeds 'cap'
 * nothing useful is written and TEMA_ERR_LIMIT is returned (3 * 'len' bytes
 * always suffice).  '*replaced' (may be NULL) receives the number of
 * replacements.  Not retained after the call returns. */
TEMA_API tema_status tema_utf8_repair(const char *text, size_t len, char *out, size_t cap,
                                      size_t *out_len, size_t *replaced);

/* Normalisation flags. */
#define TEMA_NORM_DEFAULT 0
/* Skip the ASCII/Latin fast path and run every code point through utf8proc.
 * The output is byte-identical either way; this exists to prove it. */
#define TEMA_NORM_FULL (1u << 0)

/* Normalises 'text' to Unicode NFKC with full case folding (so "Ä" -> "ä",
 * "ß" -> "ss", "ﬁ" -> "fi", fullwidth "Ａ" -> "a").  Letters keep their
 * accents: å ä ö æ ø é ü stay as they are.  Invalid UTF-8 becomes U+FFFD.
 * '*out_len' receives the length needed; when it exceeds 'cap',
 * TEMA_ERR_LIMIT is returned and the caller retries with a larger buffer
 * (NFKC can expand a code point to 18 bytes).  Not retained after the call
 * returns. */
TEMA_API tema_status tema_normalize(const char *text, size_t len, char *out, size_t cap,
                                    size_t *out_len, unsigned flags);

/* ------------------------------------------------------------------ */
/* Engine                                                             */
/* ------------------------------------------------------------------ */

typedef struct tema_engine tema_engine;

/* Engine options: a bitmask, 0 by default. */
#define TEMA_OPT_DEFAULT 0
/* Sentiment from the lexicon rules only; the learned models (sentiment, and
 * a taxonomy's mention model) are not loaded. */
#define TEMA_OPT_NO_MODEL (1u << 0)
/* Load no theme taxonomy (tokens, language and sentiment only).  Comment
 * sentiment then uses models/sentiment.bin, never the model a taxonomy's
 * `sentiment-model:` line declares (docs/sentiment.md). */
#define TEMA_OPT_NO_THEMES (1u << 1)
/* Load no lexicons or models at all: tokenising and stemming only. */
#define TEMA_OPT_TEXT_ONLY (1u << 2)

#define TEMA_CONFIG_VERSION 1

/* Engine settings.  Initialise with tema_config_init(), then set fields. */
typedef struct tema_config {
    unsigned version;                     /* TEMA_CONFIG_VERSION */
    unsigned options;                     /* TEMA_OPT_* bits */
    const char *data_dir;                 /* folder holding lexicons/ and models/;
                                             NULL: $TEMA_DATA, then the install prefix */
    const char *const *lexicons;          /* extra lexicon files (override entries) */
    size_t n_lexicons;                    /* number of 'lexicons' */
    const char *const *taxonomies;        /* extra taxonomy files (add or override themes) */
    size_t n_taxonomies;                  /* number of 'taxonomies' */
    const char *base_taxonomy;            /* replaces the default lexicons/themes/cx.tema;
                                             NULL for the default */
} tema_config;

/* Sets 'cfg' to the defaults. */
TEMA_API void tema_config_init(tema_config *cfg);

/* Creates an engine: loads and validates lexicons, models and taxonomy.
 * On success '*out' is the engine.  On failure other than TEMA_ERR_NOMEM
 * '*out' is still an engine whose tema_errmsg() says what went wrong (as
 * "file:line: message" for data files); the caller frees it either way with
 * tema_engine_free().  'cfg' (may be NULL for defaults) is not retained after
 * the call returns.  Thread-safe once created. */
TEMA_API tema_status tema_engine_new(const tema_config *cfg, tema_engine **out);

/* Frees 'engine' and everything it owns.  Accepts NULL.  No tema_doc created
 * from it may be used afterwards. */
TEMA_API void tema_engine_free(tema_engine *engine);

/* The detailed message of the last failure on 'engine' ("" if none).
 * Owned by 'engine'; valid until the next failing call on it or
 * tema_engine_free().  Not thread-safe with concurrent failing calls. */
TEMA_API const char *tema_errmsg(const tema_engine *engine);

/* ------------------------------------------------------------------ */
/* Tokens                                                             */
/* ------------------------------------------------------------------ */

typedef enum tema_token_type {
    TEMA_TOK_WORD = 0,   /* letters, with internal ' and -, digits (4G, e-post, Wi-Fi) */
    TEMA_TOK_NUMBER,     /* 15.5, 1 299,00, 24/7, 2-3, 10:30 */
    TEMA_TOK_AMOUNT,     /* a number with its currency: 1 299,00 kr, 299:-, $20, 15 €  */
    TEMA_TOK_URL,        /* https://..., www.... */
    TEMA_TOK_EMAIL,      /* name@example.se */
    TEMA_TOK_MENTION,    /* @name */
    TEMA_TOK_HASHTAG,    /* #name */
    TEMA_TOK_EMOJI,      /* one emoji grapheme: ZWJ sequences, flags, skin tones */
    TEMA_TOK_EMOTICON,   /* :) :-( :D ;) <3 :/ ... */
    TEMA_TOK_PUNCT,      /* punctuation; repeated marks (!!!, ?!) are one token */
    TEMA_TOK_SYMBOL,     /* any other symbol (%, &, +, ©) */
    TEMA_TOK_TYPE_COUNT
} tema_token_type;

/* The lower-case name of a token type ("word", "number", ...).  Static. */
TEMA_API const char *tema_token_type_name(tema_token_type type);

/* Token flags. */
#define TEMA_TOKF_ALLCAPS    (1u << 0) /* a word of two or more letters, all upper case */
#define TEMA_TOKF_ELONGATED  (1u << 1) /* a letter repeated 3+ times was shortened */
#define TEMA_TOKF_SENT_END   (1u << 2) /* punctuation or line break ending a sentence */
#define TEMA_TOKF_CLAUSE_END (1u << 3) /* ends a clause (also set with SENT_END) */
#define TEMA_TOKF_REPAIRED   (1u << 4) /* contains U+FFFD from invalid UTF-8 */
#define TEMA_TOKF_EXCLAIM    (1u << 5) /* punctuation containing '!' */
#define TEMA_TOKF_QUESTION   (1u << 6) /* punctuation containing '?' */
#define TEMA_TOKF_CAPITALISED (1u << 7) /* a word starting with an upper-case letter */

/* One token.  The strings are owned by the tema_doc that produced them and
 * are valid until the next analysis, tema_doc_stem() or tema_doc_free() on
 * it or on a document that shares its word cache (tema_doc_new_sibling()). */
typedef struct tema_token {
    size_t start;          /* byte offset of the first byte in the input */
    size_t end;            /* byte offset one past the last byte */
    const char *norm;      /* normalised form: NFKC, case-folded, elongation shortened */
    size_t norm_len;       /* bytes in 'norm' */
    const char *stem;      /* Snowball stem for words of a known language, else = 'norm' */
    size_t stem_len;       /* bytes in 'stem' */
    tema_token_type type;  /* what kind of token */
    unsigned flags;        /* TEMA_TOKF_* */
    unsigned count;        /* marks in a punctuation run ("!!!" -> 3), or how often an
                              emoticon's last character is written (":-)))" -> 3);
                              1 otherwise */
} tema_token;

/* ------------------------------------------------------------------ */
/* Analysis of one comment                                            */
/* ------------------------------------------------------------------ */

typedef struct tema_doc tema_doc;

/* Creates an analysis object for 'engine'.  One per thread; reuse it for
 * every comment.  The caller frees it with tema_doc_free(). */
TEMA_API tema_status tema_doc_new(const tema_engine *engine, tema_doc **out);

/* Creates an analysis object for the thread of 'first' that shares what
 * 'first' has learnt about each word form (its stem, lexicon entries,
 * compound parts and theme rules), for tema_doc_analyze_batch().  'first'
 * must be freed after every document made from it.  The two share the
 * cache's strings too: analysing either may move the token stems the other
 * handed out (tema_token.stem), so read a document's tokens before the next
 * analysis on any of them; everything else a document holds is its own. */
TEMA_API tema_status tema_doc_new_sibling(tema_doc *first, tema_doc **out);

/* Frees 'doc'.  Accepts NULL. */
TEMA_API void tema_doc_free(tema_doc *doc);

/* Pipeline stages; each implies the ones before it. */
typedef enum tema_stage {
    TEMA_STAGE_TOKENS = 1,  /* validate, normalise, tokenise */
    TEMA_STAGE_LANG,        /* + identify the language */
    TEMA_STAGE_STEM,        /* + stem and split compounds */
    TEMA_STAGE_SENTIMENT,   /* + sentiment per clause and comment */
    TEMA_STAGE_THEMES,      /* + theme mentions with their sentiment */
    TEMA_STAGE_ALL = TEMA_STAGE_THEMES
} tema_stage;

/* Per-comment settings.  Zero-initialise, then set what you need. */
typedef struct tema_analyze_opts {
    tema_stage stage;          /* how far to run; 0 means TEMA_STAGE_ALL */
    tema_lang lang;            /* force this language; TEMA_LANG_UND detects it */
    const double *lang_prior;  /* TEMA_LANG_COUNT weights leaning short, ambiguous
                                  comments toward a run's main language; NULL for none */
    const char *touchpoint;    /* the export's touchpoint id for this comment (see
                                  tema_touchpoint_from_alias()), NULL when unknown; puts
                                  opinions that match no theme under other.<phase> */
} tema_analyze_opts;

/* Analyses one comment.  'text' is not retained after the call returns;
 * results stay in 'doc' until the next call.  'opts' may be NULL. */
TEMA_API tema_status tema_doc_analyze(tema_doc *doc, const char *text, size_t len,
                                      const tema_analyze_opts *opts);

/* Analyses texts[i] (lens[i] bytes) into docs[i] for each i < n, with the
 * same 'opts', each document ending as tema_doc_analyze() would leave it.
 * All n documents, each at most once (a repeat keeps only its last
 * text's results), share one word cache (docs[0] and siblings made with
 * tema_doc_new_sibling()).  Faster than n calls of tema_doc_analyze()
 * because each stage runs over all n comments before the next starts
 * (docs/performance.md); `tema score` uses 64 lines or 64 KB.
 * TEMA_ERR_MISUSE when a document does not share docs[0]'s word cache; on
 * another error (out of memory) the documents' results are undefined. */
TEMA_API tema_status tema_doc_analyze_batch(tema_doc *const *docs, const char *const *texts,
                                            const size_t *lens, size_t n,
                                            const tema_analyze_opts *opts);

/* As tema_doc_analyze_batch(), but texts[i] is analysed with opts[i] ('opts'
 * holds n settings, or is NULL for the defaults): for inputs whose rows
 * each carry their own language or touchpoint (`tema analyze` uses 64 rows
 * or 64 KB).  Every opts[i] must ask for the same stage, since each stage
 * runs over the whole batch: TEMA_ERR_MISUSE otherwise, or for a bad
 * language.  'opts' is not retained after the call returns. */
TEMA_API tema_status tema_doc_analyze_batch_each(tema_doc *const *docs, const char *const *texts,
                                                 const size_t *lens, size_t n,
                                                 const tema_analyze_opts *opts);

/* The number of tokens in the last analysed comment. */
TEMA_API size_t tema_doc_token_count(const tema_doc *doc);

/* Fills '*tok' with token 'i' (0-based).  Returns TEMA_ERR_MISUSE when 'i' is
 * out of range.  The strings in '*tok' are owned by 'doc'. */
TEMA_API tema_status tema_doc_token(const tema_doc *doc, size_t i, tema_token *tok);

/* Invalid UTF-8 sequences replaced by U+FFFD in the last comment. */
TEMA_API size_t tema_doc_repairs(const tema_doc *doc);

/* The language of the last comment (forced, or detected). */
TEMA_API tema_lang tema_doc_lang(const tema_doc *doc);

/* Copies the language scores of the last comment into 'scores'
 * (TEMA_LANG_COUNT probabilities summing to 1; index TEMA_LANG_UND too). */
TEMA_API void tema_doc_lang_scores(const tema_doc *doc, double scores[TEMA_LANG_COUNT]);

/* 1 when the last comment's language was decided on enough text (30 or
 * more letters, probability >= 0.9) to count toward a run's language mix. */
TEMA_API int tema_doc_lang_confident(const tema_doc *doc);

/* Turns counts of confidently detected languages (say, from the first two
 * thousand comments of a run) into the 'lang_prior' weights of
 * tema_analyze_opts.  Add-one smoothed; index TEMA_LANG_UND is 0. */
TEMA_API void tema_lang_prior(const size_t counts[TEMA_LANG_COUNT], double prior[TEMA_LANG_COUNT]);

/* ------------------------------------------------------------------ */
/* Stemming                                                           */
/* ------------------------------------------------------------------ */

/* Stems one word (already normalised) with the Snowball stemmer of 'lang',
 * through 'doc''s stem cache.  '*stem' is owned by 'doc' and valid until
 * the next call on 'doc' or on a document sharing its word cache
 * (tema_doc_new_sibling()).  TEMA_ERR_MISUSE for TEMA_LANG_UND. */
TEMA_API tema_status tema_doc_stem(tema_doc *doc, tema_lang lang, const char *word, size_t len,
                                   const char **stem, size_t *stem_len);

/* ------------------------------------------------------------------ */
/* Sentiment                                                          */
/* ------------------------------------------------------------------ */

typedef enum tema_label {
    TEMA_LABEL_NEUTRAL = 0,
    TEMA_LABEL_POSITIVE,
    TEMA_LABEL_NEGATIVE
} tema_label;

/* "positive", "neutral" or "negative".  Static. */
TEMA_API const char *tema_label_name(tema_label label);

/* The sentiment of the last comment in [-1, 1] (0 when the stage did not run). */
TEMA_API double tema_doc_sentiment(const tema_doc *doc);

/* The label of the last comment (thresholds in docs/sentiment.md). */
TEMA_API tema_label tema_doc_label(const tema_doc *doc);

/* What contributed to the sentiment (for --explain). */
typedef struct tema_explain_item {
    size_t start;          /* byte span of the word, phrase or mark in the input */
    size_t end;
    const char *rule;      /* "lexicon", "phrase", "negation", "intensifier", "dampener",
                              "compound-intensifier", "contrast", "exclamation", "caps",
                              "question", "emoji", "model", "implicit-complaint" (a theme
                              mention's complaint phrase, weighed into the comment score
                              after the themes), ... Static string. */
    double weight;         /* contribution or multiplier, as the rule defines */
} tema_explain_item;

/* Number of explanation items for the last comment. */
TEMA_API size_t tema_doc_explain_count(const tema_doc *doc);

/* Fills '*item' with explanation 'i'.  TEMA_ERR_MISUSE when out of range. */
TEMA_API tema_status tema_doc_explain(const tema_doc *doc, size_t i, tema_explain_item *item);

/* ------------------------------------------------------------------ */
/* Themes                                                             */
/* ------------------------------------------------------------------ */

/* One theme mention in the last comment.  Strings are owned by the engine
 * and valid until tema_engine_free(). */
typedef struct tema_mention {
    const char *theme;       /* theme id, e.g. "delivery.late" */
    const char *touchpoint;  /* touchpoint id, e.g. "delivery" */
    const char *phase;       /* "before", "during" or "after"; "" for the catch-all
                                "other" theme when the export's touchpoint is unknown */
    double sentiment;        /* [-1, 1]: the opinions of its clause, each shared among the
                                clause's mentions by closeness (docs/themes.md); when the
                                taxonomy declares a `model:`, p(pos) - p(neg) of that model */
    tema_label label;        /* its label (with a model: its most probable class) */
    size_t start;            /* byte span of the matched words in the input */
    size_t end;
    unsigned implicit;       /* 1 when an implicit-complaint phrase made it negative */
} tema_mention;

/* Number of theme mentions in the last comment. */
TEMA_API size_t tema_doc_mention_count(const tema_doc *doc);

/* Fills '*m' with mention 'i' (in text order).  TEMA_ERR_MISUSE when out of range.
 * A comment with an opinion (non-neutral label) that matches no theme gets
 * one mention of "other.before", "other.during" or "other.after" (from the
 * touchpoint in tema_analyze_opts), or "other" when that is unknown; its
 * span is the whole comment. */
TEMA_API tema_status tema_doc_mention(const tema_doc *doc, size_t i, tema_mention *m);

/* One theme of the loaded taxonomy.  Strings are owned by the engine and
 * valid until tema_engine_free(). */
typedef struct tema_theme_info {
    const char *id;          /* "delivery.late" */
    const char *parent;      /* "delivery"; NULL for a top-level theme */
    const char *touchpoint;  /* own or inherited touchpoint id */
    const char *phase;       /* "before", "during", "after" ("" for "other") */
    const char *label;       /* label in the language asked for, else the English one */
    size_t words;            /* single-word terms, summed over languages */
    size_t phrases;          /* multiword terms */
    size_t parts;            /* compound parts */
    size_t excludes;         /* exclusions */
    size_t complaints;       /* implicit-complaint phrases */
    size_t near;             /* near (A ~N B) and not (A !B) rules */
    size_t regex;            /* PCRE2 patterns */
    int builtin;             /* 1 for the "other" themes the engine adds itself */
} tema_theme_info;

/* Number of themes in the engine's taxonomy (0 with TEMA_OPT_NO_THEMES). */
TEMA_API size_t tema_theme_count(const tema_engine *engine);

/* Fills '*info' with theme 'i' (0-based, load order), its label in
 * 'label_lang' (TEMA_LANG_UND or a missing label: English).
 * TEMA_ERR_MISUSE when 'i' is out of range.  Thread-safe. */
TEMA_API tema_status tema_theme_get(const tema_engine *engine, size_t i, tema_lang label_lang,
                                    tema_theme_info *info);

/* Maps a value of an export's touchpoint column ("Kundtjänst", "Levering",
 * " delivery ") to a touchpoint id through the taxonomy's aliases
 * (case-insensitive, after normalisation, surrounding blanks ignored); a
 * value that is itself a touchpoint id also matches.  '*touchpoint' is owned
 * by 'engine' and valid until tema_engine_free().  TEMA_ERR_NOTFOUND when
 * nothing matches.  'text' is not retained after the call returns. */
TEMA_API tema_status tema_touchpoint_from_alias(const tema_engine *engine, const char *text,
                                                size_t len, const char **touchpoint);

/* ------------------------------------------------------------------ */
/* Personal data                                                      */
/* ------------------------------------------------------------------ */

typedef enum tema_pii_kind {
    TEMA_PII_EMAIL = 0,  /* e-mail address */
    TEMA_PII_PHONE,      /* phone number */
    TEMA_PII_ID,         /* personnummer, CPR number, fødselsnummer */
    TEMA_PII_CARD,       /* payment card number (Luhn-valid) */
    TEMA_PII_IBAN,       /* IBAN (mod-97-valid) */
    TEMA_PII_NAME,       /* a name after a greeting or sign-off */
    TEMA_PII_UNCHECKED,  /* the rest of a text after a search stopped by the regex limits */
    TEMA_PII_KIND_COUNT
} tema_pii_kind;

/* One piece of personal data in a text. */
typedef struct tema_pii_span {
    size_t start;        /* byte offsets in the text given to tema_doc_redact() */
    size_t end;
    tema_pii_kind kind;  /* what it is */
} tema_pii_span;

/* The replacement text for 'kind': "[EMAIL]", "[PHONE]", "[ID]", "[CARD]",
 * "[IBAN]", "[NAME]", "[REDACTED]".  Static. */
TEMA_API const char *tema_pii_tag(tema_pii_kind kind);

/* Finds personal data in 'text' and writes a copy with each piece replaced
 * by its tag.  Numbers are redacted only when their checksum or format says
 * they are what they look like, so order numbers, dates, prices and
 * postcodes stay.  Independent of tema_doc_analyze(): analysis always runs
 * on the original text.  '*out' (NUL-terminated, '*out_len' bytes) is owned
 * by 'doc' and valid until the next tema_doc_redact() or tema_doc_free().
 * TEMA_ERR_MISUSE for an engine created with TEMA_OPT_TEXT_ONLY. */
TEMA_API tema_status tema_doc_redact(tema_doc *doc, const char *text, size_t len, const char **out,
                                     size_t *out_len);

/* Regex searches stopped by the PCRE2 match or depth limit during the last
 * tema_doc_analyze() (taxonomy regex rules) and the last tema_doc_redact()
 * (personal-data patterns).  Each stopped search skipped one rule for that
 * comment; the analysis went on.  Batch runs count them as warnings. */
TEMA_API size_t tema_doc_regex_stops(const tema_doc *doc);

/* Number of spans the last tema_doc_redact() found. */
TEMA_API size_t tema_doc_pii_count(const tema_doc *doc);

/* Fills '*span' with span 'i' (in text order).  TEMA_ERR_MISUSE when out of range. */
TEMA_API tema_status tema_doc_pii(const tema_doc *doc, size_t i, tema_pii_span *span);

/* ------------------------------------------------------------------ */
/* Dates                                                              */
/* ------------------------------------------------------------------ */

/* Parses a date as exports write it and stores it as "YYYY-MM-DD" plus a
 * NUL in 'out'.  Accepted: ISO 8601 dates and date-times (2026-04-03,
 * 2026-04-03T14:22:05Z, 2026-04-03 14:22), day-first dates with '.', '-' or
 * '/' (3.4.2026, 03-04-2026, 03/04/2026) and 2026/04/03.  Two-digit years,
 * month-first dates and impossible dates (2026-02-30) give TEMA_ERR_PARSE.
 * 'text' is not retained after the call returns.  Thread-safe. */
TEMA_API tema_status tema_date_parse(const char *text, size_t len, char out[11]);

/* ------------------------------------------------------------------ */
/* Reading exports                                                    */
/* ------------------------------------------------------------------ */

/* Readers stream the rows of a survey, CRM or support-system export one
 * record at a time with bounded memory: CSV (RFC 4180, as Excel writes it),
 * TSV, JSON Lines and JSON arrays of records, optionally gzip-compressed,
 * in UTF-8, Windows-1252 or Latin-1.  docs/input.md gives the detection rules, limits and messages.
 *
 * A reader is not thread-safe; use one per thread.  Bad rows do not stop
 * the stream: tema_reader_next() returns TEMA_ERR_ROW for them and the next
 * call continues with the following record. */

typedef struct tema_reader tema_reader;

/* Input formats. */
typedef enum tema_format {
    TEMA_FORMAT_AUTO = 0,  /* by file extension, else by content (docs/input.md) */
    TEMA_FORMAT_CSV,       /* RFC 4180 comma-separated values (any one-byte delimiter) */
    TEMA_FORMAT_TSV,       /* tab-separated, no quoting, \t \n \r \\ \N escapes */
    TEMA_FORMAT_JSONL,     /* JSON Lines: one object per line */
    TEMA_FORMAT_JSON       /* one JSON document: an array of objects, or an object with
                              such an array as a member (see 'records'); streamed */
} tema_format;

/* Character encodings of the input; everything is UTF-8 after reading. */
typedef enum tema_encoding {
    TEMA_ENC_UTF8 = 0,     /* UTF-8; invalid sequences are counted, not rejected */
    TEMA_ENC_CP1252,       /* Windows-1252, transcoded to UTF-8 (undefined bytes -> U+FFFD) */
    TEMA_ENC_LATIN1,       /* ISO-8859-1, transcoded to UTF-8 */
    TEMA_ENC_UTF16LE,      /* UTF-16 little-endian (Excel "Unicode Text"), transcoded to
                              UTF-8; unpaired surrogates and an odd last byte -> U+FFFD */
    TEMA_ENC_UTF16BE,      /* UTF-16 big-endian, transcoded the same way */
    TEMA_ENC_UTF16         /* UTF-16 in the byte order its byte order mark gives; a file
                              without one fails to open */
} tema_encoding;

#define TEMA_READER_OPTS_VERSION 2

/* Reader settings.  Initialise with tema_reader_opts_init(), then set
 * fields.  A limit of 0 means its default. */
typedef struct tema_reader_opts {
    unsigned version;        /* TEMA_READER_OPTS_VERSION */
    tema_format format;      /* TEMA_FORMAT_AUTO by default */
    char delimiter;          /* CSV field delimiter; 0 takes it from a "sep=" first line,
                                else detects it among , ; TAB | */
    tema_encoding encoding;  /* TEMA_ENC_UTF8 by default; a byte order mark decides
                                (docs/input.md) */
    size_t max_field;        /* bytes in one field (default 65536) */
    size_t max_columns;      /* fields in one record (default 1024) */
    size_t max_record;       /* bytes in one record (default 1048576) */
    const char *records;     /* JSON document that is an object: the member holding the
                                records, a dotted path for deeper ones ("data.items");
                                NULL takes the first member that is an array of objects.
                                Given with TEMA_FORMAT_AUTO, input starting with '{' is
                                read as one JSON document.  (Version 2; a version 1
                                struct, without it, is still accepted.) */
} tema_reader_opts;

/* Sets 'opts' to the defaults. */
TEMA_API void tema_reader_opts_init(tema_reader_opts *opts);

/* Opens the export at 'path' ("-" reads standard input), detects gzip,
 * format and delimiter, and reads the header (for JSON Lines and JSON: the
 * keys of the first valid object, nested ones as dotted paths).  On success '*out' is the reader.  On failure
 * other than TEMA_ERR_NOMEM and TEMA_ERR_MISUSE '*out' is still a reader
 * whose tema_reader_errmsg() says what went wrong; the caller closes it
 * either way with tema_reader_close().  Errors: TEMA_ERR_IO (cannot open or
 * read), TEMA_ERR_PARSE (corrupt gzip, a byte order mark that contradicts
 * the requested encoding or TEMA_ENC_UTF16 without one, no header, a header
 * that breaks a limit or is not a valid record), TEMA_ERR_MISUSE (bad
 * 'opts').  'path' and 'opts' (may be NULL for defaults) are not retained
 * after the call returns. */
TEMA_API tema_status tema_reader_open(const char *path, const tema_reader_opts *opts,
                                      tema_reader **out);

/* Closes 'reader' and the file it reads.  Accepts NULL. */
TEMA_API void tema_reader_close(tema_reader *reader);

/* The format in use (never TEMA_FORMAT_AUTO after a successful open). */
TEMA_API tema_format tema_reader_format(const tema_reader *reader);

/* The field delimiter in use: detected or given for CSV, '\t' for TSV, 0
 * for JSON Lines. */
TEMA_API char tema_reader_delimiter(const tema_reader *reader);

/* The delimiter named by a "sep=" line the input starts with (after a byte
 * order mark), or 0 when it has none.  Excel reads such a line ("sep=;",
 * also quoted: "sep=;") as its delimiter hint; the reader skips it (the
 * header is on line 2) and uses its delimiter unless 'opts.delimiter' gave
 * one, which wins (compare with tema_reader_delimiter()).  docs/input.md
 * gives the rules.  CSV and TSV only; TSV always splits at TAB. */
TEMA_API char tema_reader_sep_line(const tema_reader *reader);

/* For TEMA_FORMAT_JSON: the dotted path of the member the records come
 * from ("responses", "data.items"), or "" for a top-level array; NULL for
 * the other formats.  Owned by 'reader'; valid until tema_reader_close(). */
TEMA_API const char *tema_reader_records(const tema_reader *reader);

/* The encoding the input is read in: the requested one, or the one its
 * byte order mark gives (TEMA_ENC_UTF8, TEMA_ENC_UTF16LE or
 * TEMA_ENC_UTF16BE); never TEMA_ENC_UTF16 after a successful open. */
TEMA_API tema_encoding tema_reader_encoding(const tema_reader *reader);

/* The number of columns in the header. */
TEMA_API size_t tema_reader_columns(const tema_reader *reader);

/* The name of column 'i' (0-based) as a NUL-terminated UTF-8 string, or
 * NULL when 'i' is out of range.  Owned by 'reader'; valid until
 * tema_reader_close(). */
TEMA_API const char *tema_reader_column_name(const tema_reader *reader, size_t i);

/* Finds the column named 'name' ('len' bytes): an exact match first, then
 * one that differs only in ASCII case.  Sets '*index' and returns TEMA_OK,
 * or TEMA_ERR_NOTFOUND.  When two or more columns match by the rule that
 * found one (exports do repeat names: "id,Comment,Comment"), returns
 * TEMA_ERR_AMBIGUOUS with '*index' set to the first of them: picking one
 * silently could analyse the wrong text.  'name' is not retained after the
 * call returns. */
TEMA_API tema_status tema_reader_column_index(const tema_reader *reader, const char *name,
                                              size_t len, size_t *index);

/* Why a row was rejected. */
typedef enum tema_reject {
    TEMA_REJECT_NONE = 0,          /* the row is fine */
    TEMA_REJECT_FEWER_FIELDS,      /* fewer fields than the header */
    TEMA_REJECT_MORE_FIELDS,       /* more fields than the header */
    TEMA_REJECT_UNTERMINATED_QUOTE,/* a quoted field runs to the end of the input */
    TEMA_REJECT_FIELD_TOO_LONG,    /* a field is longer than max_field */
    TEMA_REJECT_TOO_MANY_COLUMNS,  /* more than max_columns fields */
    TEMA_REJECT_RECORD_TOO_LONG,   /* the record is longer than max_record (skipped) */
    TEMA_REJECT_JSON_SYNTAX,       /* a JSON Lines line or array element is not valid JSON */
    TEMA_REJECT_JSON_NOT_OBJECT    /* ... is valid JSON but not an object */
} tema_reject;

/* The short code of 'reason' ("fewer-fields", "json-syntax", ...), as it
 * appears in messages.  Static string. */
TEMA_API const char *tema_reject_name(tema_reject reason);

/* One field of a record. */
typedef struct tema_field {
    const char *ptr;  /* the field's bytes, followed by a NUL (fields may contain NUL too) */
    size_t len;       /* bytes, without the NUL */
} tema_field;

/* One record.  Every pointer is owned by the reader and valid until the
 * next tema_reader_next() or tema_reader_close() on it. */
typedef struct tema_record {
    const tema_field *fields; /* tema_reader_columns() fields in header order on TEMA_OK;
                                 NULL on TEMA_ERR_ROW (nothing is padded or truncated) */
    size_t nfields;           /* number of 'fields' (0 on TEMA_ERR_ROW) */
    uint64_t line;            /* 1-based physical line where the record starts */
    const char *raw;          /* the record as read (after gzip and encoding conversion),
                                 without its final line break, for a rejects file; empty
                                 for TEMA_REJECT_RECORD_TOO_LONG */
    size_t raw_len;           /* bytes in 'raw' */
    tema_reject reject;       /* TEMA_REJECT_NONE on TEMA_OK, else the reason */
    size_t column;            /* 1-based field the rejection concerns; 0 for the whole row */
} tema_record;

/* Reads the next record into '*rec'.  Returns TEMA_OK (a good row),
 * TEMA_DONE (end of input), TEMA_ERR_ROW (the row was rejected: '*rec'
 * has its line, raw bytes and reason, tema_reader_errmsg() the message
 * "file:line:column: text [code]"; the next call continues), or a fatal
 * error (TEMA_ERR_IO, TEMA_ERR_PARSE for corrupt gzip data, TEMA_ERR_NOMEM),
 * after which every call returns the same error.  Blank lines are skipped
 * and not counted as rows. */
TEMA_API tema_status tema_reader_next(tema_reader *reader, tema_record *rec);

/* The message of the last rejected row or failure ("" if none).  Owned by
 * 'reader'; valid until the next call on it or tema_reader_close(). */
TEMA_API const char *tema_reader_errmsg(const tema_reader *reader);

/* Counters for the run summary. */
typedef struct tema_reader_stats {
    uint64_t rows;           /* records returned: ok + rejected */
    uint64_t ok;             /* TEMA_OK records */
    uint64_t rejected;       /* TEMA_ERR_ROW records */
    uint64_t blank_lines;    /* blank lines skipped */
    uint64_t bytes_in;       /* bytes read from the file (compressed size for gzip) */
    uint64_t invalid_utf8;   /* invalid UTF-8 sequences in the records returned */
    uint64_t cp1252_like;    /* of those, single bytes 0x80-0xFF next to an ASCII letter */
    int looks_cp1252;        /* 1 when most invalid sequences look like Windows-1252
                                (suggest --encoding cp1252) */
    uint64_t lenient_quotes; /* CSV: stray quotes kept as text (docs/input.md) */
    uint64_t extra_keys;     /* JSON Lines: keys not in the header, ignored */
    int gzip;                /* 1 when the input was gzip-compressed */
    uint64_t invalid_utf16;  /* UTF-16 input: unpaired surrogates and an odd last byte,
                                each replaced by U+FFFD while decoding */
} tema_reader_stats;

/* Copies the counters of 'reader' into '*stats'. */
TEMA_API void tema_reader_get_stats(const tema_reader *reader, tema_reader_stats *stats);

/* Bytes of a content hash, including its NUL. */
#define TEMA_HASH_SIZE 42

/* Writes the content hash of the bytes 'reader' has read from its file so
 * far into 'out': "crc32-fnv64-size" in lower-case hex (zlib's CRC-32,
 * 64-bit FNV-1a and the byte count of the file as stored, compressed for
 * gzip), e.g. "e8b7be43-af63dc4c8601ec8c-1" for the one-byte file "a".  It identifies the whole
 * export once tema_reader_next() has returned TEMA_DONE; this is what the
 * store uses to recognise a re-run of the same input (docs/store.md).  Not
 * a security hash. */
TEMA_API void tema_reader_content_hash(const tema_reader *reader, char out[TEMA_HASH_SIZE]);

/* Writes the content hash of the file at 'path' into 'out': the same value
 * tema_reader_content_hash() gives once a reader has read that file whole.
 * It lets a caller recognise an input that is already stored before
 * analysing it (one fast extra read of the file).  TEMA_ERR_IO when the file
 * cannot be opened or read; TEMA_ERR_MISUSE, without reading, when it is not
 * a regular file (a pipe or FIFO would be consumed). */
TEMA_API tema_status tema_file_content_hash(const char *path, char out[TEMA_HASH_SIZE]);

/* Plain text, one item per line (a comment, a word), read through the same
 * input layer as the readers: gzip by its magic bytes, a byte order mark
 * dropped (UTF-16 transcoded), and 'encoding' as for
 * tema_reader_opts.encoding, so a line is always UTF-8.  A line ends at LF;
 * a CR before the LF (and a CR ending the input) is not part of it, and the
 * last line may have no line break.  Lines are returned as they are: empty
 * ones too, nothing is trimmed or split.  Memory grows to about twice the
 * longest line, never the file.  docs/input.md ("One comment per line").
 * Not thread-safe; use one per thread. */
typedef struct tema_lines tema_lines;

/* Opens 'path' ("-" reads standard input) and reads its first bytes, so a
 * byte order mark that contradicts 'encoding' (or TEMA_ENC_UTF16 without
 * one) fails here.  On failure other than TEMA_ERR_MISUSE and a failed
 * allocation of the handle itself, '*out' is still a handle whose
 * tema_lines_errmsg() says what went wrong; close it either way with
 * tema_lines_close().  Errors: TEMA_ERR_IO (cannot open or read),
 * TEMA_ERR_PARSE (corrupt gzip, a contradicting byte order mark),
 * TEMA_ERR_NOMEM, TEMA_ERR_MISUSE (NULL 'path' or 'out', unknown
 * 'encoding').  'path' is not retained after the call returns. */
TEMA_API tema_status tema_lines_open(const char *path, tema_encoding encoding, tema_lines **out);

/* The next line in '*line' and '*len' (bytes, without the line break; the
 * line is followed by a NUL, and may contain NUL bytes too).  Returns TEMA_OK,
 * TEMA_DONE at the end of the input, or a fatal error (TEMA_ERR_IO,
 * TEMA_ERR_PARSE for corrupt gzip data, TEMA_ERR_NOMEM) that every later
 * call returns again.  Owned by 'lines'; valid until the next call on
 * 'lines' or tema_lines_close(). */
TEMA_API tema_status tema_lines_next(tema_lines *lines, const char **line, size_t *len);

/* The message of the last failure, "<path>: <reason>" ("" if none).  Owned
 * by 'lines'; valid until the next call on it or tema_lines_close(). */
TEMA_API const char *tema_lines_errmsg(const tema_lines *lines);

/* The encoding the input is read in: the requested one, or the one its
 * byte order mark gives; never TEMA_ENC_UTF16 after a successful open. */
TEMA_API tema_encoding tema_lines_encoding(const tema_lines *lines);

/* Closes 'lines' and the file it reads (not standard input).  Accepts NULL. */
TEMA_API void tema_lines_close(tema_lines *lines);

/* Survey tools whose exports carry extra header rows under the header. */
typedef enum tema_survey_tool {
    TEMA_SURVEY_PLAIN = 0,     /* no extra header rows recognised */
    TEMA_SURVEY_QUALTRICS,     /* row 2 question texts, row 3 {"ImportId":...} objects */
    TEMA_SURVEY_SURVEYMONKEY   /* row 2 sub-labels ("Open-Ended Response", "Response") */
} tema_survey_tool;

/* Decides whether the first records after the header of an export are
 * extra header rows of a survey tool (docs/input.md, "Survey-tool
 * exports").  'row2' ('n2' fields) is the first record after the header
 * and 'row3' ('n3' fields) the one after it; pass NULL and 0 for a record
 * that is missing or was rejected.  'text_column' is the 0-based comment
 * column, or SIZE_MAX when it is not known yet.  Qualtrics: every non-empty
 * field of 'row3' is a JSON object with an "ImportId" key; '*skip' is 2.
 * SurveyMonkey: the text column's field of 'row2' (any field when unknown)
 * is exactly "Open-Ended Response" or "Response", every non-empty field is
 * at most 60 bytes of one line without digits, and some field is empty or
 * "Open-Ended Response"; '*skip' is 1.  Otherwise TEMA_SURVEY_PLAIN and 0.
 * Sets '*tool' and '*skip'; TEMA_ERR_MISUSE when either is NULL or a row
 * with fields is NULL.  The rows are not retained after the call returns.
 * Thread-safe. */
TEMA_API tema_status tema_survey_header_rows(const tema_field *row2, size_t n2,
                                             const tema_field *row3, size_t n3,
                                             size_t text_column, tema_survey_tool *tool,
                                             size_t *skip);

/* The name of 'tool' ("Qualtrics", "SurveyMonkey", "plain").  Static
 * string. */
TEMA_API const char *tema_survey_tool_name(tema_survey_tool tool);

/* ------------------------------------------------------------------ */
/* The store                                                          */
/* ------------------------------------------------------------------ */

/* The store is the SQLite database that `tema analyze` writes and the
 * reports read; its schema is documented in docs/store.md. */
typedef struct tema_store tema_store;

/* Store flags: a bitmask, 0 (read-only) by default. */
#define TEMA_STORE_READ 0
/* Open read-write, creating the file and the schema when they are missing. */
#define TEMA_STORE_WRITE (1u << 0)
/* Open an existing store for reading, but write when the file allows it so
 * that the reports can keep their summary table ("rollup", docs/store.md) up
 * to date; on a read-only file they read and answer from the base tables. */
#define TEMA_STORE_CACHE (1u << 1)

/* Opens the store at 'path' (not retained after the call returns).
 * Read-only by default: the file must exist (TEMA_ERR_NOTFOUND otherwise)
 * and hold schema version 1 (TEMA_ERR_STORE otherwise, also for a file that
 * is not a tema store).  With TEMA_STORE_WRITE the file and schema are
 * created when missing.  On success '*out' is the store.  On failure other
 * than TEMA_ERR_NOMEM (where '*out' is NULL) '*out' is still a handle whose
 * tema_store_errmsg() says what went wrong; the caller closes it either way
 * with tema_store_close().  One handle per thread. */
TEMA_API tema_status tema_store_open(const char *path, unsigned flags, tema_store **out);

/* The detailed message of the last failure on 'store' ("" if none), e.g.
 * "tema.db: No such file or directory".  Owned by 'store'; valid until the
 * next failing call on it or tema_store_close(). */
TEMA_API const char *tema_store_errmsg(const tema_store *store);

/* Closes 'store' and frees it.  Accepts NULL. */
TEMA_API void tema_store_close(tema_store *store);

/* Writing runs.  A run is one transaction:
 *
 *     tema_store_run_begin()                       once
 *     tema_store_run_input()  tema_store_run_comment()   in any order, any number
 *     tema_store_run_finish() (commit)  or  tema_store_run_abort() (roll back)
 *
 * Until tema_store_run_finish() returns TEMA_OK nothing of the run is
 * visible to other connections, and a process that dies mid-run leaves the
 * store as it was.  Comments are inserted with prepared statements; the
 * store runs with a 16 MiB page cache, the rollback journal and
 * synchronous=NORMAL during the run (docs/store.md). */

/* Run flags: a bitmask, 0 by default. */
#define TEMA_RUN_DEFAULT 0
/* An input whose content hash is already in the store replaces the earlier
 * run's comments for it instead of refusing the run (docs/store.md). */
#define TEMA_RUN_REPLACE (1u << 0)

/* Starts a run: begins the transaction and creates its row in 'runs'.
 * 'options_json' is the JSON object stored in runs.options (NULL for
 * "{}").  Errors: TEMA_ERR_MISUSE (read-only store, a run already open),
 * TEMA_ERR_STORE (the database is locked or not writable; see
 * tema_store_errmsg()).  'options_json' is not retained after the call
 * returns. */
TEMA_API tema_status tema_store_run_begin(tema_store *store, const char *options_json,
                                          unsigned flags);

/* The run_id of the open run, or 0 when no run is open. */
TEMA_API int64_t tema_store_run_id(const tema_store *store);

/* Looks up 'content_hash' among the inputs of committed runs (and of the
 * open run).  Returns the id of the earliest run holding it and writes its
 * path into 'path' ('cap' bytes, truncated), 0 when no run has it, or -1 on
 * a database error (tema_store_errmsg()).  tema analyze uses it to refuse a
 * re-run before analysing anything. */
TEMA_API int64_t tema_store_find_input(tema_store *store, const char *content_hash, char *path,
                                       size_t cap);

/* Records an input file of the open run: 'path' as given on the command
 * line ("-" for standard input), its 'size' in bytes as stored and its
 * 'content_hash' (tema_reader_content_hash()).  The same 'path' twice in
 * one run is TEMA_ERR_MISUSE.  Not retained after the call returns. */
TEMA_API tema_status tema_store_run_input(tema_store *store, const char *path, uint64_t size,
                                          const char *content_hash);

/* A segment column value of a comment (--segment-column). */
typedef struct tema_store_segment {
    const char *name;   /* column name as in the header, NUL-terminated */
    const char *value;  /* the row's value (need not be NUL-terminated) */
    size_t value_len;   /* bytes in 'value' */
} tema_store_segment;

/* One analysed comment for tema_store_run_comment().  Zero-initialise, then
 * set what the export has; text fields are (pointer, length) and must be
 * valid UTF-8.  A NULL pointer stores SQL NULL. */
typedef struct tema_store_comment {
    const char *source;             /* input path, NUL-terminated (required) */
    uint64_t line;                  /* physical line where the record starts */
    const char *ext_id;             /* the export's id, or NULL */
    size_t ext_id_len;              /* bytes in 'ext_id' */
    const char *date;               /* "YYYY-MM-DD" (tema_date_parse()), or NULL */
    const char *touchpoint_raw;     /* the export's touchpoint value, or NULL */
    size_t touchpoint_raw_len;      /* bytes in 'touchpoint_raw' */
    const char *touchpoint;         /* that value mapped to a taxonomy touchpoint id,
                                       NUL-terminated, or NULL; mentions take it as
                                       their touchpoint when set */
    const char *score_type;         /* "nps", "csat", "ces", or NULL (no score column) */
    int has_score;                  /* 1 when 'score' holds a value */
    double score;                   /* the score, when 'has_score' */
    const char *text;               /* the text to store (redacted unless --keep-pii) */
    size_t text_len;                /* bytes in 'text' */
    const tema_store_segment *segments; /* segment values, or NULL */
    size_t nsegments;               /* number of 'segments' */
    /* Analysis results, used only when tema_store_run_comment() gets no doc
     * (a caller that analysed on another thread keeps them here): */
    tema_lang lang;                 /* language of the comment */
    double sentiment;               /* comment sentiment, [-1, 1] */
    tema_label label;               /* its label */
    const tema_mention *mentions;   /* theme mentions in text order, or NULL */
    size_t nmentions;               /* number of 'mentions' */
} tema_store_comment;

/* Adds one comment to the open run, with its segments and theme mentions.
 * With a 'doc' the language, sentiment, label and mentions come from its
 * last tema_doc_analyze(); with NULL they come from 'c'.  Errors:
 * TEMA_ERR_MISUSE (no run open, NULL 'c' or 'c->source'), TEMA_ERR_STORE.
 * Nothing is retained after the call returns.  No allocation per call. */
TEMA_API tema_status tema_store_run_comment(tema_store *store, const tema_store_comment *c,
                                            const tema_doc *doc);

/* Totals of a run for its row in 'runs'. */
typedef struct tema_run_counts {
    uint64_t rows_read;      /* = rows_analysed + rows_rejected */
    uint64_t rows_analysed;  /* comments stored */
    uint64_t rows_rejected;  /* rows written to the rejects file */
    uint64_t warnings;       /* warnings of every kind */
} tema_run_counts;

/* Finishes the open run and commits it.  First every input of the run is
 * looked up by content hash: an input already stored by an earlier run (or
 * given twice in this run) makes the run fail with TEMA_ERR_EXISTS and roll
 * back, and tema_store_errmsg() names the input and the earlier run; with
 * TEMA_RUN_REPLACE the earlier run's comments for that input (and its
 * 'inputs' row, and the run itself once it has no inputs left) are deleted
 * instead.  On any error the run is rolled back and no run is open
 * afterwards.  'counts' is not retained after the call returns. */
TEMA_API tema_status tema_store_run_finish(tema_store *store, const tema_run_counts *counts);

/* Rolls the open run back; nothing of it stays in the store.  A no-op
 * when no run is open.  Safe to call after any failure. */
TEMA_API void tema_store_run_abort(tema_store *store);

/* ------------------------------------------------------------------ */
/* Reports                                                            */
/* ------------------------------------------------------------------ */

/* Reports read the store and compute, for the comments in scope (those the
 * filters of tema_report_opts select):
 *
 *   tema_top()      touchpoints ranked by complaints, and within each the
 *                   irritant themes, with shares, intervals, scores, quotes
 *                   and trends;
 *   tema_scores()   NPS, CSAT and CES overall and per group;
 *   tema_drivers()  each theme's association with a score.
 *
 * Definitions (docs/reports.md has the worked examples):
 *   - A theme or touchpoint is "mentioned" by a comment with at least one
 *     mention row of it, and "complained about" by a comment with at least
 *     one negative mention row of it.  Both count comments, not rows, so a
 *     comment that names late delivery twice is one complaint.
 *   - Complaint share = complaints / comments in scope, with a 95% Wilson
 *     score interval.  The denominator is every comment in scope, so shares
 *     of different touchpoints compare directly.
 *   - Scores are rounded to the nearest integer and counted on their scale:
 *     NPS 0-10, CSAT 1-5, CES 1-7 (or 1-5); others are ignored.
 *
 * The reports are plain data, owned by the report object and freed with it.
 * Reading the same store from several threads needs one tema_store each. */

/* Score scales. */
typedef enum tema_score_type {
    TEMA_SCORE_NONE = 0,  /* no score */
    TEMA_SCORE_NPS,       /* Net Promoter Score: 0-10 */
    TEMA_SCORE_CSAT,      /* customer satisfaction: 1-5 */
    TEMA_SCORE_CES,       /* customer effort: 1-7 (or 1-5) */
    TEMA_SCORE_TYPE_COUNT
} tema_score_type;

/* "nps", "csat", "ces" (the score_type values of the store), or "". Static. */
TEMA_API const char *tema_score_type_name(tema_score_type type);

/* Time buckets of a trend. */
typedef enum tema_period {
    TEMA_PERIOD_NONE = 0,  /* no trend */
    TEMA_PERIOD_MONTH,     /* "2025-03" */
    TEMA_PERIOD_QUARTER,   /* "2025-Q1" */
    TEMA_PERIOD_WEEK       /* ISO 8601 week, "2025-W09" */
} tema_period;

/* What tema_scores() groups by. */
typedef enum tema_group_by {
    TEMA_BY_NONE = 0,      /* overall only */
    TEMA_BY_TOUCHPOINT,    /* every touchpoint a comment mentions or was mapped to */
    TEMA_BY_SEGMENT,       /* the values of segment column 'by_segment' */
    TEMA_BY_PERIOD         /* 'period' buckets of the comment date */
} tema_group_by;

/* The score tema_drivers() explains. */
typedef enum tema_metric {
    TEMA_METRIC_NPS = 0,    /* NPS, per comment +100 / 0 / -100 */
    TEMA_METRIC_CSAT,       /* CSAT %, per comment 100 or 0 */
    TEMA_METRIC_CES,        /* CES as configured (mean or top-box %) */
    TEMA_METRIC_SENTIMENT   /* comment sentiment, [-1, 1] */
} tema_metric;

/* How CES is summarised. */
typedef enum tema_ces_formula {
    TEMA_CES_MEAN = 0,  /* mean score */
    TEMA_CES_TOP_BOX    /* % of responses on the easy side of the midpoint */
} tema_ces_formula;

/* One segment filter: comments whose segment column 'name' is 'value'. */
typedef struct tema_segment_filter {
    const char *name;   /* column name as in the export header */
    const char *value;  /* exact value */
} tema_segment_filter;

#define TEMA_REPORT_OPTS_VERSION 1

/* Report settings.  Initialise with tema_report_opts_init(), then set what
 * you need.  Strings are not retained after the report call returns. */
typedef struct tema_report_opts {
    unsigned version;                      /* TEMA_REPORT_OPTS_VERSION */
    /* Scope: comments that pass every filter set here. */
    const char *lang;                      /* "sv", "da", "no", "en", "und"; NULL: all */
    const char *since;                     /* first date, "YYYY-MM-DD", inclusive; NULL */
    const char *until;                     /* last date, inclusive; NULL */
    const tema_segment_filter *segments;   /* all must match; NULL for none */
    size_t n_segments;                     /* number of 'segments' */
    int64_t run_id;                        /* only this run; 0: all runs */
    /* Rows: which touchpoints and themes are listed (the scope stays). */
    const char *touchpoint;                /* only this touchpoint id; NULL: all */
    const char *theme;                     /* only this theme id; NULL: all */
    size_t min_mentions;                   /* leave out touchpoints and themes mentioned by
                                              fewer comments (0 means 1 for tema_top(),
                                              10 for tema_drivers()) */
    size_t limit;                          /* tema_top(): irritants per touchpoint, 0: all */
    size_t max_examples;                   /* tema_top(): quotes per irritant, at most 3 */
    /* Trend (tema_top()) and grouping (tema_scores()). */
    tema_period period;                    /* split counts by period */
    const char *compare;                   /* tema_top(): compare the latest period with
                                              this one ("2025-Q1"), "" for the one before
                                              the latest; NULL: no comparison */
    tema_group_by by;                      /* tema_scores() groups */
    const char *by_segment;                /* segment column for TEMA_BY_SEGMENT */
    tema_metric metric;                    /* tema_drivers() score */
    /* Score scales (tools disagree, so these are settings). */
    int csat_top;                          /* CSAT counts responses >= this (default 4) */
    int ces_max;                           /* CES scale 1..ces_max: 7 (default) or 5 */
    int ces_lower_better;                  /* 1: low CES = little effort = good */
    tema_ces_formula ces_formula;          /* mean (default) or top-box */
} tema_report_opts;

/* Sets 'opts' to the defaults: everything in scope, 5 irritants per
 * touchpoint, 3 quotes, no trend, CSAT top-2 box, CES mean on 1-7 where
 * higher is better. */
TEMA_API void tema_report_opts_init(tema_report_opts *opts);

/* A score summary over a set of comments. */
typedef struct tema_score_summary {
    tema_score_type type;  /* the scale summarised (TEMA_SCORE_NONE: no scores) */
    size_t n;              /* responses with a valid score on that scale */
    double value;          /* NPS -100..100; CSAT %; CES mean or top-box %; NAN when n = 0 */
    double moe95;          /* 95% margin of error, +/- in the unit of 'value'; NAN when n < 2 */
    size_t promoters;      /* NPS 9-10; CSAT >= csat_top; CES easy side of the midpoint */
    size_t passives;       /* NPS 7-8; CSAT 0; CES the midpoint */
    size_t detractors;     /* NPS 0-6; CSAT below csat_top; CES the hard side */
} tema_score_summary;

/* Counts of one period (tema_top() with a 'period'). */
typedef struct tema_trend_point {
    size_t complaints;  /* comments in the period complaining */
    size_t mentions;    /* comments in the period mentioning */
    size_t comments;    /* comments in scope in the period */
} tema_trend_point;

/* The change of a complaint share between two periods. */
typedef struct tema_trend_change {
    double share;       /* share in the latest period (NAN without comments) */
    double prev_share;  /* share in the compared period (NAN without comments) */
    double change;      /* share - prev_share */
    double z;           /* two-proportion z statistic (pooled); NAN when untestable */
    double p;           /* two-sided p-value; NAN when untestable */
    int flag;           /* +1 significant rise, -1 significant fall (p < 0.05), else 0 */
} tema_trend_change;

/* One quote. */
typedef struct tema_example {
    const char *text;    /* the stored (PII-redacted) comment, NUL-terminated */
    size_t len;          /* bytes in 'text' */
    size_t hl_start;     /* byte span of the mention in 'text'; hl_start == hl_end */
    size_t hl_end;       /*   when it could not be located in the redacted text */
    int64_t comment_id;  /* comments.comment_id */
    double sentiment;    /* the mention's sentiment */
} tema_example;

/* A touchpoint or an irritant theme of tema_top(). */
typedef struct tema_top_item {
    const char *id;                   /* touchpoint id ("delivery") or theme id */
    size_t complaints;                /* comments in scope complaining about it */
    size_t mentions;                  /* comments in scope mentioning it */
    size_t comments;                  /* comments in scope (the share's denominator) */
    size_t mention_rows;              /* mention rows (a comment may have several) */
    double share;                     /* complaints / comments (NAN when comments = 0) */
    double share_lo;                  /* 95% Wilson interval of 'share' */
    double share_hi;
    double sentiment;                 /* mean sentiment of its mention rows */
    tema_score_summary with_score;    /* the report's score, comments mentioning it */
    tema_score_summary without_score; /* the same, comments in scope not mentioning it */
    const tema_example *examples;     /* irritants: negative quotes, most negative first */
    size_t n_examples;
    const tema_trend_point *trend;    /* one per report period (NULL without 'period') */
    tema_trend_change change;         /* with 'compare' */
    const struct tema_top_item *irritants; /* touchpoints: their themes by complaints */
    size_t n_irritants;
} tema_top_item;

/* The result of tema_top(). */
typedef struct tema_top_report {
    size_t comments;                  /* comments in scope */
    tema_score_type score_type;       /* scale of with/without scores: the most common
                                         valid one in scope, or TEMA_SCORE_NONE */
    tema_period period;               /* as requested */
    const char *const *periods;       /* period labels in order, oldest first */
    size_t n_periods;
    const char *current;              /* with 'compare': the latest period */
    const char *previous;             /*   and the period compared with */
    const tema_top_item *touchpoints; /* by complaints, descending; ties by id */
    size_t n_touchpoints;
} tema_top_report;

/* Computes the top irritants.  'opts' may be NULL for the defaults.  On
 * success '*out' is the report; free it with tema_top_free().  On failure
 * '*out' is NULL and tema_store_errmsg() says why (TEMA_ERR_MISUSE for bad
 * options, TEMA_ERR_STORE for the database). */
TEMA_API tema_status tema_top(tema_store *store, const tema_report_opts *opts,
                              tema_top_report **out);

/* Frees a report of tema_top().  Accepts NULL. */
TEMA_API void tema_top_free(tema_top_report *report);

/* One group of tema_scores(). */
typedef struct tema_scores_group {
    const char *key;          /* "all", a touchpoint id, segment value or period */
    size_t comments;          /* comments in the group, scored or not */
    tema_score_summary nps;   /* NPS of the group's NPS responses */
    tema_score_summary csat;  /* CSAT % */
    tema_score_summary ces;   /* CES */
} tema_scores_group;

/* The result of tema_scores(): groups[0] is "all" (the whole scope), then
 * the groups: periods in order, others by comments descending, ties by key. */
typedef struct tema_scores_report {
    const tema_scores_group *groups;
    size_t n_groups;
} tema_scores_report;

/* Computes NPS, CSAT and CES.  Ownership and errors as tema_top(). */
TEMA_API tema_status tema_scores(tema_store *store, const tema_report_opts *opts,
                                 tema_scores_report **out);

/* Frees a report of tema_scores().  Accepts NULL. */
TEMA_API void tema_scores_free(tema_scores_report *report);

/* One theme of tema_drivers(). */
typedef struct tema_driver {
    const char *theme;       /* theme id */
    size_t n;                /* comments in scope mentioning it, with a valid score */
    double score;            /* the metric over those comments */
    double score_without;    /* the metric over the other comments */
    double impact;           /* n·(score − score_all)/(N − n): removing these comments
                                would move the overall score by −impact */
    size_t detractors;       /* its comments on the bad side (NPS 0-6, CSAT below the top
                                box, CES hard side, negative sentiment label) */
    double detractor_share;  /* detractors / all detractors in scope */
    double t;                /* Welch two-sample t, with vs without; NAN if untestable */
    double p;                /* its two-sided p-value */
} tema_driver;

/* The result of tema_drivers(). */
typedef struct tema_drivers_report {
    tema_metric metric;           /* as requested */
    size_t n;                     /* comments in scope with a valid score (N) */
    double score;                 /* the metric over them */
    const tema_driver *drivers;   /* most harmful impact first */
    size_t n_drivers;
} tema_drivers_report;

/* Computes key drivers: an association between themes and a score, not a
 * cause.  Ownership and errors as tema_top(). */
TEMA_API tema_status tema_drivers(tema_store *store, const tema_report_opts *opts,
                                  tema_drivers_report **out);

/* Frees a report of tema_drivers().  Accepts NULL. */
TEMA_API void tema_drivers_free(tema_drivers_report *report);

#ifdef __cplusplus
}
#endif
#endif /* TEMA_H */

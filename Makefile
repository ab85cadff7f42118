# tema: build, test, demo, bench, install.  See README.md.
#
#   make            build/libtema.a and build/tema
#   make test       unit + end-to-end tests (installs missing Debian packages as root)
#   make asan test  the same under AddressSanitizer + UndefinedBehaviorSanitizer (build/asan/)
#   make demo       analyse the bundled sample export and print the top irritants
#   make bench      throughput figures (see docs/performance.md)

PREFIX  ?= /usr/local
CC      ?= cc
VERSION := 0.1.0

# `make asan test` builds a separate tree so sanitizer and release objects never mix.
ifneq ($(filter asan,$(MAKECMDGOALS)),)
  BUILD    ?= build/asan
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  OPT      := -O1 -g
else
  BUILD    ?= build
  SANFLAGS :=
  OPT      ?= -O2 -g
endif

WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wundef -Wvla $(if $(findstring clang,$(CC)),,-Wno-format-truncation)
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DTEMA_VERSION_STRING='"$(VERSION)"' \
           -DTEMA_DATADIR='"$(PREFIX)/share/tema"' -Iengine/include -Iengine/src
CFLAGS  += $(OPT) $(WARN) $(SANFLAGS) -fvisibility=hidden -pthread
LDLIBS  := -lpcre2-8 -lutf8proc -lstemmer -lsqlite3 -lz -lm -pthread
LDFLAGS += $(SANFLAGS)

LIB_SRC := $(sort $(wildcard engine/src/*.c))
CLI_SRC := $(sort $(wildcard engine/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOL_BIN := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
# Compound-splitting word lists, derived from the Debian hunspell dictionaries
# (docs/themes.md).  Always in build/, whatever BUILD is: the content does not
# depend on the compiler flags, and the engine finds them at <data>/build/.
COMPOUND_LISTS := build/compound-sv.txt build/compound-da.txt build/compound-no.txt
HUNSPELL_sv := sv_SE
HUNSPELL_da := da_DK
HUNSPELL_no := nb_NO

.PHONY: all deps test unit e2e demo asan bench install clean fuzz fuzz-smoke train-langid train-sentiment train-aspects valgrind
all: $(BUILD)/libtema.a $(BUILD)/tema $(TOOL_BIN) $(COMPOUND_LISTS)

# Debian package that provides each header the build needs.
DEP_HEADERS := pcre2.h:libpcre2-dev utf8proc.h:libutf8proc-dev libstemmer.h:libstemmer-dev \
               zlib.h:zlib1g-dev cmocka.h:libcmocka-dev sqlite3.h:libsqlite3-dev
# Debian package that provides each hunspell dictionary the compound lists come from.
DEP_DICTS := sv_SE:hunspell-sv da_DK:hunspell-da nb_NO:hunspell-no
deps:
	@missing=""; for hp in $(DEP_HEADERS); do h=$${hp%%:*}; p=$${hp#*:}; \
	  [ -f /usr/include/$$h ] || missing="$$missing $$p"; done; \
	for dp in $(DEP_DICTS); do d=$${dp%%:*}; p=$${dp#*:}; \
	  [ -f /usr/share/hunspell/$$d.dic ] || missing="$$missing $$p"; done; \
	command -v jq >/dev/null 2>&1 || missing="$$missing jq"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null || exit 1; \
	else \
	  echo "deps: missing packages; run as root:"; echo "  apt-get install -y$$missing"; exit 1; \
	fi

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtema.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tema: $(CLI_OBJ) $(BUILD)/libtema.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtema.a $(LDLIBS)

# Unit tests see the private headers: they test modules, not only the public API.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtema.a
	@mkdir -p $(dir $@)
	@echo "LINK $@"
	@$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/libtema.a $(LDLIBS) -lcmocka

$(BUILD)/tools/%: tools/%.c $(wildcard tools/*.h) $(BUILD)/libtema.a
	@mkdir -p $(dir $@)
	@echo "LINK $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libtema.a $(LDLIBS)

build/compound-%.txt: tools/compound-parts.c | $(BUILD)/tools/compound-parts
	@d=/usr/share/hunspell/$(HUNSPELL_$*); \
	  enc=$$(sed -n 's/^SET[[:space:]]*//p' $$d.aff | tr -d '\r'); \
	  echo "GEN $@ from $$d.dic"; \
	  $(BUILD)/tools/compound-parts $* $$d.dic "$${enc:-UTF-8}" $@.tmp && mv $@.tmp $@

# `make asan` alone builds the sanitizer tree; followed by `test` it runs the suite there.
asan: all

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) BUILD=$(BUILD) SANFLAGS="$(SANFLAGS)" OPT="$(OPT)"
	@BUILD=$(BUILD) TEMA_DATA=$(CURDIR) sh tests/run-tests.sh

demo: deps all
	@sh tools/demo.sh $(BUILD)/tema

bench: deps all
	@sh tools/bench.sh $(BUILD)

# The end-to-end tests with every tema command run under valgrind memcheck.
valgrind: deps all
	@command -v valgrind >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq valgrind >/dev/null; }
	@mkdir -p $(BUILD)/valgrind
	@printf '#!/bin/sh\nexec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes $(CURDIR)/$(BUILD)/tema "$$@"\n' > $(BUILD)/valgrind/tema
	@chmod +x $(BUILD)/valgrind/tema
	@ln -sfn $(CURDIR)/$(BUILD)/tools $(BUILD)/valgrind/tools  # tests find their tools beside $$TEMA
	@BUILD=$(BUILD) TEMA_DATA=$(CURDIR) TEMA=$(CURDIR)/$(BUILD)/valgrind/tema TEMA_NO_JIT=1 E2E_ONLY=1 sh tests/run-tests.sh

# Retrains the language model from ../shared/corpora (see models/README.md).
train-langid: all
	@sh tools/train-langid.sh $(BUILD)

# Retrains the sentiment models (sentiment.bin from ../shared/corpora/sentiment,
# sentiment-cx.bin with the project's customer-feedback comments too) and
# prints the held-out figures (see models/README.md, docs/accuracy.md).
# SENTIMENT_MODELS=base or cx rebuilds only one of them.
train-sentiment: all
	@sh tools/train-sentiment.sh $(BUILD) $(or $(SENTIMENT_MODELS),all)

# Retrains the restaurant taxonomy's mention-polarity model from the MAMS
# train split (../shared/corpora/aspects; see models/README.md).
train-aspects: all
	@sh tools/train-aspects.sh $(BUILD)

# libFuzzer targets: the library is rebuilt with clang and coverage instrumentation.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 30
# A fixed seed and input count make the smoke run in CI reproducible: the same
# inputs every time, so it fails only when the code changes.
FUZZ_SEED ?= 1
FUZZ_RUNS ?= 20000
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz:
	@command -v clang >/dev/null 2>&1 && [ -d /usr/lib/llvm-14/lib/clang ] && \
	  ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT="-O1 -g" \
	  SANFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" build/fuzz/libtema.a
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libtema.a
	@echo "FUZZ $@"
	@clang $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< build/fuzz/libtema.a $(LDLIBS)

fuzz-smoke: fuzz
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; work=$$(mktemp -d); \
	  cp -R tests/fuzz/corpus/$$n/. $$work/ 2>/dev/null; \
	  echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
	  TEMA_DATA=$(CURDIR) $$f -seed=$(FUZZ_SEED) -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=0 -artifact_prefix=$$work.crash- $$work >$$work.log 2>&1 || { tail -40 $$work.log; ls $$work.crash-* 2>/dev/null; rm -rf $$work $$work.log; exit 1; }; \
	  grep -m1 -o 'stat::number_of_executed_units: *[0-9]*\|Done [0-9]* runs' $$work.log | tail -1; \
	  rm -rf $$work $$work.log; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/tema
	install -m 755 $(BUILD)/tema $(DESTDIR)$(PREFIX)/bin/tema
	install -m 644 $(BUILD)/libtema.a $(DESTDIR)$(PREFIX)/lib/libtema.a
	install -m 644 engine/include/tema.h $(DESTDIR)$(PREFIX)/include/tema.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' engine/tema.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tema.pc
	cp -R lexicons models $(DESTDIR)$(PREFIX)/share/tema/
	install -d $(DESTDIR)$(PREFIX)/share/tema/build
	install -m 644 $(COMPOUND_LISTS) $(DESTDIR)$(PREFIX)/share/tema/build/

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

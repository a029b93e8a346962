# TMagikarp - build, test and run the daily-recommendation toolkit.
#
# Tools are found, not listed: tools/tm-x.c or tools/tm-x/*.c becomes bin/tm-x.
# SAN=1 builds the same tree with ASan and UBSan into build-san/ and bin-san/.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
SAN ?=

PKGS = libcurl jansson zlib lapacke openblas
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Ilibcommon $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -lcsv -lisal -lm -lpthread

ifeq ($(SAN),1)
B = build-san
BIN = bin-san
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
B = build
BIN = bin
endif

LIB_SRC := $(wildcard libcommon/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB := $(B)/libcommon.a

SINGLE := $(wildcard tools/tm-*.c)
MULTI := $(patsubst %/,%,$(wildcard tools/tm-*/))
TOOLS := $(sort $(notdir $(SINGLE:.c=)) $(notdir $(MULTI)))
TOOL_BINS := $(TOOLS:%=$(BIN)/%)

UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRC:tests/helpers/%.c=$(BIN)/%)

MANS := $(wildcard man/*.1 man/*.5)
HDRS := $(wildcard libcommon/*.h tools/*/*.h tests/unit/*.h)

.PHONY: all deps demo check test bench fuzz install clean
# Keep object files: without this make deletes them as intermediates and
# every build starts over.
.SECONDARY:

all: $(TOOL_BINS) $(UNIT_BINS) $(HELPER_BINS)

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# A tool is one .c file or one folder of them.
.SECONDEXPANSION:
$(BIN)/%: $$(addsuffix .o,$$(addprefix $(B)/,$$(basename $$(wildcard tools/$$*.c tools/$$*/*.c)))) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

$(HELPER_BINS): $(BIN)/%: $(B)/tests/helpers/%.o $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(B)/unit/%: $(B)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

deps:
	@sh tests/deps.sh

# deps first, then a fresh make: the pkg-config flags above are computed
# when make parses this file, which on a new machine is before deps has
# installed the packages they come from.
demo: deps
	@$(MAKE) --no-print-directory all
	@bash pipelines/demo.sh

# The suite, then the same suite under ASan/UBSan, then the fuzzers briefly.
check: deps
	$(MAKE) all
	$(MAKE) SAN=1 all
	@sh tests/run.sh

test: all
	@sh tests/run.sh --plain

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh

FUZZ_SECONDS ?= 300
fuzz: deps
	@$(MAKE) --no-print-directory all
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz.sh

install:
	@$(MAKE) --no-print-directory all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin
	for m in $(MANS); do \
	    s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s; \
	done

clean:
	rm -rf build build-san bin bin-san build-fuzz tests/out

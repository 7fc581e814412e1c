# One non-recursive Makefile for the whole toolkit.
#   make            build bin/flowmeter bin/labeler bin/forest bin/trustee
#   make test       build (warnings are errors) and run tests/run.sh
#   make sanitize   the same tests on an ASan+UBSan build (build/san)
#   make bench      benchmarks against references measured in the same run
#   make demo       the end-to-end demo (scripts/demo.sh)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Each tool directory holds main.c (the CLI) and modules; every other .c in it
# goes into build/lib<tool>.a so unit tests can link the modules without main.
# A directory may add its own rules in <dir>/module.mk.

TOOLS    := flowmeter labeler forest trustee
BUILD    ?= build
BIN      ?= bin
PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
WERROR   ?= -Werror
WARN      = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wcast-qual \
            -Wwrite-strings -Wformat=2 -Wvla -Wundef $(WERROR)
CPPFLAGS += -D_DEFAULT_SOURCE -Icommon -MMD -MP
LDLIBS   += -lpcap -lz -lyaml -llinear -lcrypto -lm -lpthread
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ALL_CFLAGS = $(WARN) $(CFLAGS)

COMMON_SRC := $(filter-out common/fuzz_%.c,$(wildcard common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
LIBCOMMON  := $(BUILD)/libcommon.a

# Tool libraries, in link order (trustee uses forest's model code).
LINK_ORDER := trustee forest labeler flowmeter
TOOL_LIBS  := $(LINK_ORDER:%=$(BUILD)/lib%.a) $(LIBCOMMON)

PROGRAMS := $(TOOLS:%=$(BIN)/%)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
EXTRA_BINS :=

.PHONY: all test sanitize bench demo install clean unit
all: $(PROGRAMS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

define tool_rules
$(1)_SRC := $$(filter-out $(1)/main.c $(1)/fuzz_%.c,$$(wildcard $(1)/*.c))
$(1)_OBJ := $$($(1)_SRC:%.c=$(BUILD)/%.o)
$(BUILD)/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
$(BIN)/$(1): $(BUILD)/$(1)/main.o $(TOOL_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@.tmp $$< $(TOOL_LIBS) $$(LDLIBS) && mv -f $$@.tmp $$@
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

$(BUILD)/tests/unit/%: tests/unit/%.c $(TOOL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TOOL_LIBS) $(LDLIBS)

-include $(wildcard */module.mk datasets/*/module.mk)

# Fuzz targets: <dir>/fuzz_NAME.c defines LLVMFuzzerTestOneInput. Each builds
# as a plain replay program ($(BUILD)/fuzz/fuzz_NAME, driven by
# tests/fuzz/replay.c) that make test runs on tests/fuzz/fuzz_NAME/, and as a
# libFuzzer binary with `make fuzz` (clang, build/fuzz-clang/).
FUZZ_SRC  := $(wildcard common/fuzz_*.c $(TOOLS:%=%/fuzz_*.c))
FUZZ_BIN  := $(foreach f,$(FUZZ_SRC),$(BUILD)/fuzz/$(basename $(notdir $(f))))
EXTRA_BINS += $(FUZZ_BIN)
define fuzz_rules
$(BUILD)/fuzz/$(basename $(notdir $(1))): $(BUILD)/$(1:.c=.o) $(BUILD)/tests/fuzz/replay.o $(TOOL_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(TOOL_LIBS) $$(LDLIBS)
$(BUILD)/fuzzers/$(basename $(notdir $(1))): $(BUILD)/$(1:.c=.o) $(TOOL_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -fsanitize=fuzzer,address,undefined -o $$@ $$< $(TOOL_LIBS) $$(LDLIBS)
endef
$(foreach f,$(FUZZ_SRC),$(eval $(call fuzz_rules,$(f))))
FUZZ_CLANG = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
.PHONY: fuzz
fuzz:
	$(MAKE) CC=clang WERROR= BUILD=build/fuzz-clang BIN=build/fuzz-clang/bin CFLAGS="$(FUZZ_CLANG)" \
		LDFLAGS="-fsanitize=address,undefined" $(foreach f,$(FUZZ_SRC),build/fuzz-clang/fuzzers/$(basename $(notdir $(f))))

unit: $(UNIT_BIN)

test: all unit $(EXTRA_BINS)
	BIN=$(BIN) BUILD=$(BUILD) tests/run.sh

sanitize:
	$(MAKE) BUILD=build/san BIN=build/san/bin CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" test

bench: all $(EXTRA_BINS)
	scripts/bench.sh

demo: all $(EXTRA_BINS)
	scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

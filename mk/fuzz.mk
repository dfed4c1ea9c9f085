# libFuzzer targets. Included by the Makefile, which defines WARN, DEFS, LIB_SRCS and BUILD.
#
#   make fuzz                         fuzz/NAME_fuzz.cc -> build/fuzz/NAME
#   make fuzz-smoke [FUZZ_SECONDS=30] runs each target that long (mk/fuzz_smoke.sh);
#                                     fails when any of them finds a crash
#
# Every library source is compiled once with coverage hooks and sanitizers into
# build/fuzz/obj/, and each target links against all of them (like build/unit_tests),
# so a new fuzz target needs no edit here; --gc-sections drops what it does not use.
# Needs clang (libFuzzer ships with it; g++ has no -fsanitize=fuzzer).

FUZZ_CXX      ?= clang++
FUZZ_SANITIZE ?= address,undefined
FUZZ_SECONDS  ?= 30
FUZZ_JOBS     ?= 1
FUZZ_DIR      := $(BUILD)/fuzz
FUZZ_OBJDIR   := $(FUZZ_DIR)/obj

# -fno-sanitize-recover: a UBSan finding must stop the run, or libFuzzer never sees it.
FUZZ_CXXFLAGS = -std=c++17 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections \
    $(WARN) $(DEFS) -Isrc -g -O1 -fno-omit-frame-pointer \
    -fsanitize=$(FUZZ_SANITIZE) -fno-sanitize-recover=all $(EXTRA_CXXFLAGS)

FUZZ_SRCS     := $(sort $(wildcard fuzz/*_fuzz.cc))
FUZZ_NAMES    := $(FUZZ_SRCS:fuzz/%_fuzz.cc=%)
FUZZ_BINS     := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:src/%.cc=$(FUZZ_OBJDIR)/lib/%.o)

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BINS)

# Library objects get coverage hooks but no main (fuzzer-no-link).
$(FUZZ_OBJDIR)/lib/%.o: src/%.cc
	@mkdir -p $(@D)
	@echo "  FUZZCXX $<"
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_OBJDIR)/entry/%.o: fuzz/%_fuzz.cc
	@mkdir -p $(@D)
	@echo "  FUZZCXX $<"
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer -MMD -MP -c $< -o $@

$(FUZZ_BINS): $(FUZZ_DIR)/%: $(FUZZ_OBJDIR)/entry/%.o $(FUZZ_LIB_OBJS)
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $^ -o $@ -Wl,--gc-sections $(LDFLAGS) $(LIBS)

# Seeds come from fuzz/corpus/NAME/ and are copied under build/fuzz/, so runs never
# modify the source tree.
fuzz-smoke: $(FUZZ_BINS)
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) \
	  bash mk/fuzz_smoke.sh $(FUZZ_NAMES)

-include $(shell find $(FUZZ_OBJDIR) -name '*.d' 2>/dev/null)

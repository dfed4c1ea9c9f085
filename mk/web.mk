# The dashboard's files (web/) embedded into statd: mk/embed_web.cc, built from the
# codec sources alone, writes $(BUILD)/gen/web_assets.cc (gzip'd bytes, sizes, ETags),
# which is compiled like a library source. Included by the Makefile after mk/static.mk
# and mk/fuzz.mk, so that every program linking the library objects links it too.

WEB_FILES   := $(sort $(wildcard web/*.html web/*.css web/*.js))
WEB_GEN     := $(BUILD)/gen/web_assets.cc
WEB_TOOL    := $(BUILD)/gen/embed_web
WEB_TOOL_SRCS := mk/embed_web.cc src/codec/gzip.cc src/codec/deflate.cc src/codec/inflate.cc \
                 src/codec/crc32.cc src/codec/sha1.cc

# A host program: plain flags, no DEFS (so ZLIB=1 does not swap in zlib's deflate).
$(WEB_TOOL): $(WEB_TOOL_SRCS)
	@mkdir -p $(@D)
	@echo "  HOSTCXX $@"
	$(Q)$(CXX) -std=c++17 -fno-exceptions -fno-rtti $(WARN) -Isrc -O2 $(WEB_TOOL_SRCS) -o $@

$(WEB_GEN): $(WEB_TOOL) $(WEB_FILES)
	@echo "  GEN     $@"
	$(Q)$(WEB_TOOL) $@ $(WEB_FILES)

$(BUILD)/obj/gen/web_assets.o: $(WEB_GEN) $(BUILD)/BUILD_FLAGS
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(STATIC_OBJDIR)/gen/web_assets.o: $(WEB_GEN) $(STATIC_DIR)/BUILD_FLAGS
	@mkdir -p $(@D)
	$(Q)$(STATIC_CXX) $(STATIC_CXXFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_OBJDIR)/lib/gen/web_assets.o: $(WEB_GEN)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# The link rules use $^, which includes these extra prerequisites.
LIB_OBJS += $(BUILD)/obj/gen/web_assets.o
$(BUILD)/statd $(BUILD)/statc $(BUILD)/unit_tests: $(BUILD)/obj/gen/web_assets.o
$(STATIC_PROGRAMS): $(STATIC_OBJDIR)/gen/web_assets.o
$(FUZZ_BINS): $(FUZZ_OBJDIR)/lib/gen/web_assets.o

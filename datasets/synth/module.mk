# datasets/synth: the traffic synthesizer of the demo ($(BIN)/synth).
SYNTH_SRC := $(wildcard datasets/synth/*.c)
SYNTH_OBJ := $(SYNTH_SRC:%.c=$(BUILD)/%.o)
$(BIN)/synth: $(SYNTH_OBJ) $(BUILD)/libflowmeter.a $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SYNTH_OBJ) $(BUILD)/libflowmeter.a $(LIBCOMMON) -lcrypto -lm
EXTRA_BINS += $(BIN)/synth

# datasets/synth: the traffic synthesizer of the demo ($(BIN)/synth).
SYNTH_SRC := $(wildcard datasets/synth/*.c)
SYNTH_OBJ := $(SYNTH_SRC:%.c=$(BUILD)/%.o)
$(BIN)/synth: $(SYNTH_OBJ) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SYNTH_OBJ) $(LIBCOMMON) -lm
EXTRA_BINS += $(BIN)/synth

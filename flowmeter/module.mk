# flowmeter extra programs: the decoder dump tool (tests) and the bare libpcap
# read loop (benchmark reference).
$(BUILD)/flowmeter-dump: $(BUILD)/flowmeter/bench/dump.o $(BUILD)/libflowmeter.a $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libflowmeter.a $(LIBCOMMON) -lpcap -lz

$(BUILD)/flowmeter-pcaploop: $(BUILD)/flowmeter/bench/pcaploop.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lpcap

EXTRA_BINS += $(BUILD)/flowmeter-dump $(BUILD)/flowmeter-pcaploop

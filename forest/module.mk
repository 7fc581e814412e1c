# forest: unit tests that include forest/ headers directly.
$(BUILD)/tests/unit/model_%: CPPFLAGS += -Iforest
$(BUILD)/tests/unit/forest_%: CPPFLAGS += -Iforest

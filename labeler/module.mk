# labeler: unit tests include the module headers of labeler/ directly.
$(BUILD)/tests/unit/labeler_%: CPPFLAGS += -Ilabeler

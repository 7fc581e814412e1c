# trustee: unit tests include the module headers of trustee/ directly.
$(BUILD)/tests/unit/trustee_%: CPPFLAGS += -Itrustee

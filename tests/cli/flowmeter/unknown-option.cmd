flowmeter --bogus-option

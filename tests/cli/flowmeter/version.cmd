flowmeter --version

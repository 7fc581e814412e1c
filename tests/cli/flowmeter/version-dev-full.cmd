flowmeter --version > /dev/full

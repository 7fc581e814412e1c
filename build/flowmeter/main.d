build/flowmeter/main.o: flowmeter/main.c common/util.h
common/util.h:

build/forest/main.o: forest/main.c common/util.h
common/util.h:

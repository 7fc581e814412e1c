build/common/csv.o: common/csv.c common/csv.h common/util.h
common/csv.h:
common/util.h:

build/common/progress.o: common/progress.c common/progress.h \
 common/util.h
common/progress.h:
common/util.h:

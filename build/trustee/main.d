build/trustee/main.o: trustee/main.c common/util.h
common/util.h:

build/labeler/main.o: labeler/main.c common/util.h
common/util.h:

/*
 * load_msg.h: table_load with its stderr captured, for unit tests of the
 * loader's messages (include after table.h and the C headers it needs:
 * stdio, string, unistd).
 */
#ifndef LOAD_MSG_H
#define LOAD_MSG_H

/* table_load with stderr captured into msg (first line). */
static int load_msg(table *t, const char *path, const table_opts *o, char *msg, size_t cap)
{
	char mpath[] = "/tmp/table_load_msg_XXXXXX";
	int fd = mkstemp(mpath), saved = dup(2), rc;
	FILE *fp;

	fflush(stderr);
	dup2(fd, 2);
	rc = table_load(t, path, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	msg[0] = '\0';
	fp = fopen(mpath, "r");
	if (fp) {
		if (!fgets(msg, (int)cap, fp))
			msg[0] = '\0';
		fclose(fp);
	}
	unlink(mpath);
	return rc;
}

#endif

/* Unit test for common/progress: silent when disabled, a \r line when forced. */
#include "check.h"
#include "progress.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

static long run(int enabled, uint64_t total)
{
	progress p;
	FILE *save = tmpfile();
	long size;
	int fd = dup(2);
	dup2(fileno(save), 2);
	progress_init(&p, "packets", total);
	progress_force(&p, enabled);
	p.start -= 10;	/* pretend we started earlier so an update is due */
	p.last = p.start;
	for (uint64_t i = 1; i <= 5000; i++)
		progress_update(&p, i);
	progress_end(&p);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	size = ftell(save);
	if (enabled && size > 0) {
		char buf[256] = { 0 };
		rewind(save);
		CHECK(fread(buf, 1, sizeof(buf) - 1, save) > 0);
		CHECK(buf[0] == '\r');
		CHECK(strstr(buf, "packets") != NULL);
		if (total)
			CHECK(strstr(buf, "%") != NULL);
	}
	fclose(save);
	return size;
}

int main(void)
{
	util_set_progname("test");
	CHECK(run(0, 0) == 0);
	CHECK(run(1, 0) > 0);
	CHECK(run(1, 10000) > 0);
	return check_done();
}

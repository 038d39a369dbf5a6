/*
 * The batch's ID source: a file read line by line (a pipe or the standard
 * input is copied once, so that it can be counted and then read), or a
 * pattern expanded on the fly. Memory does not grow with the number of IDs.
 */
#include "batch-internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE_BUF (64u * 1024u)
#define SOURCE_END (-1000) /* source_getc(): the end of the ID file */

int iox_ids_parse_pattern(source_t *s, const char *pattern)
{
	const char *open = strchr(pattern, '{'), *close, *dots, *p;
	unsigned long long a, b;
	size_t la, lb;
	char *end;

	if (open == NULL)
		return iox_error(IOTX509_EINVAL, "pattern '%s' has no {FIRST..LAST} range (e.g. 'sensor-{0001..9999}')",
				 pattern);
	close = strchr(open, '}');
	dots = strstr(open, "..");
	if (close == NULL || dots == NULL || dots > close)
		return iox_error(IOTX509_EINVAL, "pattern '%s': the range at character %zu is not {FIRST..LAST}", pattern,
				 (size_t)(open - pattern) + 1);
	if (strchr(close + 1, '{') || strchr(close + 1, '}') || memchr(pattern, '}', (size_t)(open - pattern)))
		return iox_error(IOTX509_EINVAL, "pattern '%s': only one {FIRST..LAST} range is supported", pattern);
	la = (size_t)(dots - open - 1);
	lb = (size_t)(close - dots - 2);
	for (p = open + 1; p < close; p++)
		if (!(isdigit((unsigned char)*p) || (p >= dots && p < dots + 2)))
			return iox_error(IOTX509_EINVAL,
					 "pattern '%s': the range must be decimal numbers (character %zu is '%c')",
					 pattern, (size_t)(p - pattern) + 1, *p);
	if (la == 0 || lb == 0 || la > 18 || lb > 18)
		return iox_error(IOTX509_EINVAL, "pattern '%s': FIRST and LAST must be 1 to 18 digits", pattern);
	a = strtoull(open + 1, &end, 10);
	b = strtoull(dots + 2, &end, 10);
	s->first = a;
	s->down = a > b;
	s->count = (s->down ? a - b : b - a) + 1;
	/* A leading zero pads every number to the same width, as bash does. */
	s->width = ((open[1] == '0' && la > 1) || (dots[2] == '0' && lb > 1)) ? (int)(la > lb ? la : lb) : 0;
	if ((size_t)(open - pattern) + strlen(close + 1) + 20 > IOTX509_BATCH_MAX_LINE)
		return iox_error(IOTX509_EINVAL, "pattern '%s' is too long", pattern);
	s->prefix = strndup(pattern, (size_t)(open - pattern));
	s->suffix = strdup(close + 1);
	if (s->prefix == NULL || s->suffix == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	return 0;
}

void iox_ids_close(source_t *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
}

void iox_ids_free(source_t *s)
{
	iox_ids_close(s);
	free(s->path);
	free(s->prefix);
	free(s->suffix);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/*
 * Copy the stream @in into an unnamed file in @dir, once, so the IDs can
 * be counted and then read: a pipe can be read only once. At most
 * IOTX509_BATCH_MAX_STREAM bytes. Returns the copy's descriptor.
 */
static int copy_stream(const source_t *s, int in, const char *dir)
{
	char tmp[PATH_MAX];
	uint64_t total = 0;
	int fd = -1, saved;

#ifdef O_TMPFILE
	fd = open(dir ? dir : ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		snprintf(tmp, sizeof(tmp), "%s/.iotx509-ids.XXXXXX", dir ? dir : ".");
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
			return iox_error(IOTX509_EIO, "%s: cannot keep a copy of the IDs in %s: %s", s->name,
					 dir ? dir : ".", strerror(errno));
		unlink(tmp);
	}
	for (;;) {
		ssize_t n = read(in, s->buf, SOURCE_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			return iox_error(IOTX509_EIO, "%s: cannot read the IDs: %s", s->name, strerror(saved));
		}
		if (n == 0)
			break;
		if ((total += (uint64_t)n) > IOTX509_BATCH_MAX_STREAM) {
			close(fd);
			return iox_error(IOTX509_ELIMIT, "%s: more than the %u MiB of IDs a batch reads from a pipe", s->name,
					 IOTX509_BATCH_MAX_STREAM >> 20);
		}
		if (pwrite(fd, s->buf, (size_t)n, (off_t)(total - (uint64_t)n)) != n) {
			saved = errno;
			close(fd);
			return iox_error(IOTX509_EIO, "%s: cannot keep a copy of the IDs in %s: %s", s->name,
					 dir ? dir : ".", strerror(saved));
		}
	}
	return fd;
}

/* Open the ID file: a regular file is read where it is, a pipe (or the
 * standard input) is copied first; nothing else is read. */
int iox_ids_open(source_t *s, const char *dir)
{
	struct stat st;
	int in;

	s->name = strcmp(s->path, "-") == 0 ? "standard input" : s->path;
	if ((s->buf = malloc(SOURCE_BUF)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (strcmp(s->path, "-") == 0) {
		/* Whatever the standard input is, but what cannot end. */
		if (fstat(STDIN_FILENO, &st) != 0)
			return iox_error(IOTX509_EIO, "standard input: %s", strerror(errno));
		if (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode) || (S_ISCHR(st.st_mode) && !isatty(STDIN_FILENO)))
			return iox_error(IOTX509_EIO, "standard input: is %s, not a file, a pipe or a terminal",
					 S_ISDIR(st.st_mode) ? "a directory" : S_ISBLK(st.st_mode) ? "a block device"
												  : "a character device");
		in = STDIN_FILENO;
	} else {
		if ((in = iox_open_input(s->path, IOX_OPEN_STREAM, &st)) < 0) {
			if (in == IOTX509_ENOTFOUND)
				return iox_error(in, "%s: cannot open the ID file: %s", s->path, strerror(ENOENT));
			return in;
		}
		if (S_ISREG(st.st_mode)) {
			s->fd = in;
			return 0;
		}
	}
	s->fd = copy_stream(s, in, dir);
	if (in != STDIN_FILENO)
		close(in);
	if (s->fd < 0) {
		int err = s->fd;

		s->fd = -1;
		return err;
	}
	s->copied = 1;
	return 0;
}

/* Back to the first item. */
static int source_rewind(source_t *s)
{
	s->index = 0;
	s->line = 0;
	s->pos = 0;
	s->bpos = s->blen = 0;
	if (s->path == NULL)
		return 0;
	if (lseek(s->fd, 0, SEEK_SET) != 0)
		return iox_error(IOTX509_EIO, "%s: cannot read the ID file again: %s", s->name, strerror(errno));
	return 0;
}

/* The next byte of the ID file, SOURCE_END at its end, or IOTX509_EIO. */
static int source_getc(source_t *s)
{
	if (s->bpos == s->blen) {
		ssize_t n;

		do
			n = read(s->fd, s->buf, SOURCE_BUF);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return iox_error(IOTX509_EIO, "%s: cannot read the ID file after line %" PRIu64 ": %s", s->name,
					 s->line, strerror(errno));
		if (n == 0)
			return SOURCE_END;
		s->bpos = 0;
		s->blen = (size_t)n;
	}
	return s->buf[s->bpos++];
}

/*
 * The next line that holds an ID (trimmed; blank lines and # comments
 * skipped). Every line counts, whatever it holds: a line too long, or with
 * a NUL byte, is an item with a problem, never merged with the next one.
 */
static int file_next(source_t *s, item_t *it)
{
	for (;;) {
		/* n: bytes from the first non-blank one on; keep: up to the last non-blank one */
		uint64_t col = 0, n = 0, keep = 0;
		int c;

		it->nul_at = 0;
		while ((c = source_getc(s)) >= 0 && c != '\n') {
			int blank = c == ' ' || c == '\t' || c == '\r';

			col++;
			if (n == 0 && blank)
				continue;
			if (n < IOTX509_BATCH_MAX_LINE)
				it->id[n] = (char)c;
			n++;
			if (!blank)
				keep = n;
			if (c == '\0' && it->nul_at == 0)
				it->nul_at = col;
		}
		if (c == IOTX509_EIO)
			return c;
		if (c == SOURCE_END && col == 0)
			return 0; /* the end, after a last line that had its newline */
		s->line++;
		if (keep == 0 || it->id[0] == '#')
			continue;
		it->problem = it->nul_at ? ITEM_NUL : keep > IOTX509_BATCH_MAX_LINE ? ITEM_TOO_LONG : ITEM_OK;
		it->id[keep > IOTX509_BATCH_MAX_LINE ? IOTX509_BATCH_MAX_LINE : keep] = '\0';
		it->item = s->line;
		return 1;
	}
}

/* The next item of the source, whichever shard it belongs to. */
static int source_next(source_t *s, item_t *it)
{
	int ret;

	if (s->path != NULL) {
		if ((ret = file_next(s, it)) <= 0)
			return ret;
	} else {
		uint64_t n;

		if (s->pos >= s->count)
			return 0;
		n = s->down ? s->first - s->pos : s->first + s->pos;
		snprintf(it->id, sizeof(it->id), "%s%0*" PRIu64 "%s", s->prefix, s->width, n, s->suffix);
		it->problem = ITEM_OK;
		it->item = ++s->pos;
	}
	it->index = s->index++;
	return 1;
}

/* The next item of shard @k of @n (k from 1). */
int iox_ids_next_shard(source_t *s, item_t *it, unsigned int k, unsigned int n)
{
	int ret;

	/* A pattern jumps straight to the shard's next position. */
	if (s->path == NULL && n > 1) {
		uint64_t want = s->index % n == k - 1 ? s->index : s->index + ((k - 1 + n) - s->index % n) % n;

		if (want >= s->count)
			return 0;
		s->pos = s->index = want;
		return source_next(s, it);
	}
	while ((ret = source_next(s, it)) == 1)
		if (n <= 1 || it->index % n == k - 1)
			return 1;
	return ret;
}

int iox_ids_count(source_t *s, uint64_t *out)
{
	item_t it;
	uint64_t all = 0;
	int ret;

	if (s->path == NULL) {
		*out = s->count;
		return 0;
	}
	if ((ret = source_rewind(s)) < 0)
		return ret;
	while ((ret = source_next(s, &it)) == 1)
		all++;
	if (ret < 0)
		return ret;
	if (all == 0) {
		struct stat st;

		/* A batch of nothing is a mistake: the wrong file, or a
		 * FIFO no program writes to. */
		if (fstat(s->fd, &st) == 0 && st.st_size == 0)
			return iox_error(IOTX509_ENOTFOUND, "%s: no device ID: %s", s->name,
					 !s->copied ? "the ID file is empty"
					 : strcmp(s->path, "-") == 0
						 ? "the input was empty"
						 : "nothing came through this pipe or FIFO (no program wrote to it)");
		return iox_error(IOTX509_ENOTFOUND, "%s: no device ID: the ID file holds only comments and blank lines",
				 s->name);
	}
	*out = all;
	return source_rewind(s);
}

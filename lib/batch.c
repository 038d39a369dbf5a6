/*
 * Batch issuance: many device credentials under one CA, with worker
 * threads, resumable and shardable (see include/iotx509/batch.h).
 *
 * State on disk, under DIR/.iotx509-batch/:
 *   lock                 flock'ed shared by every running batch; the first
 *                        one (exclusive for a moment) cleans up temporary
 *                        files and writes the shard count N it runs with
 *   shard-K-of-N.lock    flock'ed exclusive by the batch running shard K/N
 * and a completion record per device, "iotx509-batch 2 RUN INDEX ITEM PFX":
 *   - the extended attribute user.iotx509.batch of DIR/ID_fullchain.pem,
 *     set on the file before it gets its name (the full chain is the last
 *     file of a set to get its name, so the record means the set is there);
 *   - or, with IOTX509_BATCH_NO_XATTR or where the file system has no user
 *     extended attributes, the file done/ID.done, committed last in the
 *     device's file set.
 * The attribute costs no inode and no directory entry: on ext4, creating
 * files in one directory is what limits a batch on several processors.
 * RUN is a random id of the batch that finished (or last saw) the device;
 * INDEX its item number in the ID source. A device is in the manifest of
 * the batch whose RUN and INDEX its record carries, so an ID listed twice
 * appears once, and a rerun that finds records of an earlier run claims
 * them (rewrites RUN and INDEX) instead of issuing again; the manifest
 * data of a claimed device are read back from its certificate.
 *
 * Memory: the ID source is read (or the pattern expanded) item by item; at
 * most a few slots per worker are in flight; the manifest is streamed to
 * disk. Nothing grows with the number of devices.
 */
#include "cert-internal.h"
#include "chain-internal.h"
#include "credential-internal.h"
#include "file-internal.h"
#include "key-internal.h"
#include "pkcs12-internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define STATE_DIR ".iotx509-batch"
#define DONE_SUFFIX ".done"
#define RECORD_MAGIC "iotx509-batch 2"
#define RECORD_XATTR "user.iotx509.batch"
#define SYNC_EVERY 512u /* devices between two flushes of the file system */
#define SLOTS_PER_JOB 4u
#define MSG_MAX 1024

/* ---- ID sources: a file read line by line, or a pattern expanded on the fly ---- */

typedef struct {
	/* file */
	char *path;         /* as given; "-" is the standard input */
	const char *name;   /* for messages */
	int fd;             /* the ID file, or the copy of a stream; -1 when closed */
	int copied;         /* fd is a copy of a pipe or of the standard input */
	unsigned char *buf; /* read buffer */
	size_t bpos, blen;
	uint64_t line;
	/* pattern: prefix {first..last} suffix */
	char *prefix, *suffix;
	uint64_t first, count, pos;
	int width, down;
	/* both */
	uint64_t index; /* items produced so far (shard filter not applied) */
} source_t;

/* What is wrong with an item before its ID is even looked at. */
typedef enum { ITEM_OK, ITEM_TOO_LONG, ITEM_NUL } item_problem;

typedef struct {
	char id[IOTX509_BATCH_MAX_LINE + 1];
	uint64_t index; /* 0-based item number in the source */
	uint64_t item;  /* line number, or position in the pattern, from 1 */
	item_problem problem;
	uint64_t nul_at; /* ITEM_NUL: the character of the line that is a NUL, from 1 */
} item_t;

#define SOURCE_BUF (64u * 1024u)
#define SOURCE_END (-1000) /* source_getc(): the end of the ID file */

/* Parse "prefix{A..B}suffix" into @s. */
static int pattern_parse(source_t *s, const char *pattern)
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

static void source_close(source_t *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
}

static void source_free(source_t *s)
{
	source_close(s);
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
static int source_open(source_t *s, const char *dir)
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
static int source_next_shard(source_t *s, item_t *it, unsigned int k, unsigned int n)
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

/* ---- the batch ---- */

typedef enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;
typedef enum { R_ISSUED, R_SKIPPED, R_FAILED, R_FATAL } result_t;

/* A device's completion record (see the comment at the top), with what
 * the manifest needs of its certificate. */
typedef struct {
	char run[17];
	uint64_t index, item;
	int pfx;
	char serial[129], sha1[41], sha256[65];
	long long not_after;
} record_t;

/* Where a record was found. */
typedef enum { REC_NONE, REC_XATTR, REC_FILE } record_where;

/* One item of the shard on its way: the slots form a ring indexed by the
 * item's sequence number, so results are counted and written to the
 * manifest in ID order whichever worker finishes first. */
typedef struct {
	slot_state state;
	item_t it;
	uint64_t seq;
	result_t result;
	record_t rec; /* R_ISSUED, R_SKIPPED: what goes into the manifest */
	int code;
	char message[MSG_MAX];
	/* The file name stem (the ID itself unless camel-cased); "" when the ID gives none. */
	char stem[2 * IOTX509_BATCH_MAX_LINE + 2];
} slot_t;

typedef struct {
	iotx509_batch_failure pub;
	char *id, *message;
} failure_t;

struct iotx509_batch {
	/* configuration, fixed after iotx509_batch_new() */
	iotx509_cert *ca_cert;
	iotx509_certlist *chain;
	iotx509_issuer *issuer;
	iotx509_key_type key_type;
	iotx509_issue_options io;
	iotx509_pkcs12_options p12;
	iotx509_credential_save_options so;
	char *pfx_password, *friendly_name;
	char *out_dir; /* NULL: the current directory */
	char *state_dir, *done_dir;
	char *manifest_csv, *manifest_jsonl;
	unsigned int jobs, shard_k, shard_n, flags;
	iotx509_name_style names;
	int use_xattr; /* records in extended attributes, not in done/ */
	char run_id[17];
	int lock_fd, shard_fd;

	/* issuing: the source is read by the driving thread only */
	source_t src;
	int src_done;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t *threads;
	unsigned int nthreads;
	int stop, workers_started;
	/* A thread of its own flushes the file system while the workers go on. */
	pthread_t flusher;
	pthread_cond_t flush_cv;
	int flusher_running, stop_flush;
	slot_t *slots;
	size_t nslots, *ready, ready_head, ready_count;
	uint64_t fed;       /* items taken from the source: the next sequence number */
	uint64_t completed; /* items counted and written, in order: the next to count */
	uint64_t allowed;   /* items that may be fed before the caller asks for more */
	uint64_t inflight;  /* ready or busy slots */
	uint64_t worked;    /* items the workers finished, in any order */
	uint64_t wake_at;   /* the driving thread sleeps until worked reaches this */
	uint64_t total, issued, skipped, failed, unsynced;
	int fatal, finished;
	char fatal_msg[MSG_MAX];

	/* failures of the last iotx509_batch_run() */
	failure_t *fails;
	size_t nfails;

	/* the manifests, streamed to temporary files and moved into place at the end */
	iox_wstream *csv, *jsonl;
};

int iotx509_batch_options_init(iotx509_batch_options *opts, unsigned int version)
{
	static const iotx509_batch_options init = IOTX509_BATCH_OPTIONS_INIT;

	if (opts == NULL || version != IOTX509_BATCH_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "batch options: unsupported version %u", version);
	*opts = init;
	return 0;
}

/* 1 if files in the output directory can have user extended attributes:
 * tried on an unnamed file there (or on the lock file). */
static int xattr_works(const iotx509_batch *b)
{
	int fd = -1, ok;

#ifdef O_TMPFILE
	fd = open(b->out_dir ? b->out_dir : ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#endif
	if (fd >= 0) {
		ok = fsetxattr(fd, RECORD_XATTR, "probe", 5, 0) == 0;
		close(fd);
		return ok;
	}
	ok = fsetxattr(b->lock_fd, RECORD_XATTR, "probe", 5, 0) == 0;
	if (ok)
		fremovexattr(b->lock_fd, RECORD_XATTR);
	return ok;
}

/*
 * Take the locks of the state directory; the first batch in it cleans up
 * what interrupted ones left. See the comment at the top.
 */
static int take_locks(iotx509_batch *b)
{
	static const char *const done_suffix = DONE_SUFFIX;
	char name[64], buf[32];
	char *path;
	ssize_t n;
	int err = 0;

	if ((path = iox_path_join(b->state_dir, "lock")) == NULL)
		return IOTX509_ENOMEM;
	b->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (b->lock_fd < 0) {
		err = iox_error(IOTX509_EIO, "%s: cannot open: %s", path, strerror(errno));
		free(path);
		return err;
	}
	free(path);
	if (flock(b->lock_fd, LOCK_EX | LOCK_NB) == 0) {
		char *mdir;

		/* Alone in the directory: any temporary file is a leftover. */
		if ((err = iox_temp_clean(b->out_dir, iox_credential_suffixes, IOX_CREDENTIAL_SET_FILES, NULL)) < 0 ||
		    (err = iox_temp_clean(b->done_dir, &done_suffix, 1, NULL)) < 0)
			return err;
		mdir = iox_path_dir(b->manifest_csv);
		iox_temp_clean(mdir, NULL, 0, iox_path_base(b->manifest_csv));
		free(mdir);
		mdir = iox_path_dir(b->manifest_jsonl);
		iox_temp_clean(mdir, NULL, 0, iox_path_base(b->manifest_jsonl));
		free(mdir);
		snprintf(buf, sizeof(buf), "%u\n", b->shard_n);
		if (ftruncate(b->lock_fd, 0) != 0 || pwrite(b->lock_fd, buf, strlen(buf), 0) != (ssize_t)strlen(buf))
			return iox_error(IOTX509_EIO, "%s: cannot write the lock file: %s", b->state_dir, strerror(errno));
		flock(b->lock_fd, LOCK_SH);
	} else {
		/* Others run: wait for a cleanup in progress, then check that
		 * they split the IDs the same way (or they would overlap). */
		if (flock(b->lock_fd, LOCK_SH) != 0)
			return iox_error(IOTX509_EIO, "%s: cannot lock: %s", b->state_dir, strerror(errno));
		n = pread(b->lock_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		if (n > 0 && strtoul(buf, NULL, 10) != b->shard_n)
			return iox_error(IOTX509_EBUSY,
					 "%s: a batch split into %lu shards is running there; shards of one batch must all "
					 "use the same N (this one has %u)",
					 b->out_dir ? b->out_dir : ".", strtoul(buf, NULL, 10), b->shard_n);
	}
	snprintf(name, sizeof(name), "shard-%u-of-%u.lock", b->shard_k, b->shard_n);
	if ((path = iox_path_join(b->state_dir, name)) == NULL)
		return IOTX509_ENOMEM;
	b->shard_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (b->shard_fd < 0)
		err = iox_error(IOTX509_EIO, "%s: cannot open: %s", path, strerror(errno));
	else if (flock(b->shard_fd, LOCK_EX | LOCK_NB) != 0)
		err = b->shard_n > 1 ? iox_error(IOTX509_EBUSY, "shard %u/%u is already being issued in %s by another batch",
						 b->shard_k, b->shard_n, b->out_dir ? b->out_dir : ".")
				     : iox_error(IOTX509_EBUSY, "another batch is already running in %s",
						 b->out_dir ? b->out_dir : ".");
	free(path);
	return err;
}

static int count_items(iotx509_batch *b)
{
	item_t it;
	uint64_t all = 0;
	int ret;

	if (b->src.path == NULL) {
		all = b->src.count;
	} else {
		if ((ret = source_rewind(&b->src)) < 0)
			return ret;
		while ((ret = source_next(&b->src, &it)) == 1)
			all++;
		if (ret < 0)
			return ret;
		if (all == 0) {
			struct stat st;

			/* A batch of nothing is a mistake: the wrong file, or a
			 * FIFO no program writes to. */
			if (fstat(b->src.fd, &st) == 0 && st.st_size == 0)
				return iox_error(IOTX509_ENOTFOUND, "%s: no device ID: %s", b->src.name,
						 !b->src.copied ? "the ID file is empty"
						 : strcmp(b->src.path, "-") == 0
							 ? "the input was empty"
							 : "nothing came through this pipe or FIFO (no program wrote to it)");
			return iox_error(IOTX509_ENOTFOUND, "%s: no device ID: the ID file holds only comments and blank lines",
					 b->src.name);
		}
		if ((ret = source_rewind(&b->src)) < 0)
			return ret;
	}
	b->total = all / b->shard_n + ((all % b->shard_n) > b->shard_k - 1 ? 1 : 0);
	return 0;
}

static int set_manifest_paths(iotx509_batch *b, const iotx509_batch_options *o)
{
	char name[64];
	size_t n;

	if (o->manifest_csv != NULL && *o->manifest_csv != '\0') {
		b->manifest_csv = iox_strdup(o->manifest_csv);
	} else {
		if (b->shard_n > 1)
			snprintf(name, sizeof(name), "manifest-%u-of-%u.csv", b->shard_k, b->shard_n);
		else
			snprintf(name, sizeof(name), "manifest.csv");
		b->manifest_csv = iox_path_join(b->out_dir, name);
	}
	if (b->manifest_csv == NULL)
		return IOTX509_ENOMEM;
	if (o->manifest_jsonl != NULL && *o->manifest_jsonl != '\0') {
		b->manifest_jsonl = iox_strdup(o->manifest_jsonl);
	} else {
		n = strlen(b->manifest_csv);
		if (n >= 4 && strcmp(b->manifest_csv + n - 4, ".csv") == 0)
			n -= 4;
		if ((b->manifest_jsonl = malloc(n + 7)) != NULL)
			snprintf(b->manifest_jsonl, n + 7, "%.*s.jsonl", (int)n, b->manifest_csv);
	}
	if (b->manifest_jsonl == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (strcmp(b->manifest_csv, b->manifest_jsonl) == 0)
		return iox_error(IOTX509_EINVAL, "batch: the CSV and JSON lines manifests are the same file '%s'",
				 b->manifest_csv);
	return 0;
}

static int check_options(const iotx509_batch_options *o)
{
	if (o->version != IOTX509_BATCH_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "batch options: unsupported version %u", o->version);
	if (o->parent == NULL)
		return iox_error(IOTX509_EINVAL, "batch: no parent CA");
	if ((o->ids_path == NULL || *o->ids_path == '\0') == (o->pattern == NULL || *o->pattern == '\0'))
		return iox_error(IOTX509_EINVAL, "batch: give either an ID file or a pattern (exactly one)");
	if (o->jobs > IOTX509_BATCH_MAX_JOBS)
		return iox_error(IOTX509_EINVAL, "batch: %u jobs is more than the %u allowed", o->jobs,
				 IOTX509_BATCH_MAX_JOBS);
	if ((o->shard_count == 0) != (o->shard_index == 0) || o->shard_index > o->shard_count ||
	    o->shard_count > IOTX509_BATCH_MAX_SHARDS)
		return iox_error(IOTX509_EINVAL, "batch: shard %u/%u is not K/N with 1 <= K <= N <= %u", o->shard_index,
				 o->shard_count, IOTX509_BATCH_MAX_SHARDS);
	if (o->flags & ~(unsigned int)(IOTX509_BATCH_FORCE | IOTX509_BATCH_FSYNC_EACH | IOTX509_BATCH_NO_XATTR))
		return iox_error(IOTX509_EINVAL, "batch: unknown flags 0x%x", o->flags);
	if (o->pfx_password != NULL && *o->pfx_password == '\0')
		return iox_error(IOTX509_EINVAL, "batch: an empty .pfx password is refused (NULL writes no .pfx)");
	if (o->names != IOTX509_NAMES_VERBATIM && o->names != IOTX509_NAMES_CREATE_TEST_CERT)
		return iox_error(IOTX509_EINVAL, "batch: unknown name style %d", (int)o->names);
	return 0;
}

static int setup(iotx509_batch *b, const iotx509_batch_options *o)
{
	const iotx509_certlist *pchain = iotx509_credential_get_chain(o->parent);
	const iotx509_key *pkey = iotx509_credential_get_key(o->parent);
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	struct stat st;
	int64_t now;
	size_t i;
	int err;

	/* The pattern first: a typo there is the likeliest mistake. */
	if (o->pattern != NULL && *o->pattern != '\0' && (err = pattern_parse(&b->src, o->pattern)) < 0)
		return err;
	b->key_type = o->key_type ? o->key_type : IOTX509_KEY_P256;
	if ((err = iox_key_type_params(b->key_type, &pk, &bits)) < 0)
		return err;
	if (pkey == NULL)
		return iox_error(IOTX509_EINVAL, "batch: the parent CA has no private key");
	if ((err = iotx509_issuer_new(&b->issuer, iotx509_credential_get_cert(o->parent), pkey)) < 0)
		return err;
	b->ca_cert = iox_cert_ref(iotx509_credential_get_cert(o->parent));
	if ((err = iotx509_certlist_new(&b->chain)) < 0)
		return err;
	for (i = 0; i < iotx509_certlist_count(pchain); i++)
		if ((err = iotx509_certlist_add(b->chain, iotx509_certlist_get(pchain, i))) < 0)
			return err;

	/* Fail now, not on the first device, when the CA cannot issue. */
	now = o->now ? o->now : (int64_t)time(NULL);
	if ((err = iox_cert_check_issuer_time(b->ca_cert, now, "the parent CA")) < 0)
		return err;
	if ((err = iotx509_id_validate_device("a", o->id_policy, 0)) < 0)
		return err;

	if ((err = iotx509_issue_options_init(&b->io, IOTX509_ISSUE_OPTIONS_VERSION)) < 0)
		return err;
	b->io.days = o->days;
	b->io.now = o->now;
	b->io.id_policy = o->id_policy;
	if (o->days > 36500)
		return iox_error(IOTX509_EINVAL, "validity of %u days is more than the 36500 allowed", o->days);

	iotx509_pkcs12_options_init(&b->p12, IOTX509_PKCS12_OPTIONS_VERSION);
	if (o->pkcs12 != NULL) {
		if ((err = iox_pkcs12_options_check(o->pkcs12)) < 0)
			return err;
		b->p12 = *o->pkcs12;
		if (o->pkcs12->friendly_name != NULL &&
		    (b->p12.friendly_name = b->friendly_name = iox_strdup(o->pkcs12->friendly_name)) == NULL)
			return IOTX509_ENOMEM;
	}
	iotx509_credential_save_options_init(&b->so, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION);
	if (o->pfx_password != NULL) {
		if ((b->pfx_password = iox_strdup(o->pfx_password)) == NULL)
			return IOTX509_ENOMEM;
		b->so.pfx_password = b->pfx_password;
		b->so.pkcs12 = &b->p12;
	}

	b->jobs = o->jobs ? o->jobs : 1;
	b->shard_k = o->shard_count ? o->shard_index : 1;
	b->shard_n = o->shard_count ? o->shard_count : 1;
	b->flags = o->flags;
	b->names = o->names;
	if (o->out_dir != NULL && *o->out_dir != '\0' && (b->out_dir = iox_strdup(o->out_dir)) == NULL)
		return IOTX509_ENOMEM;
	if (stat(b->out_dir ? b->out_dir : ".", &st) != 0 || !S_ISDIR(st.st_mode))
		return iox_error(IOTX509_ENOTFOUND, "%s: the output directory does not exist",
				 b->out_dir ? b->out_dir : ".");
	if ((b->state_dir = iox_path_join(b->out_dir, STATE_DIR)) == NULL || (b->done_dir = iox_path_join(b->state_dir, "done")) == NULL)
		return IOTX509_ENOMEM;
	if ((err = set_manifest_paths(b, o)) < 0)
		return err;

	if (o->pattern == NULL || *o->pattern == '\0') {
		if ((b->src.path = iox_strdup(o->ids_path)) == NULL)
			return IOTX509_ENOMEM;
		if ((err = source_open(&b->src, b->out_dir)) < 0)
			return err;
	}
	if ((err = count_items(b)) < 0)
		return err;

	if ((err = iotx509_file_mkdir(b->done_dir)) < 0 || (err = take_locks(b)) < 0)
		return err;
	b->use_xattr = !(b->flags & IOTX509_BATCH_NO_XATTR) && xattr_works(b);
	{
		unsigned char r[8];

		if ((err = gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r))) < 0)
			return iox_error_gnutls(IOTX509_ECRYPTO, err, "batch: no random run id");
		iox_hex_upper(b->run_id, r, sizeof(r));
	}
	return 0;
}

int iotx509_batch_new(iotx509_batch **out, const iotx509_batch_options *opts)
{
	iotx509_batch *b;
	int err;

	if (out == NULL || opts == NULL)
		return iox_error(IOTX509_EINVAL, "batch: NULL argument");
	*out = NULL;
	if ((err = check_options(opts)) < 0)
		return err;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	b->lock_fd = b->shard_fd = b->src.fd = -1;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->done, NULL);
	pthread_cond_init(&b->flush_cv, NULL);
	if ((err = setup(b, opts)) < 0) {
		iotx509_batch_free(b);
		return err;
	}
	*out = b;
	return 0;
}

/* ---- one device (in a worker thread) ---- */

static int record_format(char *buf, size_t size, const record_t *r)
{
	return snprintf(buf, size, RECORD_MAGIC " %s %" PRIu64 " %" PRIu64 " %d\n", r->run, r->index, r->item, r->pfx);
}

static int record_parse(record_t *r, const char *text)
{
	char magic1[16], magic2[4];
	unsigned long long index, item;

	if (sscanf(text, "%15s %3s %16s %llu %llu %d", magic1, magic2, r->run, &index, &item, &r->pfx) != 6 ||
	    strcmp(magic1, "iotx509-batch") != 0 || strcmp(magic2, "2") != 0 || strlen(r->run) != 16 ||
	    (r->pfx != 0 && r->pfx != 1))
		return -1;
	r->index = index;
	r->item = item;
	return 0;
}

static void record_from_cert(record_t *r, const iotx509_cert *c)
{
	snprintf(r->serial, sizeof(r->serial), "%s", c->serial_hex);
	memcpy(r->sha1, c->sha1, sizeof(r->sha1));
	memcpy(r->sha256, c->sha256, sizeof(r->sha256));
	r->not_after = (long long)c->not_after;
}

/* Make @r this run's record of @it (the .pfx flag is the caller's). */
static void record_for_item(record_t *r, const iotx509_batch *b, const item_t *it)
{
	memcpy(r->run, b->run_id, sizeof(r->run));
	r->index = it->index;
	r->item = it->item;
}

typedef struct {
	iotx509_buf stem;    /* the file name stem of the ID */
	iotx509_buf path[4]; /* cert, key, fullchain, pfx */
	char *record;
} paths_t;

enum { P_CERT, P_KEY, P_FULLCHAIN, P_PFX };

static void paths_free(paths_t *p)
{
	int i;

	for (i = 0; i < 4; i++)
		iotx509_buf_dispose(&p->path[i]);
	iotx509_buf_dispose(&p->stem);
	free(p->record);
}

static int paths_make(paths_t *p, const iotx509_batch *b, const char *id)
{
	static const iotx509_credential_file kinds[4] = { IOTX509_CREDENTIAL_CERT, IOTX509_CREDENTIAL_KEY,
							  IOTX509_CREDENTIAL_FULLCHAIN, IOTX509_CREDENTIAL_PFX };
	char name[2 * IOTX509_BATCH_MAX_LINE + sizeof(DONE_SUFFIX) + 1];
	int i, err;

	memset(p, 0, sizeof(*p));
	if ((err = iotx509_credential_stem(&p->stem, id, b->names)) < 0)
		return err;
	for (i = 0; i < 4; i++)
		if ((err = iotx509_credential_path(&p->path[i], b->out_dir, (const char *)p->stem.data, kinds[i])) < 0)
			return err;
	snprintf(name, sizeof(name), "%s" DONE_SUFFIX, (const char *)p->stem.data);
	if ((p->record = iox_path_join(b->done_dir, name)) == NULL)
		return IOTX509_ENOMEM;
	return 0;
}

#define PATH(p, i) ((const char *)(p)->path[i].data)

/*
 * 1 and @r when the device has a well-formed record, 0 when it has none,
 * -1 when the record is damaged; @where says where it was. The attribute
 * is looked at first: one lookup tells a device not begun (no full chain,
 * whatever a record file says) from one that has a record.
 */
static int record_read(record_t *r, record_where *where, const paths_t *p)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	char text[128];
	ssize_t n;
	int ret;

	*where = REC_NONE;
	n = getxattr(PATH(p, P_FULLCHAIN), RECORD_XATTR, text, sizeof(text) - 1);
	if (n >= 0) {
		text[n] = '\0';
		*where = REC_XATTR;
		return record_parse(r, text) == 0 ? 1 : -1;
	}
	if (errno == ENOENT)
		return 0;
	if (errno != ENODATA && errno != ENOTSUP && errno != EOPNOTSUPP)
		return -1;
	ret = iotx509_file_read(&buf, p->record);
	if (ret == IOTX509_ENOTFOUND)
		return 0;
	*where = REC_FILE;
	if (ret == 0)
		ret = record_parse(r, (const char *)buf.data);
	iotx509_buf_dispose(&buf);
	return ret == 0 ? 1 : -1;
}

/* Replace the record found at @where by @r (claiming an earlier run's device). */
static int record_rewrite(const iotx509_batch *b, const paths_t *p, record_where where, const record_t *r)
{
	iotx509_fileset *set = NULL;
	char line[128];
	int n = record_format(line, sizeof(line), r), err;

	if (where == REC_XATTR) {
		if (setxattr(PATH(p, P_FULLCHAIN), RECORD_XATTR, line, (size_t)n, XATTR_REPLACE) != 0)
			return iox_error(IOTX509_EIO, "%s: cannot update the extended attribute " RECORD_XATTR ": %s",
					 PATH(p, P_FULLCHAIN), strerror(errno));
		return 0;
	}
	if ((err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iotx509_fileset_add(set, p->record, (const unsigned char *)line, (size_t)n, 0)) == 0)
		err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE |
						      ((b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC));
	iotx509_fileset_free(set);
	return err;
}

/* 1 if every file of a finished device is there and not empty (a power
 * failure before the flush can leave empty files behind). */
static int files_complete(const paths_t *p, int pfx)
{
	struct stat st;
	int i;

	for (i = 0; i < (pfx ? 4 : 3); i++)
		if (stat(PATH(p, i), &st) != 0 || st.st_size == 0)
			return 0;
	return 1;
}

/* 1 if @cert is the certificate this batch issues for @id. */
static int cert_is_ours(const iotx509_batch *b, const iotx509_cert *cert, const char *id)
{
	return cert->subject_cn != NULL && strcmp(cert->subject_cn, id) == 0 && iox_cert_check_issuer(cert, b->ca_cert);
}

/*
 * Files of the device are in the way and it has no record: are they the
 * leftovers of a set this CA was writing when a batch was killed? Returns
 * 0 (replace them) or IOTX509_EEXISTS.
 */
static int leftovers_are_ours(const iotx509_batch *b, const paths_t *p, const char *id)
{
	iotx509_cert *cert = NULL;
	struct stat st;
	int i, ours = 0;

	if (b->flags & IOTX509_BATCH_FORCE)
		return 0;
	if (stat(PATH(p, P_CERT), &st) == 0) {
		if (st.st_size == 0)
			return 0;
		if (iotx509_cert_load(&cert, PATH(p, P_CERT)) == 0)
			ours = cert_is_ours(b, cert, id);
		iotx509_cert_free(cert);
		if (ours)
			return 0;
		return iox_error(IOTX509_EEXISTS,
				 "%s exists and was not written by this batch (remove it, or use --force to replace it)",
				 PATH(p, P_CERT));
	}
	for (i = 1; i < 4; i++)
		if (access(PATH(p, i), F_OK) == 0)
			return iox_error(IOTX509_EEXISTS,
					 "%s exists and was not written by this batch (remove it, or use --force to "
					 "replace it)",
					 PATH(p, i));
	return 0; /* only a damaged record */
}

/* 1 if @path opens with the batch's .pfx password and holds @cert. */
static int pfx_is_ours(const iotx509_batch *b, const char *path, const iotx509_cert *cert)
{
	iotx509_pkcs12 *p12 = NULL;
	const iotx509_cert *leaf;
	int ours;

	if (iotx509_pkcs12_load(&p12, path, b->pfx_password, 0) < 0)
		return 0;
	leaf = iotx509_pkcs12_get_leaf(p12);
	ours = leaf != NULL && strcmp(leaf->sha256, cert->sha256) == 0;
	iotx509_pkcs12_free(p12);
	return ours;
}

/*
 * A batch that writes .pfx files claims a finished device of an earlier
 * run that has none (it ran without a password) or lost it: write the
 * .pfx from the device's key and full chain, so that the rerun completes
 * the set. A .pfx in the way that this batch would not have written (it
 * does not open with the password, or holds another certificate) is
 * replaced only with IOTX509_BATCH_FORCE, else IOTX509_EEXISTS.
 */
static int add_pfx(const iotx509_batch *b, const paths_t *p, slot_t *s, const iotx509_cert *cert)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_credential_save_options so = b->so;
	iotx509_credential *cred = NULL;
	iotx509_fileset *set = NULL;
	struct stat st;
	int err;

	if (stat(PATH(p, P_PFX), &st) == 0 && st.st_size > 0) {
		if (s->rec.pfx || pfx_is_ours(b, PATH(p, P_PFX), cert)) {
			s->rec.pfx = 1;
			return 0;
		}
		if (!(b->flags & IOTX509_BATCH_FORCE))
			return iox_error(IOTX509_EEXISTS,
					 "%s exists and was not written by this batch (remove it, or use --force to "
					 "replace it)",
					 PATH(p, P_PFX));
	}
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX);
	if ((err = iotx509_credential_load(&cred, b->out_dir, s->it.id, NULL, IOTX509_CREDENTIAL_PARTIAL_CHAIN)) == 0 &&
	    (err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iotx509_credential_stage(set, cred, b->out_dir, s->it.id, &so)) == 0)
		err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE | sync);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	if (err == 0)
		s->rec.pfx = 1;
	return err;
}

/*
 * A finished device of an earlier run: read its certificate back for the
 * manifest and make the record this run's. IOTX509_EEXISTS when the
 * certificate is not one this batch would have issued (another CA wrote
 * into the directory).
 */
static int claim(const iotx509_batch *b, const paths_t *p, record_where where, slot_t *s)
{
	iotx509_cert *cert = NULL;
	int err;

	if ((err = iotx509_cert_load(&cert, PATH(p, P_CERT))) < 0 || !cert_is_ours(b, cert, s->it.id)) {
		iotx509_cert_free(cert);
		return iox_error(IOTX509_EEXISTS,
				 "%s was not issued by this batch's CA for '%s' (remove it, or use --force to replace it)",
				 PATH(p, P_CERT), s->it.id);
	}
	record_from_cert(&s->rec, cert);
	err = b->pfx_password != NULL ? add_pfx(b, p, s, cert) : 0;
	iotx509_cert_free(cert);
	if (err < 0)
		return err;
	record_for_item(&s->rec, b, &s->it);
	return record_rewrite(b, p, where, &s->rec);
}

/*
 * A finished device whose certificate file was deleted: the set this batch
 * wrote is whole again with the first certificate of its full chain, when
 * that is this CA's certificate for @id and the key file holds its key.
 * 0 when restored; else IOTX509_EEXISTS naming what is missing.
 */
static int restore_cert(const iotx509_batch *b, const paths_t *p, const char *id, int pfx)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_certlist *full = NULL;
	iotx509_key *key = NULL;
	iotx509_fileset *set = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;
	const iotx509_cert *leaf = NULL;
	struct stat st;
	int i, err;

	for (i = P_KEY; i < (pfx ? 4 : 3); i++)
		if (stat(PATH(p, i), &st) != 0 || st.st_size == 0)
			return iox_error(IOTX509_EEXISTS,
					 "%s and %s are missing from the set this batch wrote for '%s' (remove its other "
					 "files to issue it again, or use --force)",
					 PATH(p, P_CERT), PATH(p, i), id);
	if ((err = iotx509_certlist_new(&full)) == 0 && (err = iotx509_certlist_load(full, PATH(p, P_FULLCHAIN))) == 0 &&
	    (err = iotx509_key_load(&key, PATH(p, P_KEY), NULL)) == 0) {
		leaf = iotx509_certlist_get(full, 0);
		err = cert_is_ours(b, leaf, id) && iotx509_cert_check_key(leaf, key) == 0 ? 0 : IOTX509_EEXISTS;
	}
	if (err < 0 && err != IOTX509_ENOMEM) {
		err = iox_error(IOTX509_EEXISTS,
				"%s is missing from the set this batch wrote for '%s', and %s does not hold it with its key "
				"(remove its other files to issue it again, or use --force)",
				PATH(p, P_CERT), id, PATH(p, P_FULLCHAIN));
		goto out;
	}
	if (err < 0)
		goto out;
	if ((err = iotx509_cert_export_pem(&pem, leaf)) == 0 && (err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iotx509_fileset_add(set, PATH(p, P_CERT), pem.data, pem.size, 0)) == 0)
		err = iox_fileset_commit(set, sync);
out:
	iotx509_fileset_free(set);
	iotx509_buf_dispose(&pem);
	iotx509_key_free(key);
	iotx509_certlist_free(full);
	return err;
}

/*
 * Issue the device and write its set, the record last (when the record
 * exists, so do the files). Files in the way are replaced when they are
 * the leftovers of a set this CA was writing (or with IOTX509_BATCH_FORCE),
 * else the device fails with IOTX509_EEXISTS.
 */
static int issue_one(const iotx509_batch *b, const paths_t *p, const item_t *it, record_t *r)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_key *key = NULL;
	iotx509_cert *cert = NULL;
	iotx509_credential *cred = NULL;
	iotx509_fileset *set = NULL;
	char line[128];
	int err, n;

	if ((err = iotx509_key_generate(&key, b->key_type)) == 0 &&
	    (err = iotx509_issue_device(&cert, b->issuer, key, it->id, &b->io)) == 0 &&
	    (err = iotx509_credential_new(&cred, cert, key, b->chain, IOTX509_CREDENTIAL_PARTIAL_CHAIN)) == 0 &&
	    (err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iotx509_credential_stage(set, cred, b->out_dir, (const char *)p->stem.data, &b->so)) == 0) {
		record_for_item(r, b, it);
		r->pfx = b->pfx_password != NULL;
		record_from_cert(r, cert);
		n = record_format(line, sizeof(line), r);
		err = b->use_xattr ? iox_fileset_set_xattr(set, PATH(p, P_FULLCHAIN), RECORD_XATTR, line, (size_t)n)
				   : iotx509_fileset_add(set, p->record, (const unsigned char *)line, (size_t)n, 0);
		/* The targets are expected to be absent: no lookups first. */
		if (err == 0)
			err = iox_fileset_commit(set, sync | IOX_WRITE_NOPRECHECK);
		/* Nothing of the set is left: see whose files are in the way. */
		if (err == IOTX509_EEXISTS && (err = leftovers_are_ours(b, p, it->id)) == 0)
			err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE | sync);
		if (err == IOTX509_EUNSUPPORTED && b->use_xattr)
			err = iox_error(IOTX509_EIO,
					"%s: the file system has no extended attributes for the batch's records; "
					"use --no-xattr (IOTX509_BATCH_NO_XATTR)",
					b->out_dir ? b->out_dir : ".");
	}
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_cert_free(cert);
	iotx509_key_free(key);
	return err;
}

/*
 * This run finished a device with the same files before: the ID listed
 * again, or (camel-cased names) another ID with the same stem.
 */
static int duplicate(const iotx509_batch *b, const paths_t *p, const slot_t *s)
{
	iotx509_cert *cert = NULL;
	const char *where = b->src.path ? "line" : "item";
	int err;

	if (b->names != IOTX509_NAMES_VERBATIM && iotx509_cert_load(&cert, PATH(p, P_CERT)) == 0 &&
	    cert->subject_cn != NULL && strcmp(cert->subject_cn, s->it.id) != 0)
		err = iox_error(IOTX509_EDUPLICATE,
				"device ID '%s' gets the file name stem '%s' of '%s' (%s %" PRIu64
				") under create_test_cert.js names; rename one of them",
				s->it.id, (const char *)p->stem.data, cert->subject_cn, where, s->rec.item);
	else
		err = iox_error(IOTX509_EDUPLICATE, "device ID '%s' is listed more than once (first at %s %" PRIu64 ")",
				s->it.id, where, s->rec.item);
	iotx509_cert_free(cert);
	return err;
}

/* Process one item; the outcome goes into the slot. */
static void process(const iotx509_batch *b, slot_t *s)
{
	const char *id = s->it.id;
	record_where where;
	paths_t p;
	int err, rec;

	s->result = R_FAILED;
	if ((err = iotx509_id_validate_device(id, b->io.id_policy, IOTX509_ID_AS_CN)) < 0)
		goto fail;
	if ((err = paths_make(&p, b, id)) < 0) {
		paths_free(&p);
		if (err == IOTX509_EINVAL) /* not usable as a file name */
			goto fail;
		goto fatal;
	}
	rec = record_read(&s->rec, &where, &p);
	if (rec == 1 && strcmp(s->rec.run, b->run_id) == 0) {
		err = duplicate(b, &p, s);
		paths_free(&p);
		goto fail;
	}
	if (rec == 1 && !(b->flags & IOTX509_BATCH_FORCE) && access(PATH(&p, P_CERT), F_OK) != 0 && errno == ENOENT) {
		/* Finished, then its certificate file was deleted: complete the set. */
		if ((err = restore_cert(b, &p, id, s->rec.pfx)) == 0)
			err = claim(b, &p, where, s);
		paths_free(&p);
		if (err == 0) {
			s->result = R_SKIPPED;
			return;
		}
		if (err == IOTX509_EEXISTS)
			goto fail;
		goto fatal;
	}
	/* Finished by an earlier batch (a .pfx it lacks is added): claim it
	 * for this manifest. */
	if (rec == 1 && (files_complete(&p, s->rec.pfx) || (b->pfx_password != NULL && files_complete(&p, 0)))) {
		err = claim(b, &p, where, s);
		if (err == 0) {
			paths_free(&p);
			s->result = R_SKIPPED;
			return;
		}
		if (err != IOTX509_EEXISTS || !(b->flags & IOTX509_BATCH_FORCE)) {
			paths_free(&p);
			/* A disk or memory failure would fail every device; the
			 * rest (a damaged key file under the .pfx to add) is this one's. */
			if (err == IOTX509_EIO || err == IOTX509_ENOMEM || err == IOTX509_ECRYPTO)
				goto fatal;
			goto fail;
		}
	}
	err = issue_one(b, &p, &s->it, &s->rec);
	paths_free(&p);
	if (err == 0) {
		s->result = R_ISSUED;
		return;
	}
	if (err == IOTX509_EDEVICEID || err == IOTX509_EEXISTS)
		goto fail;
fatal:
	s->result = R_FATAL;
fail:
	s->code = err;
	snprintf(s->message, sizeof(s->message), "%s",
		 iotx509_error_last() ? iotx509_error_last() : iotx509_strerror(err));
}

static void *worker(void *arg)
{
	iotx509_batch *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		slot_t *s;

		while (!b->stop && b->ready_count == 0)
			pthread_cond_wait(&b->work, &b->mu);
		if (b->stop)
			break;
		s = &b->slots[b->ready[b->ready_head]];
		b->ready_head = (b->ready_head + 1) % b->nslots;
		b->ready_count--;
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&b->mu);
		process(b, s);
		pthread_mutex_lock(&b->mu);
		s->state = SLOT_DONE;
		b->inflight--;
		/* Wake the driving thread only when it has work: every wake-up is
		 * two context switches taken from the workers. */
		if (++b->worked >= b->wake_at || b->inflight == 0)
			pthread_cond_signal(&b->done);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static void stop_workers(iotx509_batch *b)
{
	unsigned int i;

	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	pthread_cond_broadcast(&b->work);
	pthread_mutex_unlock(&b->mu);
	for (i = 0; i < b->nthreads; i++)
		pthread_join(b->threads[i], NULL);
	b->nthreads = 0;
}

static void set_fatal(iotx509_batch *b, int code, const char *msg);

/* Flush the file system every SYNC_EVERY devices, in a thread of its own:
 * the flush waits for the disk, while the workers need the processors. */
static void *flusher(void *arg)
{
	iotx509_batch *b = arg;
	char msg[MSG_MAX];
	int err;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->stop_flush && b->unsynced < SYNC_EVERY)
			pthread_cond_wait(&b->flush_cv, &b->mu);
		if (b->stop_flush)
			break;
		b->unsynced = 0;
		pthread_mutex_unlock(&b->mu);
		err = iox_sync_fs(b->state_dir);
		if (err < 0)
			snprintf(msg, sizeof(msg), "%s", iotx509_error_last());
		pthread_mutex_lock(&b->mu);
		if (err < 0)
			set_fatal(b, err, msg);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static void stop_flusher(iotx509_batch *b)
{
	if (!b->flusher_running)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop_flush = 1;
	pthread_cond_signal(&b->flush_cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->flusher, NULL);
	b->flusher_running = 0;
}

static int start_workers(iotx509_batch *b)
{
	unsigned int i;
	int ret;

	b->nslots = (size_t)b->jobs * SLOTS_PER_JOB < 16 ? 16 : (size_t)b->jobs * SLOTS_PER_JOB;
	b->slots = calloc(b->nslots, sizeof(*b->slots));
	b->ready = calloc(b->nslots, sizeof(*b->ready));
	b->threads = calloc(b->jobs, sizeof(*b->threads));
	if (b->slots == NULL || b->ready == NULL || b->threads == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (i = 0; i < b->jobs; i++) {
		if ((ret = pthread_create(&b->threads[i], NULL, worker, b)) != 0) {
			stop_workers(b);
			return iox_error(IOTX509_ENOMEM, "batch: cannot start a worker thread: %s", strerror(ret));
		}
		b->nthreads++;
	}
	if (!(b->flags & IOTX509_BATCH_FSYNC_EACH)) {
		if ((ret = pthread_create(&b->flusher, NULL, flusher, b)) != 0) {
			stop_workers(b);
			return iox_error(IOTX509_ENOMEM, "batch: cannot start a thread: %s", strerror(ret));
		}
		b->flusher_running = 1;
	}
	b->workers_started = 1;
	return 0;
}

/* ---- driving the workers ---- */

static void add_failure(iotx509_batch *b, const item_t *it, int code, const char *message)
{
	failure_t *f;

	b->failed++;
	if (b->nfails >= IOTX509_BATCH_MAX_FAILURES)
		return;
	f = &b->fails[b->nfails];
	f->id = strdup(it->id);
	f->message = strdup(message);
	if (f->id == NULL || f->message == NULL) {
		free(f->id);
		free(f->message);
		return;
	}
	f->pub.item = it->item;
	f->pub.device_id = f->id;
	f->pub.code = code;
	f->pub.message = f->message;
	b->nfails++;
}

static void clear_failures(iotx509_batch *b)
{
	size_t i;

	for (i = 0; i < b->nfails; i++) {
		free(b->fails[i].id);
		free(b->fails[i].message);
	}
	b->nfails = 0;
}

/* With b->mu held: the slot with the file name stem @stem that is still
 * being worked on, if any (then this occurrence is a duplicate, or another
 * ID with the same files, and must not race with it). */
static const slot_t *in_flight(const iotx509_batch *b, const char *stem)
{
	size_t i;

	for (i = 0; i < b->nslots; i++)
		if ((b->slots[i].state == SLOT_READY || b->slots[i].state == SLOT_BUSY) &&
		    strcmp(b->slots[i].stem, stem) == 0)
			return &b->slots[i];
	return NULL;
}

/* The slot's stem; "" when the ID gives none (processing then fails it). */
static void slot_stem(const iotx509_batch *b, slot_t *s)
{
	iotx509_buf stem = IOTX509_BUF_INIT;

	s->stem[0] = '\0';
	if (b->names == IOTX509_NAMES_VERBATIM)
		snprintf(s->stem, sizeof(s->stem), "%s", s->it.id);
	else if (iotx509_credential_stem(&stem, s->it.id, b->names) == 0)
		snprintf(s->stem, sizeof(s->stem), "%s", (const char *)stem.data);
	iotx509_buf_dispose(&stem);
}

static void set_fatal(iotx509_batch *b, int code, const char *msg)
{
	size_t i;

	if (b->fatal)
		return;
	b->fatal = code;
	snprintf(b->fatal_msg, sizeof(b->fatal_msg), "%s", msg ? msg : iotx509_strerror(code));
	/* Nothing new starts; what runs finishes its files. */
	for (i = 0; i < b->ready_count; i++)
		b->slots[b->ready[(b->ready_head + i) % b->nslots]].state = SLOT_FREE;
	b->inflight -= b->ready_count;
	b->ready_count = 0;
	b->src_done = 1;
	pthread_cond_broadcast(&b->done);
}

/* With b->mu held: take items from the source into free slots of the ring. */
static void feed(iotx509_batch *b)
{
	while (!b->src_done && !b->fatal && b->fed < b->allowed) {
		slot_t *s = &b->slots[b->fed % b->nslots];
		const slot_t *other;
		int ret;

		if (s->state != SLOT_FREE)
			return; /* the ring is full */
		ret = source_next_shard(&b->src, &s->it, b->shard_k, b->shard_n);
		if (ret <= 0) {
			b->src_done = 1;
			if (ret < 0)
				set_fatal(b, ret, iotx509_error_last());
			return;
		}
		s->seq = b->fed++;
		s->result = R_FAILED;
		if (s->it.problem != ITEM_OK) {
			s->code = IOTX509_EDEVICEID;
			if (s->it.problem == ITEM_NUL)
				snprintf(s->message, sizeof(s->message),
					 "the device ID holds a NUL byte (character %" PRIu64 " of the line)", s->it.nul_at);
			else
				snprintf(s->message, sizeof(s->message), "the device ID is longer than %u characters",
					 IOTX509_BATCH_MAX_LINE);
			s->state = SLOT_DONE;
			continue;
		}
		slot_stem(b, s);
		if (s->stem[0] != '\0' && (other = in_flight(b, s->stem)) != NULL) {
			s->code = IOTX509_EDUPLICATE;
			if (strcmp(other->it.id, s->it.id) == 0)
				snprintf(s->message, sizeof(s->message),
					 "device ID '%s' is listed more than once (first at %s %" PRIu64 ")", s->it.id,
					 b->src.path ? "line" : "item", other->it.item);
			else
				snprintf(s->message, sizeof(s->message),
					 "device ID '%.200s' gets the file name stem '%.200s' of '%.200s' (%s %" PRIu64
					 ") under create_test_cert.js names; rename one of them",
					 s->it.id, s->stem, other->it.id, b->src.path ? "line" : "item", other->it.item);
			s->state = SLOT_DONE;
			continue;
		}
		s->state = SLOT_READY;
		b->ready[(b->ready_head + b->ready_count) % b->nslots] = (size_t)(s - b->slots);
		b->ready_count++;
		b->inflight++;
		pthread_cond_signal(&b->work);
	}
}

/* ---- the manifests ---- */

static int csv_field(iox_wstream *w, const char *s, int last)
{
	int err = 0;

	if (strpbrk(s, ",\"\r\n") != NULL || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		const char *q;

		err = iox_wstream_write(w, "\"", 1);
		for (q = s; err == 0 && *q; q++)
			err = *q == '"' ? iox_wstream_write(w, "\"\"", 2) : iox_wstream_write(w, q, 1);
		if (err == 0)
			err = iox_wstream_write(w, "\"", 1);
	} else {
		err = iox_wstream_write(w, s, strlen(s));
	}
	return err ? err : iox_wstream_write(w, last ? "\n" : ",", 1);
}

static int json_member(iox_wstream *w, const char *key, const char *s, int first)
{
	char esc[8];
	const char *q;
	int err;

	err = iox_wstream_write(w, first ? "{\"" : ",\"", 2);
	if (!err)
		err = iox_wstream_write(w, key, strlen(key));
	if (!err && s == NULL)
		return iox_wstream_write(w, "\":null", 6);
	if (!err)
		err = iox_wstream_write(w, "\":\"", 3);
	for (q = s; err == 0 && *q; q++) {
		unsigned char c = (unsigned char)*q;
		size_t run = 0;

		/* Plain characters in one piece: a record is mostly plain. */
		while (q[run] != '\0' && q[run] != '"' && q[run] != '\\' && (unsigned char)q[run] >= 0x20)
			run++;
		if (run > 0) {
			err = iox_wstream_write(w, q, run);
			q += run - 1;
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			err = iox_wstream_write(w, esc, 2);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			err = iox_wstream_write(w, esc, 6);
		}
	}
	return err ? err : iox_wstream_write(w, "\"", 1);
}

static const char *const manifest_columns[] = { "device_id",	"serial",   "sha1_thumbprint",
						"sha256_thumbprint", "not_after", "cert_path",
						"key_path",	 "fullchain_path", "pfx_path" };

static int manifest_open(iotx509_batch *b)
{
	int i, err;

	if ((err = iox_wstream_open(&b->csv, b->manifest_csv, 0)) < 0 ||
	    (err = iox_wstream_open(&b->jsonl, b->manifest_jsonl, 0)) < 0)
		return err;
	for (i = 0; i < 9; i++)
		if ((err = csv_field(b->csv, manifest_columns[i], i == 8)) < 0)
			return err;
	return 0;
}

static int manifest_record(iotx509_batch *b, const char *id, const record_t *r)
{
	char not_after[32];
	const char *v[9];
	paths_t p;
	int i, err;

	if ((err = paths_make(&p, b, id)) < 0) {
		paths_free(&p);
		return err;
	}
	iox_format_time(not_after, sizeof(not_after), r->not_after);
	v[0] = id;
	v[1] = r->serial;
	v[2] = r->sha1;
	v[3] = r->sha256;
	v[4] = not_after;
	v[5] = PATH(&p, 0);
	v[6] = PATH(&p, 1);
	v[7] = PATH(&p, 2);
	v[8] = r->pfx ? PATH(&p, 3) : NULL;
	for (i = 0; err == 0 && i < 9; i++)
		err = csv_field(b->csv, v[i] ? v[i] : "", i == 8);
	for (i = 0; err == 0 && i < 9; i++)
		err = json_member(b->jsonl, manifest_columns[i], v[i], i == 0);
	if (err == 0)
		err = iox_wstream_write(b->jsonl, "}\n", 2);
	paths_free(&p);
	return err;
}

/*
 * With b->mu held: count the finished items in order and write their
 * manifest records; a slot is free again once counted. The records are
 * written with the lock released (the workers need it to take the next
 * item): only this thread touches slots that are done.
 */
static void harvest(iotx509_batch *b)
{
	char msg[MSG_MAX];

	for (;;) {
		uint64_t first = b->completed, end = first, q;
		int err = 0;

		while (end - first < b->nslots) {
			const slot_t *s = &b->slots[end % b->nslots];

			if (s->state != SLOT_DONE || s->seq != end)
				break;
			end++;
		}
		if (end == first)
			return;
		pthread_mutex_unlock(&b->mu);
		for (q = first; q < end && err == 0; q++) {
			const slot_t *s = &b->slots[q % b->nslots];

			if (s->result == R_ISSUED || s->result == R_SKIPPED)
				err = manifest_record(b, s->it.id, &s->rec);
		}
		if (err < 0)
			snprintf(msg, sizeof(msg), "%s", iotx509_error_last() ? iotx509_error_last() : iotx509_strerror(err));
		pthread_mutex_lock(&b->mu);
		for (q = first; q < end; q++) {
			slot_t *s = &b->slots[q % b->nslots];

			switch (s->result) {
			case R_ISSUED:
				b->issued++;
				if (++b->unsynced >= SYNC_EVERY)
					pthread_cond_signal(&b->flush_cv);
				break;
			case R_SKIPPED:
				b->skipped++;
				break;
			case R_FAILED:
				add_failure(b, &s->it, s->code, s->message);
				break;
			case R_FATAL:
				set_fatal(b, s->code, s->message);
				break;
			}
			b->completed++;
			s->state = SLOT_FREE;
		}
		if (err < 0)
			set_fatal(b, err, msg);
	}
}

/* The last flush, when the other threads are gone. */
static void flush_fs(iotx509_batch *b)
{
	if (b->unsynced > 0 && !(b->flags & IOTX509_BATCH_FSYNC_EACH) && iox_sync_fs(b->state_dir) < 0)
		set_fatal(b, IOTX509_EIO, iotx509_error_last());
	b->unsynced = 0;
}

/* Every item is counted: flush the devices' files, then move the
 * manifests into place (they only ever point at files on disk). */
static int finish(iotx509_batch *b)
{
	int err;

	stop_workers(b);
	stop_flusher(b);
	flush_fs(b);
	if (b->fatal)
		return b->fatal;
	if ((err = iox_wstream_commit(b->csv, IOTX509_WRITE_OVERWRITE)) < 0 ||
	    (err = iox_wstream_commit(b->jsonl, IOTX509_WRITE_OVERWRITE)) < 0) {
		set_fatal(b, err, iotx509_error_last());
		return err;
	}
	iox_wstream_free(b->csv);
	iox_wstream_free(b->jsonl);
	b->csv = b->jsonl = NULL;
	source_close(&b->src);
	b->finished = 1;
	return 0;
}

static int batch_run(iotx509_batch *b, size_t max_items)
{
	uint64_t target;
	int err;

	if (!b->workers_started) {
		if ((err = manifest_open(b)) < 0 || (err = start_workers(b)) < 0) {
			set_fatal(b, err, iotx509_error_last());
			return err;
		}
	}
	pthread_mutex_lock(&b->mu);
	target = max_items ? b->completed + max_items : UINT64_MAX;
	/* Let each worker run one item ahead, so none waits for the caller. */
	b->allowed = max_items ? target + b->jobs : UINT64_MAX;
	for (;;) {
		/* Count first: the slots the workers finished are free to feed. */
		harvest(b);
		feed(b);
		if (b->fatal || b->completed >= target || (b->src_done && b->completed == b->fed))
			break;
		/* Only wait when a worker has something to finish (an item that
		 * waits to be counted waits for one in flight), and only until the
		 * queue needs refilling or the step may be complete: both come
		 * from items already queued, so the wake-up always comes. */
		if (b->inflight > 0) {
			uint64_t k = b->ready_count > b->jobs ? b->ready_count - b->jobs : 1;

			if (target - b->completed < k)
				k = target - b->completed;
			b->wake_at = b->worked + (k ? k : 1);
			while (b->worked < b->wake_at && b->inflight > 0)
				pthread_cond_wait(&b->done, &b->mu);
		}
	}
	pthread_mutex_unlock(&b->mu);
	if (!b->fatal && b->src_done && b->completed == b->fed && (err = finish(b)) < 0)
		return err;
	if (b->fatal)
		return iox_error(b->fatal, "%s", b->fatal_msg);
	return 0;
}

static int failure_cmp(const void *x, const void *y)
{
	const failure_t *a = x, *b = y;

	return a->pub.item < b->pub.item ? -1 : a->pub.item > b->pub.item;
}

int iotx509_batch_run(iotx509_batch *b, size_t max_items)
{
	int err;

	if (b == NULL)
		return iox_error(IOTX509_EINVAL, "batch run: NULL argument");
	clear_failures(b);
	if (b->fails == NULL && (b->fails = calloc(IOTX509_BATCH_MAX_FAILURES, sizeof(*b->fails))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (b->fatal)
		return iox_error(b->fatal, "%s", b->fatal_msg);
	if (b->finished)
		return 0;
	err = batch_run(b, max_items);
	/* Counted in ID order already; sorting keeps that if it ever changes. */
	qsort(b->fails, b->nfails, sizeof(*b->fails), failure_cmp);
	return err;
}

int iotx509_batch_is_done(const iotx509_batch *b)
{
	return b != NULL && b->finished;
}

uint64_t iotx509_batch_get_total(const iotx509_batch *b)
{
	return b ? b->total : 0;
}

uint64_t iotx509_batch_get_processed(const iotx509_batch *b)
{
	return b ? b->completed : 0;
}

uint64_t iotx509_batch_get_issued(const iotx509_batch *b)
{
	return b ? b->issued : 0;
}

uint64_t iotx509_batch_get_skipped(const iotx509_batch *b)
{
	return b ? b->skipped : 0;
}

uint64_t iotx509_batch_get_failed(const iotx509_batch *b)
{
	return b ? b->failed : 0;
}

size_t iotx509_batch_failure_count(const iotx509_batch *b)
{
	return b ? b->nfails : 0;
}

const iotx509_batch_failure *iotx509_batch_get_failure(const iotx509_batch *b, size_t index)
{
	return b && index < b->nfails ? &b->fails[index].pub : NULL;
}

const char *iotx509_batch_get_manifest_csv(const iotx509_batch *b)
{
	return b ? b->manifest_csv : NULL;
}

const char *iotx509_batch_get_manifest_jsonl(const iotx509_batch *b)
{
	return b ? b->manifest_jsonl : NULL;
}

void iotx509_batch_free(iotx509_batch *b)
{
	if (b == NULL)
		return;
	if (b->nthreads)
		stop_workers(b);
	stop_flusher(b);
	/* Flush what the workers wrote, so a later batch resumes from it. */
	if (b->unsynced && !(b->flags & IOTX509_BATCH_FSYNC_EACH))
		(void)iox_sync_fs(b->state_dir);
	iox_wstream_free(b->csv);
	iox_wstream_free(b->jsonl);
	source_free(&b->src);
	clear_failures(b);
	free(b->fails);
	free(b->slots);
	free(b->ready);
	free(b->threads);
	if (b->shard_fd >= 0)
		close(b->shard_fd);
	if (b->lock_fd >= 0)
		close(b->lock_fd);
	iotx509_issuer_free(b->issuer);
	iotx509_cert_free(b->ca_cert);
	iotx509_certlist_free(b->chain);
	if (b->pfx_password != NULL) {
		gnutls_memset(b->pfx_password, 0, strlen(b->pfx_password));
		free(b->pfx_password);
	}
	free(b->friendly_name);
	free(b->out_dir);
	free(b->state_dir);
	free(b->done_dir);
	free(b->manifest_csv);
	free(b->manifest_jsonl);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->done);
	pthread_cond_destroy(&b->flush_cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

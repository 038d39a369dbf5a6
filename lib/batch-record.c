/*
 * The batch's completion records (see lib/batch.c): the extended attribute
 * of a device's full chain, or its done/ID.done file; the file names of a
 * device; and the locks of the state directory.
 */
#include "batch-internal.h"
#include "cert-internal.h"
#include "credential-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* 1 if files in the output directory can have user extended attributes:
 * tried on an unnamed file there (or on the lock file). */
int iox_batch_xattr_works(const iotx509_batch *b)
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
 * what interrupted ones left. See the comment at the top of lib/batch.c.
 */
int iox_batch_take_locks(iotx509_batch *b)
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

int iox_record_format(char *buf, size_t size, const record_t *r)
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

void iox_record_from_cert(record_t *r, const iotx509_cert *c)
{
	snprintf(r->serial, sizeof(r->serial), "%s", c->serial_hex);
	memcpy(r->sha1, c->sha1, sizeof(r->sha1));
	memcpy(r->sha256, c->sha256, sizeof(r->sha256));
	r->not_after = (long long)c->not_after;
}

/* Make @r this run's record of @it (the .pfx flag is the caller's). */
void iox_record_for_item(record_t *r, const iotx509_batch *b, const item_t *it)
{
	memcpy(r->run, b->run_id, sizeof(r->run));
	r->index = it->index;
	r->item = it->item;
}

void iox_paths_free(paths_t *p)
{
	int i;

	for (i = 0; i < 4; i++)
		iotx509_buf_dispose(&p->path[i]);
	iotx509_buf_dispose(&p->stem);
	free(p->record);
}

int iox_paths_make(paths_t *p, const iotx509_batch *b, const char *id)
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

/*
 * 1 and @r when the device has a well-formed record, 0 when it has none,
 * -1 when the record is damaged; @where says where it was. The attribute
 * is looked at first: one lookup tells a device not begun (no full chain,
 * whatever a record file says) from one that has a record.
 */
int iox_record_read(record_t *r, record_where *where, const paths_t *p)
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
int iox_record_rewrite(const iotx509_batch *b, const paths_t *p, record_where where, const record_t *r)
{
	iotx509_fileset *set = NULL;
	char line[128];
	int n = iox_record_format(line, sizeof(line), r), err;

	if (where == REC_XATTR) {
		if (setxattr(PATH(p, P_FULLCHAIN), RECORD_XATTR, line, (size_t)n, XATTR_REPLACE) != 0)
			return iox_error(IOTX509_EIO, "%s: cannot update the extended attribute " RECORD_XATTR ": %s",
					 PATH(p, P_FULLCHAIN), strerror(errno));
		return 0;
	}
	if ((err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iox_fileset_add(set, p->record, (const unsigned char *)line, (size_t)n, 0)) == 0)
		err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE |
						      ((b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC));
	iotx509_fileset_free(set);
	return err;
}

/* 1 if every file of a finished device is there and not empty (a power
 * failure before the flush can leave empty files behind). */
int iox_files_complete(const paths_t *p, int pfx)
{
	struct stat st;
	int i;

	for (i = 0; i < (pfx ? 4 : 3); i++)
		if (stat(PATH(p, i), &st) != 0 || st.st_size == 0)
			return 0;
	return 1;
}

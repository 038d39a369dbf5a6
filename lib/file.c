/*
 * The single file reader and the single atomic file writer (a file set;
 * writing one file is a set of one).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IOX_MAX_READ (64u * 1024u * 1024u)

static int write_all(int fd, const unsigned char *data, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding @path so the rename itself is durable. */
static void sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/*
 * Writing: a file set stages every file in a temporary file beside its
 * target and moves them into place only when all are complete.
 * iotx509_file_write() is a set of one, so there is a single writer.
 */
struct iox_entry {
	char *path;
	unsigned char *data;
	size_t size;
	unsigned int flags;
	char tmp[PATH_MAX];    /* staged contents; "" when none */
	char backup[PATH_MAX]; /* hard link to the replaced file; "" when none */
	int installed;         /* our file is at path */
};

struct iotx509_fileset {
	struct iox_entry *e;
	size_t count, cap;
	int committed;
};

int iotx509_fileset_new(iotx509_fileset **out)
{
	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "file set: NULL argument");
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	return 0;
}

static void entry_wipe(struct iox_entry *e)
{
	if (e->data != NULL) {
		gnutls_memset(e->data, 0, e->size);
		free(e->data);
	}
	free(e->path);
	memset(e, 0, sizeof(*e));
}

void iotx509_fileset_free(iotx509_fileset *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->count; i++)
		entry_wipe(&set->e[i]);
	free(set->e);
	free(set);
}

size_t iotx509_fileset_count(const iotx509_fileset *set)
{
	return set ? set->count : 0;
}

const char *iotx509_fileset_get_path(const iotx509_fileset *set, size_t index)
{
	return set && index < set->count ? set->e[index].path : NULL;
}

int iotx509_fileset_add(iotx509_fileset *set, const char *path, const unsigned char *data, size_t size,
			unsigned int flags)
{
	struct iox_entry *e;
	size_t i;

	if (set == NULL || path == NULL || *path == '\0' || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "file write: no path or no data");
	if (flags & ~(unsigned int)(IOTX509_WRITE_OVERWRITE | IOTX509_WRITE_PRIVATE))
		return iox_error(IOTX509_EINVAL, "%s: unknown write flags 0x%x", path, flags);
	if (set->committed)
		return iox_error(IOTX509_EINVAL, "%s: the file set was already written", path);
	/* Room for the ".tmp.XXXXXX" / ".old.XXXXXX" suffixes. */
	if (strlen(path) + 12 >= PATH_MAX)
		return iox_error(IOTX509_EINVAL, "%s: path too long", path);
	for (i = 0; i < set->count; i++)
		if (strcmp(set->e[i].path, path) == 0)
			return iox_error(IOTX509_EINVAL, "%s: the same file twice in one set", path);
	if (set->count == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 4;
		struct iox_entry *n = realloc(set->e, cap * sizeof(*n));

		if (n == NULL)
			return iox_error(IOTX509_ENOMEM, "out of memory");
		set->e = n;
		set->cap = cap;
	}
	e = &set->e[set->count];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	e->data = malloc(size ? size : 1);
	if (e->path == NULL || e->data == NULL) {
		free(e->path);
		free(e->data);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	if (size)
		memcpy(e->data, data, size);
	e->size = size;
	e->flags = flags & IOTX509_WRITE_PRIVATE;
	set->count++;
	return 0;
}

/* Write one entry's data to a fresh temporary file beside its target. */
static int stage(struct iox_entry *e)
{
	mode_t mode = (e->flags & IOTX509_WRITE_PRIVATE) ? 0600 : 0644;
	int fd, saved;

	snprintf(e->tmp, sizeof(e->tmp), "%s.tmp.XXXXXX", e->path);
	/* mkstemp creates the file 0600, so a key is never readable by others,
	 * not even for a moment. */
	fd = mkostemp(e->tmp, O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		e->tmp[0] = '\0';
		return iox_error(IOTX509_EIO, "%s: cannot create a temporary file: %s", e->path,
				 strerror(saved));
	}
	if ((mode != 0600 && fchmod(fd, mode) != 0) || write_all(fd, e->data, e->size) != 0 ||
	    fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(e->tmp);
		e->tmp[0] = '\0';
		return iox_error(IOTX509_EIO, "%s: write failed: %s", e->path, strerror(saved));
	}
	if (close(fd) != 0) {
		saved = errno;
		unlink(e->tmp);
		e->tmp[0] = '\0';
		return iox_error(IOTX509_EIO, "%s: write failed: %s", e->path, strerror(saved));
	}
	return 0;
}

/* Keep a hard link to the file we are about to replace, so that a failure
 * later in the set can put it back. */
static int keep_backup(struct iox_entry *e)
{
	struct stat st;
	int tries, fd, saved;

	for (tries = 0; tries < 16; tries++) {
		snprintf(e->backup, sizeof(e->backup), "%s.old.XXXXXX", e->path);
		fd = mkostemp(e->backup, O_CLOEXEC);
		if (fd < 0)
			break;
		/* mkstemp only reserved a free name; link() wants it absent. */
		close(fd);
		unlink(e->backup);
		if (link(e->path, e->backup) == 0)
			return 0;
		if (errno == ENOENT) { /* the old file vanished: nothing to keep */
			e->backup[0] = '\0';
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	saved = errno;
	e->backup[0] = '\0';
	if (lstat(e->path, &st) == 0 && S_ISDIR(st.st_mode))
		return iox_error(IOTX509_EIO, "%s: is a directory, not replaced", e->path);
	return iox_error(IOTX509_EIO, "%s: cannot keep the previous file while replacing it: %s", e->path,
			 strerror(saved));
}

/* Undo everything a failed commit did: our files out, old files back, no
 * temporary files left. */
static void roll_back(iotx509_fileset *set)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		struct iox_entry *e = &set->e[i];

		if (e->installed) {
			if (e->backup[0] != '\0') {
				if (rename(e->backup, e->path) == 0)
					e->backup[0] = '\0';
			} else
				unlink(e->path);
			e->installed = 0;
		}
		if (e->backup[0] != '\0')
			unlink(e->backup);
		if (e->tmp[0] != '\0')
			unlink(e->tmp);
		e->backup[0] = e->tmp[0] = '\0';
	}
}

int iotx509_fileset_commit(iotx509_fileset *set, unsigned int flags)
{
	int overwrite = (flags & IOTX509_WRITE_OVERWRITE) != 0;
	size_t i;
	int err = 0, saved;

	if (set == NULL)
		return iox_error(IOTX509_EINVAL, "file set: NULL argument");
	if (flags & ~(unsigned int)IOTX509_WRITE_OVERWRITE)
		return iox_error(IOTX509_EINVAL, "file set: unknown commit flags 0x%x", flags);
	if (set->committed)
		return iox_error(IOTX509_EINVAL, "the file set was already written");

	/* Fail early, before writing anything, when a target exists. */
	for (i = 0; !overwrite && i < set->count; i++)
		if (access(set->e[i].path, F_OK) == 0)
			return iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", set->e[i].path);

	for (i = 0; i < set->count && err == 0; i++)
		err = stage(&set->e[i]);

	for (i = 0; i < set->count && err == 0; i++) {
		struct iox_entry *e = &set->e[i];

		if (overwrite) {
			/* rename() replaces atomically; a set of one needs no backup. */
			if (set->count > 1 && access(e->path, F_OK) == 0 && (err = keep_backup(e)) != 0)
				break;
			if (rename(e->tmp, e->path) != 0) {
				saved = errno;
				err = iox_error(IOTX509_EIO, "%s: cannot rename into place: %s", e->path,
						strerror(saved));
				break;
			}
		} else {
			/* link() fails with EEXIST if the target appeared meanwhile: an
			 * atomic no-clobber rename. */
			if (link(e->tmp, e->path) != 0) {
				saved = errno;
				if (saved == EEXIST)
					err = iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", e->path);
				else
					err = iox_error(IOTX509_EIO, "%s: cannot move into place: %s", e->path,
							strerror(saved));
				break;
			}
			unlink(e->tmp);
		}
		e->tmp[0] = '\0';
		e->installed = 1;
	}
	if (err != 0) {
		roll_back(set);
		return err;
	}
	for (i = 0; i < set->count; i++) {
		struct iox_entry *e = &set->e[i];

		if (e->backup[0] != '\0')
			unlink(e->backup);
		e->backup[0] = '\0';
		e->installed = 0;
		sync_parent_dir(e->path);
	}
	set->committed = 1;
	return 0;
}

int iotx509_file_write(const char *path, const unsigned char *data, size_t size, unsigned int flags)
{
	iotx509_fileset *set = NULL;
	int err;

	if (path == NULL || *path == '\0' || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "file write: no path or no data");
	if (flags & ~(unsigned int)(IOTX509_WRITE_OVERWRITE | IOTX509_WRITE_PRIVATE))
		return iox_error(IOTX509_EINVAL, "%s: unknown write flags 0x%x", path, flags);
	if ((err = iotx509_fileset_new(&set)) == 0)
		err = iotx509_fileset_add(set, path, data, size, flags & IOTX509_WRITE_PRIVATE);
	if (err == 0)
		err = iotx509_fileset_commit(set, flags & IOTX509_WRITE_OVERWRITE);
	iotx509_fileset_free(set);
	return err;
}

int iotx509_file_read(iotx509_buf *out, const char *path)
{
	struct stat st;
	unsigned char *p;
	size_t got = 0;
	int fd, saved;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "file read: no path");
	out->data = NULL;
	out->size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		return iox_error(saved == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: cannot open: %s",
				 path, strerror(saved));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > IOX_MAX_READ) {
		close(fd);
		return iox_error(IOTX509_EIO, "%s: not a regular file of at most 64 MiB", path);
	}
	p = malloc((size_t)st.st_size + 1);
	if (p == NULL) {
		close(fd);
		return iox_error(IOTX509_ENOMEM, "%s: out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = n < 0 ? errno : EIO;
			close(fd);
			gnutls_memset(p, 0, got);
			free(p);
			return iox_error(IOTX509_EIO, "%s: read failed: %s", path, strerror(saved));
		}
		got += (size_t)n;
	}
	close(fd);
	p[got] = '\0';
	out->data = p;
	out->size = got;
	return 0;
}

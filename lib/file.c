/*
 * The single file reader and the single atomic file writer (a file set;
 * writing one file is a set of one).
 */
#include "internal.h"
#include "file-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/*
 * The writer's temporary names: TARGET.tmp.XXXXXX while a file is staged,
 * TARGET.old.XXXXXX for the file it replaces (mkstemp fills the Xs). A
 * writer killed midway leaves them behind; iox_temp_name() recognises them.
 */
#define TEMP_TAG ".tmp."
#define BACKUP_TAG ".old."
#define TEMP_RANDOM "XXXXXX"
#define TEMP_SUFFIX_LEN (sizeof(TEMP_TAG) - 1 + sizeof(TEMP_RANDOM) - 1)

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

/* The directory holding @path into @dir ("." when it names none); -1 when
 * it does not fit. */
static int parent_dir(char dir[PATH_MAX], const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < PATH_MAX) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else
		return -1;
	return 0;
}

/* fsync the directory holding @path so the rename itself is durable. */
static void sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	if (parent_dir(dir, path) != 0)
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
	int fd;                /* or staged in an unnamed O_TMPFILE; -1 when none */
	char backup[PATH_MAX]; /* hard link to the replaced file; "" when none */
	int installed;         /* our file is at path */
	char *xattr_name;      /* an extended attribute the file is created with */
	unsigned char *xattr_value;
	size_t xattr_size;
};

struct iotx509_fileset {
	struct iox_entry *e;
	size_t count, cap;
	int committed;
};

iotx509_error_code iotx509_fileset_new(iotx509_fileset **out)
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
	if (e->fd >= 0)
		close(e->fd);
	if (e->data != NULL) {
		gnutls_memset(e->data, 0, e->size);
		free(e->data);
	}
	free(e->path);
	free(e->xattr_name);
	free(e->xattr_value);
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

IOX_OPTS_TYPE(write_opts_type, "write options", IOTX509_WRITE_OPTIONS_VERSION, sizeof(iotx509_write_options));
static const iotx509_write_options write_opts_defaults = IOTX509_WRITE_OPTIONS_INIT;

iotx509_error_code iotx509_write_options_init(iotx509_write_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &write_opts_defaults, &write_opts_type);
}

int iox_write_flags(unsigned int *flags, const iotx509_write_options *opts)
{
	iotx509_write_options copy;

	*flags = 0;
	if (iox_opts_read(&copy, opts, &write_opts_defaults, &write_opts_type) < 0)
		return IOTX509_EINVAL;
	*flags = copy.flags;
	return 0;
}

iotx509_error_code iotx509_fileset_add(iotx509_fileset *set, const char *path, const unsigned char *data, size_t size,
			const iotx509_write_options *opts)
{
	unsigned int flags;

	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	return iox_fileset_add(set, path, data, size, flags);
}

int iox_fileset_add(iotx509_fileset *set, const char *path, const unsigned char *data, size_t size, unsigned int flags)
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
	if (IOX_ARRAY_GROW(set->e, set->cap, set->count, 4) < 0)
		return IOTX509_ENOMEM;
	e = &set->e[set->count];
	memset(e, 0, sizeof(*e));
	e->fd = -1;
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

int iox_fileset_set_xattr(iotx509_fileset *set, const char *path, const char *name, const void *value, size_t size)
{
	size_t i;

	if (set == NULL || path == NULL || name == NULL || (value == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "file set: NULL argument");
	for (i = 0; i < set->count; i++) {
		struct iox_entry *e = &set->e[i];

		if (strcmp(e->path, path) != 0)
			continue;
		free(e->xattr_name);
		free(e->xattr_value);
		e->xattr_name = strdup(name);
		e->xattr_value = malloc(size ? size : 1);
		if (e->xattr_name == NULL || e->xattr_value == NULL) {
			free(e->xattr_name);
			free(e->xattr_value);
			e->xattr_name = NULL;
			e->xattr_value = NULL;
			return iox_error(IOTX509_ENOMEM, "out of memory");
		}
		if (size)
			memcpy(e->xattr_value, value, size);
		e->xattr_size = size;
		return 0;
	}
	return iox_error(IOTX509_EINVAL, "%s: not in the file set", path);
}

/* Create the temporary file beside @path (its name into @tmp) with the
 * final mode; returns the descriptor or an error code. */
static int open_temp(char tmp[PATH_MAX], const char *path, unsigned int flags)
{
	mode_t mode = (flags & IOTX509_WRITE_PRIVATE) ? 0600 : 0644;
	int fd, saved;

	snprintf(tmp, PATH_MAX, "%s" TEMP_TAG TEMP_RANDOM, path);
	/* mkstemp creates the file 0600, so a key is never readable by others,
	 * not even for a moment. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		tmp[0] = '\0';
		return iox_error(IOTX509_EIO, "%s: cannot create a temporary file: %s", path, strerror(saved));
	}
	if (mode != 0600 && fchmod(fd, mode) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		tmp[0] = '\0';
		return iox_error(IOTX509_EIO, "%s: cannot set the mode of a temporary file: %s", path, strerror(saved));
	}
	return fd;
}

/*
 * An unnamed file (O_TMPFILE) in the directory of @path, with the mode
 * @flags ask for: it gets its name at commit with linkat(), which fails if
 * the name exists, and it vanishes by itself if the process dies before,
 * so nothing half-written is ever left behind. Its inode is allocated
 * without holding the directory's lock, which lets threads writing into
 * one directory work side by side. Returns the descriptor, an error code,
 * or IOX_NO_TMPFILE when the file system cannot (then a named temporary
 * file is used).
 */
#define IOX_NO_TMPFILE (-1000)

static int open_unnamed(const char *path, unsigned int flags)
{
#ifdef O_TMPFILE
	char dir[PATH_MAX];
	mode_t mode = (flags & IOTX509_WRITE_PRIVATE) ? 0600 : 0644;
	struct stat st;
	int fd, saved;

	if (parent_dir(dir, path) != 0)
		return IOX_NO_TMPFILE; /* the named temporary file reports it */
	/* Nobody else can open an unnamed file, so it can have its final mode
	 * at once; fchmod() only when the umask took bits away (it dirties the
	 * inode a second time, which a batch pays for every file). */
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0) {
		saved = errno;
		if (saved == EOPNOTSUPP || saved == EISDIR || saved == EINVAL)
			return IOX_NO_TMPFILE;
		return iox_error(IOTX509_EIO, "%s: cannot create a temporary file: %s", path, strerror(saved));
	}
	if ((fstat(fd, &st) != 0 || (st.st_mode & 07777) != mode) && fchmod(fd, mode) != 0) {
		saved = errno;
		close(fd);
		return iox_error(IOTX509_EIO, "%s: cannot set the mode of a temporary file: %s", path, strerror(saved));
	}
	return fd;
#else
	(void)path;
	(void)flags;
	return IOX_NO_TMPFILE;
#endif
}

/* Give the unnamed file of @e its name; fails with EEXIST if it exists. */
static int link_unnamed(const struct iox_entry *e)
{
	/* Set once AT_EMPTY_PATH was refused: an unprivileged process would
	 * otherwise pay a failing call for every file it writes. */
	static int no_empty_path;
	char proc[64];

	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc works for anyone. */
	if (!__atomic_load_n(&no_empty_path, __ATOMIC_RELAXED)) {
		if (linkat(e->fd, "", AT_FDCWD, e->path, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno == EEXIST)
			return -1;
		if (errno == ENOENT || errno == EPERM || errno == EINVAL)
			__atomic_store_n(&no_empty_path, 1, __ATOMIC_RELAXED);
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", e->fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, e->path, AT_SYMLINK_FOLLOW);
}

/* Write one entry's data to a fresh file beside its target: unnamed when
 * @unnamed and the file system allows, else a named temporary file. */
static int fill(const struct iox_entry *e, int fd, int sync)
{
	int saved;

	if (write_all(fd, e->data, e->size) != 0)
		goto fail;
	if (e->xattr_name != NULL && fsetxattr(fd, e->xattr_name, e->xattr_value, e->xattr_size, 0) != 0) {
		saved = errno;
		if (saved == ENOTSUP || saved == EOPNOTSUPP)
			return iox_error(IOTX509_EUNSUPPORTED, "%s: the file system has no extended attributes",
					 e->path);
		return iox_error(IOTX509_EIO, "%s: cannot set the extended attribute %s: %s", e->path,
				 e->xattr_name, strerror(saved));
	}
	if (sync && fsync(fd) != 0)
		goto fail;
	return 0;
fail:
	saved = errno;
	return iox_error(IOTX509_EIO, "%s: write failed: %s", e->path, strerror(saved));
}

static int stage(struct iox_entry *e, int sync, int unnamed)
{
	int fd, saved, err;

	if (unnamed && (fd = open_unnamed(e->path, e->flags)) != IOX_NO_TMPFILE) {
		if (fd < 0)
			return fd;
		if ((err = fill(e, fd, sync)) != 0) {
			close(fd);
			return err;
		}
		e->fd = fd;
		return 0;
	}
	if ((fd = open_temp(e->tmp, e->path, e->flags)) < 0)
		return fd;
	if ((err = fill(e, fd, sync)) != 0) {
		close(fd);
		unlink(e->tmp);
		e->tmp[0] = '\0';
		return err;
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
		snprintf(e->backup, sizeof(e->backup), "%s" BACKUP_TAG TEMP_RANDOM, e->path);
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
		if (e->fd >= 0)
			close(e->fd);
		e->fd = -1;
		e->backup[0] = e->tmp[0] = '\0';
	}
}

/* 1 if an entry before @i is in the directory of entry @i: one fsync of a
 * directory makes every rename into it durable. */
static int same_dir_earlier(const iotx509_fileset *set, size_t i)
{
	const char *p = set->e[i].path, *slash = strrchr(p, '/');
	size_t len = slash ? (size_t)(slash - p) : 0, j;

	for (j = 0; j < i; j++) {
		const char *q = set->e[j].path, *qs = strrchr(q, '/');
		size_t qlen = qs ? (size_t)(qs - q) : 0;

		if (qlen == len && (!slash) == (!qs) && memcmp(p, q, len) == 0)
			return 1;
	}
	return 0;
}

iotx509_error_code iotx509_fileset_commit(iotx509_fileset *set, const iotx509_write_options *opts)
{
	unsigned int flags;

	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	if (flags & ~(unsigned int)IOTX509_WRITE_OVERWRITE)
		return iox_error(IOTX509_EINVAL, "file set: unknown commit flags 0x%x", flags);
	return iox_fileset_commit(set, flags);
}

int iox_fileset_commit(iotx509_fileset *set, unsigned int flags)
{
	int overwrite = (flags & IOTX509_WRITE_OVERWRITE) != 0, sync = !(flags & IOX_WRITE_NOSYNC);
	size_t i;
	int err = 0, saved;

	if (set == NULL)
		return iox_error(IOTX509_EINVAL, "file set: NULL argument");
	if (flags & ~(unsigned int)(IOTX509_WRITE_OVERWRITE | IOX_WRITE_NOSYNC | IOX_WRITE_NOPRECHECK))
		return iox_error(IOTX509_EINVAL, "file set: unknown commit flags 0x%x", flags);
	if (set->committed)
		return iox_error(IOTX509_EINVAL, "the file set was already written");

	/* Fail early, before writing anything, when a target exists. */
	for (i = 0; !overwrite && !(flags & IOX_WRITE_NOPRECHECK) && i < set->count; i++)
		if (access(set->e[i].path, F_OK) == 0)
			return iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", set->e[i].path);

	for (i = 0; i < set->count && err == 0; i++)
		err = stage(&set->e[i], sync, !overwrite);

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
		} else if (e->fd >= 0 && link_unnamed(e) == 0) {
			close(e->fd);
			e->fd = -1;
		} else {
			if (e->fd >= 0) {
				saved = errno;
				if (saved == EEXIST) {
					err = iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", e->path);
					break;
				}
				/* No way to name it here (no /proc?): write it with a name. */
				close(e->fd);
				e->fd = -1;
				if ((err = stage(e, sync, 0)) != 0)
					break;
			}
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
		if (sync && !same_dir_earlier(set, i))
			sync_parent_dir(e->path);
	}
	set->committed = 1;
	return 0;
}

iotx509_error_code iotx509_file_write(const char *path, const unsigned char *data, size_t size,
			      const iotx509_write_options *opts)
{
	unsigned int flags;

	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	return iox_file_write(path, data, size, flags);
}

int iox_file_write(const char *path, const unsigned char *data, size_t size, unsigned int flags)
{
	iotx509_fileset *set = NULL;
	int err;

	if (path == NULL || *path == '\0' || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "file write: no path or no data");
	if (flags & ~(unsigned int)(IOTX509_WRITE_OVERWRITE | IOTX509_WRITE_PRIVATE))
		return iox_error(IOTX509_EINVAL, "%s: unknown write flags 0x%x", path, flags);
	if ((err = iotx509_fileset_new(&set)) == 0)
		err = iox_fileset_add(set, path, data, size, flags & IOTX509_WRITE_PRIVATE);
	if (err == 0)
		err = iox_fileset_commit(set, flags & IOTX509_WRITE_OVERWRITE);
	iotx509_fileset_free(set);
	return err;
}

/* Create directory @p unless it is one already. */
static int mkdir_one(const char *p, const char *full)
{
	struct stat st;
	int saved;

	if (mkdir(p, 0755) == 0)
		return 0;
	saved = errno;
	if (stat(p, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return iox_error(IOTX509_EIO, "%s: cannot create the directory: %s is not a directory", full, p);
	}
	return iox_error(IOTX509_EIO, "%s: cannot create the directory: %s", full, strerror(saved));
}

iotx509_error_code iotx509_file_mkdir(const char *path)
{
	char *p, *s;
	int err = 0;

	if (path == NULL || *path == '\0')
		return iox_error(IOTX509_EINVAL, "mkdir: no path");
	if ((p = iox_strdup(path)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	/* Each parent from the top (a/b/c: a, a/b), then the directory itself. */
	for (s = strchr(p + 1, '/'); s != NULL && err == 0; s = strchr(s + 1, '/')) {
		if (s[-1] == '/')
			continue;
		*s = '\0';
		err = mkdir_one(p, path);
		*s = '/';
	}
	if (err == 0)
		err = mkdir_one(p, path);
	free(p);
	return err;
}

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static int is_stream(mode_t mode)
{
	return S_ISFIFO(mode) || S_ISSOCK(mode);
}

int iox_open_input(const char *path, unsigned int flags, struct stat *st)
{
	int fd, fl, saved;

	/* A look before opening: opening a device can have effects of its own
	 * (a tape rewinds, a modem line waits for a carrier). */
	if (stat(path, st) != 0) {
		saved = errno;
		return iox_error(saved == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: cannot open: %s", path,
				 strerror(saved));
	}
	if (!S_ISREG(st->st_mode) && !((flags & IOX_OPEN_STREAM) && is_stream(st->st_mode)))
		return iox_error(IOTX509_EIO, "%s: is %s, not a regular file%s", path, kind_of(st->st_mode),
				 (flags & IOX_OPEN_STREAM) ? " or a pipe" : "");
	/* O_NONBLOCK: opening a FIFO without a writer returns at once, where
	 * a plain open() waits for one forever. O_NOCTTY: a terminal never
	 * becomes ours. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		return iox_error(saved == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: cannot open: %s", path,
				 strerror(saved));
	}
	/* The file may have been replaced between the look and the open. */
	if (fstat(fd, st) != 0 || (!S_ISREG(st->st_mode) && !((flags & IOX_OPEN_STREAM) && is_stream(st->st_mode)))) {
		close(fd);
		return iox_error(IOTX509_EIO, "%s: is %s, not a regular file%s", path, kind_of(st->st_mode),
				 (flags & IOX_OPEN_STREAM) ? " or a pipe" : "");
	}
	/* Reads from a stream wait for its writer, as reads should. */
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		saved = errno;
		close(fd);
		return iox_error(IOTX509_EIO, "%s: cannot open: %s", path, strerror(saved));
	}
	return fd;
}

iotx509_error_code iotx509_file_read(iotx509_buf *out, const char *path)
{
	struct stat st;
	unsigned char *p, *q;
	size_t got = 0, cap;
	int fd, saved;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "file read: no path");
	out->data = NULL;
	out->size = 0;
	if ((fd = iox_open_input(path, 0, &st)) < 0)
		return fd;
	if ((uintmax_t)st.st_size > IOTX509_FILE_MAX_READ) {
		close(fd);
		return iox_error(IOTX509_ELIMIT, "%s: %jd bytes is more than the %u MiB an input file may have", path,
				 (intmax_t)st.st_size, IOTX509_FILE_MAX_READ >> 20);
	}
	/* The size is a hint: the file can grow or shrink while it is read. */
	cap = (size_t)st.st_size + 1;
	if ((p = malloc(cap + 1)) == NULL) {
		close(fd);
		return iox_error(IOTX509_ENOMEM, "%s: out of memory", path);
	}
	for (;;) {
		ssize_t n;

		if (got == cap) {
			if (cap > IOTX509_FILE_MAX_READ) {
				close(fd);
				gnutls_memset(p, 0, got);
				free(p);
				return iox_error(IOTX509_ELIMIT, "%s: grew past the %u MiB an input file may have", path,
						 IOTX509_FILE_MAX_READ >> 20);
			}
			cap = cap > IOTX509_FILE_MAX_READ / 2 ? IOTX509_FILE_MAX_READ + 1 : 2 * cap;
			if ((q = malloc(cap + 1)) == NULL) {
				close(fd);
				gnutls_memset(p, 0, got);
				free(p);
				return iox_error(IOTX509_ENOMEM, "%s: out of memory", path);
			}
			/* Not realloc: the old buffer may hold a key, and is wiped. */
			memcpy(q, p, got);
			gnutls_memset(p, 0, got);
			free(p);
			p = q;
		}
		n = read(fd, p + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			gnutls_memset(p, 0, got);
			free(p);
			return iox_error(IOTX509_EIO, "%s: read failed: %s", path, strerror(saved));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	p[got] = '\0';
	out->data = p;
	out->size = got;
	return 0;
}

int iox_sync_fs(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

	if (fd < 0 || syncfs(fd) != 0) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		return iox_error(IOTX509_EIO, "%s: cannot flush the file system to disk: %s", path, strerror(saved));
	}
	close(fd);
	return 0;
}

/*
 * Streamed files: what is too big to hold in memory (a manifest of a
 * million devices) is written through a buffer to the temporary file and
 * moved into place as iotx509_fileset_commit() does for one file.
 */
struct iox_wstream {
	char *path;
	char tmp[PATH_MAX];
	int fd, failed;
	size_t used;
	unsigned char buf[64 * 1024];
};

int iox_wstream_open(iox_wstream **out, const char *path, unsigned int flags)
{
	iox_wstream *w;

	*out = NULL;
	if (path == NULL || *path == '\0' || strlen(path) + 12 >= PATH_MAX)
		return iox_error(IOTX509_EINVAL, "file write: no path, or a path too long");
	if ((w = calloc(1, sizeof(*w))) == NULL || (w->path = strdup(path)) == NULL) {
		free(w);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	if ((w->fd = open_temp(w->tmp, path, flags & IOTX509_WRITE_PRIVATE)) < 0) {
		int err = w->fd;

		free(w->path);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

static int wstream_flush(iox_wstream *w)
{
	int saved;

	if (w->failed)
		return IOTX509_EIO;
	if (w->used > 0 && write_all(w->fd, w->buf, w->used) != 0) {
		saved = errno;
		w->failed = 1;
		return iox_error(IOTX509_EIO, "%s: write failed: %s", w->path, strerror(saved));
	}
	w->used = 0;
	return 0;
}

int iox_wstream_write(iox_wstream *w, const void *data, size_t size)
{
	const unsigned char *p = data;
	int err;

	while (size > 0) {
		size_t n = sizeof(w->buf) - w->used;

		if (n == 0) {
			if ((err = wstream_flush(w)) < 0)
				return err;
			continue;
		}
		if (n > size)
			n = size;
		memcpy(w->buf + w->used, p, n);
		w->used += n;
		p += n;
		size -= n;
	}
	return w->failed ? IOTX509_EIO : 0;
}

int iox_wstream_commit(iox_wstream *w, unsigned int flags)
{
	int err, saved;

	if ((err = wstream_flush(w)) < 0)
		return err;
	if (!(flags & IOX_WRITE_NOSYNC) && fsync(w->fd) != 0) {
		saved = errno;
		w->failed = 1;
		return iox_error(IOTX509_EIO, "%s: write failed: %s", w->path, strerror(saved));
	}
	if (close(w->fd) != 0) {
		saved = errno;
		w->fd = -1;
		w->failed = 1;
		return iox_error(IOTX509_EIO, "%s: write failed: %s", w->path, strerror(saved));
	}
	w->fd = -1;
	if (flags & IOTX509_WRITE_OVERWRITE) {
		if (rename(w->tmp, w->path) != 0) {
			saved = errno;
			w->failed = 1;
			return iox_error(IOTX509_EIO, "%s: cannot rename into place: %s", w->path, strerror(saved));
		}
	} else {
		if (link(w->tmp, w->path) != 0) {
			saved = errno;
			w->failed = 1;
			if (saved == EEXIST)
				return iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", w->path);
			return iox_error(IOTX509_EIO, "%s: cannot move into place: %s", w->path, strerror(saved));
		}
		unlink(w->tmp);
	}
	w->tmp[0] = '\0';
	if (!(flags & IOX_WRITE_NOSYNC))
		sync_parent_dir(w->path);
	return 0;
}

void iox_wstream_free(iox_wstream *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp[0] != '\0')
		unlink(w->tmp);
	free(w->path);
	free(w);
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void iox_dir_free(char **paths, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
}

/* The one directory scan: @fn(@arg, name) for each entry but "." and "..",
 * in the order readdir() gives; stops at the first nonzero return, which
 * it returns. */
static int dir_scan(const char *path, int (*fn)(void *arg, const char *name), void *arg)
{
	DIR *dir;
	struct dirent *de;
	int ret = 0;

	if ((dir = opendir(path)) == NULL)
		return iox_error(errno == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: cannot open the directory: %s",
				 path, strerror(errno));
	while (ret == 0 && (de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			ret = fn(arg, de->d_name);
	closedir(dir);
	return ret;
}

struct dir_list {
	const char *path;
	char **paths;
	size_t n, cap;
};

static int dir_list_add(void *arg, const char *name)
{
	struct dir_list *l = arg;

	if (name[0] == '.')
		return 0;
	if (IOX_ARRAY_GROW(l->paths, l->cap, l->n, 32) < 0)
		return IOTX509_ENOMEM;
	if ((l->paths[l->n] = iox_path_join(l->path, name)) == NULL)
		return IOTX509_ENOMEM;
	l->n++;
	return 0;
}

int iox_dir_list(char ***out, size_t *count, const char *path)
{
	struct dir_list l = { path, NULL, 0, 0 };
	int ret;

	*out = NULL;
	*count = 0;
	if ((ret = dir_scan(path, dir_list_add, &l)) < 0) {
		iox_dir_free(l.paths, l.n);
		return ret;
	}
	if (l.n > 0)
		qsort(l.paths, l.n, sizeof(*l.paths), cmp_strings);
	*out = l.paths;
	*count = l.n;
	return 0;
}

char *iox_path_join(const char *dir, const char *name)
{
	size_t n;
	char *p;

	if (dir == NULL || *dir == '\0')
		return iox_strdup(name);
	n = strlen(dir) + strlen(name) + 2;
	if ((p = malloc(n)) == NULL) {
		iox_error(IOTX509_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return p;
}

const char *iox_path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *iox_path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return NULL;
	if (slash == path)
		return iox_strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int iox_temp_name(const char *name, size_t *base_len)
{
	size_t n = strlen(name), i;

	if (n <= TEMP_SUFFIX_LEN || (memcmp(name + n - TEMP_SUFFIX_LEN, TEMP_TAG, sizeof(TEMP_TAG) - 1) != 0 &&
				     memcmp(name + n - TEMP_SUFFIX_LEN, BACKUP_TAG, sizeof(BACKUP_TAG) - 1) != 0))
		return 0;
	for (i = n - (sizeof(TEMP_RANDOM) - 1); i < n; i++)
		if (!iox_is_alnum((unsigned char)name[i]))
			return 0;
	*base_len = n - TEMP_SUFFIX_LEN;
	return 1;
}

struct temp_clean {
	const char *dir, *only;
	const char *const *suffixes;
	size_t nsuffixes;
};

static int clean_one(void *arg, const char *name)
{
	const struct temp_clean *c = arg;
	size_t base, i, k;
	int match = 0;

	if (!iox_temp_name(name, &base))
		return 0;
	if (c->only != NULL)
		match = base == strlen(c->only) && memcmp(name, c->only, base) == 0;
	for (i = 0; c->only == NULL && i < c->nsuffixes && !match; i++) {
		k = strlen(c->suffixes[i]);
		match = base >= k && memcmp(name + base - k, c->suffixes[i], k) == 0;
	}
	if (match) {
		char *p = iox_path_join(c->dir, name);

		if (p != NULL)
			unlink(p);
		free(p);
	}
	return 0;
}

int iox_temp_clean(const char *dir, const char *const *suffixes, size_t nsuffixes, const char *only)
{
	struct temp_clean c = { dir, only, suffixes, nsuffixes };

	return dir_scan(dir && *dir ? dir : ".", clean_one, &c);
}

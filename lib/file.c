/*
 * The single file reader and the single atomic file writer.
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

int iotx509_file_write(const char *path, const unsigned char *data, size_t size, unsigned int flags)
{
	char tmp[PATH_MAX];
	int fd, saved;
	mode_t mode = (flags & IOTX509_WRITE_PRIVATE) ? 0600 : 0644;

	if (path == NULL || *path == '\0' || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "file write: no path or no data");
	if (flags & ~(unsigned int)(IOTX509_WRITE_OVERWRITE | IOTX509_WRITE_PRIVATE))
		return iox_error(IOTX509_EINVAL, "%s: unknown write flags 0x%x", path, flags);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return iox_error(IOTX509_EINVAL, "%s: path too long", path);

	/* Fail early, before writing anything, when the target exists. */
	if (!(flags & IOTX509_WRITE_OVERWRITE) && access(path, F_OK) == 0)
		return iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", path);

	/* mkstemp creates the file 0600, so a key is never readable by others,
	 * not even for a moment. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return iox_error(IOTX509_EIO, "%s: cannot create a temporary file: %s", path,
				 strerror(errno));
	if ((mode != 0600 && fchmod(fd, mode) != 0) || write_all(fd, data, size) != 0 ||
	    fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return iox_error(IOTX509_EIO, "%s: write failed: %s", path, strerror(saved));
	}
	if (close(fd) != 0) {
		saved = errno;
		unlink(tmp);
		return iox_error(IOTX509_EIO, "%s: write failed: %s", path, strerror(saved));
	}

	if (flags & IOTX509_WRITE_OVERWRITE) {
		if (rename(tmp, path) != 0) {
			saved = errno;
			unlink(tmp);
			return iox_error(IOTX509_EIO, "%s: cannot rename into place: %s", path,
					 strerror(saved));
		}
	} else {
		/* link() fails with EEXIST if the target appeared meanwhile: an
		 * atomic no-clobber rename. */
		if (link(tmp, path) != 0) {
			saved = errno;
			unlink(tmp);
			if (saved == EEXIST)
				return iox_error(IOTX509_EEXISTS, "%s: file exists (not overwritten)", path);
			return iox_error(IOTX509_EIO, "%s: cannot move into place: %s", path,
					 strerror(saved));
		}
		unlink(tmp);
	}
	sync_parent_dir(path);
	return 0;
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

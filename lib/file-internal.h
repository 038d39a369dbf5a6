/*
 * File-module helpers: bulk writing (lib/batch*.c), paths, directory
 * scans and the writer's temporary names. Never installed.
 */
#ifndef IOTX509_FILE_INTERNAL_H
#define IOTX509_FILE_INTERNAL_H

#include "internal.h"

#include <sys/stat.h>

/* iox_open_input() flag: also accept a pipe, FIFO or socket (read as a stream). */
#define IOX_OPEN_STREAM (1u << 0)

/*
 * The one way the library opens a file it reads: never blocks, and opens
 * nothing but a regular file (or, with IOX_OPEN_STREAM, a pipe). Looks at
 * @path first (a device is not even opened), opens it with O_NONBLOCK (a
 * FIFO without a writer would block open() forever), O_NOCTTY and
 * O_CLOEXEC, checks the opened file again with fstat() into *@st, then
 * clears O_NONBLOCK. Returns the descriptor, or IOTX509_ENOTFOUND (no such
 * file) or IOTX509_EIO (the message names the file and what it is: "a
 * directory", "a FIFO (named pipe)", "a character device", ...).
 */
int iox_open_input(const char *path, unsigned int flags, struct stat *st);

/*
 * Commit flag: skip the fsync of each file and of its directory. Renames
 * stay atomic (a reader, or a process killed at any point, never sees a
 * half-written file); only durability across a power failure is left to
 * the caller, who flushes once per batch step with iox_sync_fs(). An fsync
 * per file costs milliseconds on a disk, far more than issuing the
 * certificate.
 */
#define IOX_WRITE_NOSYNC (1u << 16)

/*
 * Commit flag: no lookup of every target before writing. A target that
 * exists still fails the commit with IOTX509_EEXISTS and nothing of the
 * set stays behind (the files already moved into place are removed again),
 * but the files were written for nothing: for writers that expect the
 * targets to be absent, and save a lookup per file.
 */
#define IOX_WRITE_NOPRECHECK (1u << 17)

/* iotx509_fileset_commit() that also accepts IOX_WRITE_NOSYNC and
 * IOX_WRITE_NOPRECHECK. */
int iox_fileset_commit(iotx509_fileset *set, unsigned int flags);
/* The writers of the library take ::iotx509_write_flags: iotx509_file_write()
 * and iotx509_fileset_add() with the flags already read from the options. */
int iox_file_write(const char *path, const unsigned char *data, size_t size, unsigned int flags);
int iox_fileset_add(iotx509_fileset *set, const char *path, const unsigned char *data, size_t size, unsigned int flags);
/* The one read of ::iotx509_write_options (NULL: defaults) into @flags. */
int iox_write_flags(unsigned int *flags, const iotx509_write_options *opts);

/*
 * Create the file of @path in @set (added before) with the extended
 * attribute @name = @value, set before the file gets its name: whoever sees
 * the file sees the attribute. The commit fails with IOTX509_EUNSUPPORTED
 * where the file system has no extended attributes.
 */
int iox_fileset_set_xattr(iotx509_fileset *set, const char *path, const char *name, const void *value, size_t size);

/* Flush the file system that holds @path (a file or directory) to disk. */
int iox_sync_fs(const char *path);

/*
 * A file too big to build in memory, written in pieces: the data goes
 * through a buffer to a temporary file beside @path (created with the mode
 * IOTX509_WRITE_PRIVATE asks for); iox_wstream_commit() moves it into place
 * (IOTX509_WRITE_OVERWRITE to replace, IOX_WRITE_NOSYNC), as the file set
 * does. Freeing an uncommitted stream removes the temporary file.
 * Write errors are sticky and reported again by the commit.
 */
typedef struct iox_wstream iox_wstream;

int iox_wstream_open(iox_wstream **out, const char *path, unsigned int flags);
int iox_wstream_write(iox_wstream *w, const void *data, size_t size);
int iox_wstream_commit(iox_wstream *w, unsigned int flags);
void iox_wstream_free(iox_wstream *w);

/*
 * The visible entries of directory @path (names not starting with '.') as
 * "path/name" strings in name order, so the same directory always gives
 * the same result. Free with iox_dir_free().
 */
int iox_dir_list(char ***out, size_t *count, const char *path);
void iox_dir_free(char **paths, size_t count);

/* "dir/name" (malloc'd; just a copy of @name when @dir is NULL or ""), or
 * NULL after setting IOTX509_ENOMEM. */
char *iox_path_join(const char *dir, const char *name);
/* The last component of @path (a pointer into it). */
const char *iox_path_base(const char *path);
/* The directory part of @path (malloc'd), or NULL when it has none. */
char *iox_path_dir(const char *path);

/* 1 if @name is a temporary name of the file writer (left behind when a
 * process is killed while writing), with the length of its target's name
 * in *@base_len; else 0. */
int iox_temp_name(const char *name, size_t *base_len);
/*
 * Remove the writer's temporary files in @dir (NULL or "": the current
 * directory): those whose target name ends with one of the @nsuffixes
 * @suffixes, or with @only non-NULL, those whose target is named @only.
 * Only safe when no other writer works there.
 */
int iox_temp_clean(const char *dir, const char *const *suffixes, size_t nsuffixes, const char *only);

#endif

/*
 * File-module helpers for bulk writers (lib/batch.c). Never installed.
 */
#ifndef IOTX509_FILE_INTERNAL_H
#define IOTX509_FILE_INTERNAL_H

#include "internal.h"

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

/* mkdir -p: create @path and its missing parents (mode 0755). */
int iox_mkdir_p(const char *path);

/*
 * The visible entries of directory @path (names not starting with '.') as
 * "path/name" strings in name order, so the same directory always gives
 * the same result. Free with iox_dir_free().
 */
int iox_dir_list(char ***out, size_t *count, const char *path);
void iox_dir_free(char **paths, size_t count);

#endif

/**
 * @file iotx509/file.h
 * @brief The one way libiotx509 and its tools read and write files.
 *
 * Writes are atomic: the data goes to a temporary file in the same
 * directory, is flushed to disk (fsync), and is renamed over the target only
 * when complete, so a reader never sees a half-written file and a failure
 * (full disk, read-only directory) leaves nothing behind. An existing file
 * is never replaced unless IOTX509_WRITE_OVERWRITE is given.
 */
#ifndef IOTX509_FILE_H
#define IOTX509_FILE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags for iotx509_file_write() and the *_save() functions. */
typedef enum iotx509_write_flags {
	IOTX509_WRITE_DEFAULT = 0,       /**< Mode 0644, fail with IOTX509_EEXISTS if the file exists. */
	IOTX509_WRITE_OVERWRITE = 1u << 0, /**< Replace an existing file (atomically). */
	IOTX509_WRITE_PRIVATE = 1u << 1  /**< Create with mode 0600 (always used for private keys). */
} iotx509_write_flags;

/**
 * Atomically write @p size bytes of @p data to @p path.
 *
 * @param path  target file; its directory must exist
 * @param data  bytes to write (may be NULL when @p size is 0)
 * @param size  number of bytes
 * @param flags a combination of ::iotx509_write_flags
 * @return 0, IOTX509_EEXISTS (file exists, no OVERWRITE flag; the file is
 *         untouched), IOTX509_EIO (any system error; no temporary file is
 *         left behind), IOTX509_EINVAL.
 */
IOTX509_EXTERN int iotx509_file_write(const char *path, const unsigned char *data, size_t size,
				      unsigned int flags);

/**
 * Read a whole file into @p out (NUL-terminated; dispose with iotx509_buf_dispose()).
 *
 * @return 0, IOTX509_ENOTFOUND (no such file), IOTX509_EIO, IOTX509_ENOMEM.
 *         Files over 64 MiB are refused with IOTX509_EIO: nothing we read is that large.
 */
IOTX509_EXTERN int iotx509_file_read(iotx509_buf *out, const char *path);

#ifdef __cplusplus
}
#endif
#endif

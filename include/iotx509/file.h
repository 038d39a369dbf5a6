/**
 * @file iotx509/file.h
 * @brief The one way libiotx509 and its tools read and write files.
 *
 * Writes are atomic: the data goes to a temporary file in the same
 * directory, is flushed to disk (fsync), and is renamed over the target only
 * when complete, so a reader never sees a half-written file and a failure
 * (full disk, read-only directory) leaves nothing behind. When no file is
 * replaced and the file system allows (Linux O_TMPFILE), the temporary file
 * has no name until it is complete, so even a process killed half-way
 * leaves nothing behind. An existing file
 * is never replaced unless IOTX509_WRITE_OVERWRITE is given. Several files
 * that belong together (a certificate, its key, its chain) are written as
 * one ::iotx509_fileset: all of them or none.
 */
#ifndef IOTX509_FILE_H
#define IOTX509_FILE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags of ::iotx509_write_options. */
typedef enum iotx509_write_flags {
	IOTX509_WRITE_DEFAULT = 0,       /**< Mode 0644, fail with IOTX509_EEXISTS if the file exists. */
	IOTX509_WRITE_OVERWRITE = 1u << 0, /**< Replace an existing file (atomically). */
	IOTX509_WRITE_PRIVATE = 1u << 1  /**< Create with mode 0600 (always used for private keys). */
} iotx509_write_flags;

/**
 * Options of every function that writes a file: iotx509_file_write(),
 * iotx509_fileset_add(), iotx509_fileset_commit() and every *_save().
 * NULL, or a zero-filled struct with only @c version set, means the
 * defaults: mode 0644, and an existing file is never replaced.
 *
 * @code
 * iotx509_write_options wo = IOTX509_WRITE_OPTIONS_INIT;
 * wo.flags = IOTX509_WRITE_OVERWRITE;
 * err = iotx509_cert_save(cert, "device.pem", &wo);
 * @endcode
 */
typedef struct iotx509_write_options {
	unsigned int version; /**< IOTX509_WRITE_OPTIONS_VERSION (1 .. current are accepted) */
	unsigned int flags;   /**< ::iotx509_write_flags (default 0) */
} iotx509_write_options;

/** The current version of ::iotx509_write_options. */
#define IOTX509_WRITE_OPTIONS_VERSION 1
/** The defaults (the same as a zero-filled struct with only the version set). */
#define IOTX509_WRITE_OPTIONS_INIT { IOTX509_WRITE_OPTIONS_VERSION, 0 }

/**
 * Set @p opts to the defaults for @p version (only the fields that version has).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_WRITE_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL, or a version outside 1 .. IOTX509_WRITE_OPTIONS_VERSION).
 */
IOTX509_EXTERN iotx509_error_code iotx509_write_options_init(iotx509_write_options *opts, unsigned int version);

/**
 * Atomically write @p size bytes of @p data to @p path.
 *
 * @param path  target file; its directory must exist
 * @param data  bytes to write (may be NULL when @p size is 0)
 * @param size  number of bytes
 * @param opts  NULL for the defaults; flags IOTX509_WRITE_OVERWRITE, IOTX509_WRITE_PRIVATE
 * @return 0, IOTX509_EEXISTS (file exists, no OVERWRITE flag; the file is
 *         untouched), IOTX509_EIO (any system error; no temporary file is
 *         left behind), IOTX509_EINVAL (NULL path, bad options version, unknown flag).
 */
IOTX509_EXTERN iotx509_error_code iotx509_file_write(const char *path, const unsigned char *data, size_t size,
				      const iotx509_write_options *opts);

/** The largest file iotx509_file_read() reads: 64 MiB (nothing the library reads is that large). */
#define IOTX509_FILE_MAX_READ (64u * 1024u * 1024u)

/**
 * Read a whole file into @p out (NUL-terminated; dispose with iotx509_buf_dispose()).
 *
 * This is how the library reads every certificate, key, CSR, .pfx, bundle
 * and enrollment file, and how the iotx509 tool reads password and PIN
 * files. Only a regular file is read, and nothing blocks: a directory, a
 * FIFO (even one no program writes to), a device such as /dev/zero or a
 * socket is refused at once, without reading from it.
 *
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param path the path of the file
 * @return 0; IOTX509_ENOTFOUND (no such file); IOTX509_EIO (not a regular
 *         file: the message names the file and what it is, e.g. "x.pem: is
 *         a FIFO (named pipe), not a regular file"; a read error);
 *         IOTX509_ELIMIT (more than IOTX509_FILE_MAX_READ bytes); IOTX509_ENOMEM;
 *         IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_file_read(iotx509_buf *out, const char *path);

/**
 * Create the directory @p path and its missing parents (like mkdir -p),
 * with mode 0755 less the umask. A directory that exists already is fine.
 *
 * @param path the path of the file
 * @return 0; IOTX509_EIO (a system error, or a part of @p path that is not
 *         a directory: the message names @p path and the reason);
 *         IOTX509_EINVAL (NULL or empty); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_file_mkdir(const char *path);

/**
 * A set of files written together: all of them, or none.
 *
 * Files are added with their contents (copied into the set), then
 * iotx509_fileset_commit() checks every target, writes each file to a
 * temporary file beside its target, and only when all of them are complete
 * moves them into place, in the order they were added. On any error
 * nothing new is left behind: temporary files are removed, files already
 * moved into place are removed again and, with IOTX509_WRITE_OVERWRITE,
 * the previous files are put back. So an existing set is either replaced
 * as a whole or left as it was. (Between the first and the last rename a
 * crash can still leave a mix; the renames take microseconds.)
 *
 * This is how a tool writes a certificate, its key, its chain and its .pfx:
 *
 * @code
 * iotx509_fileset *set = NULL;
 * iotx509_write_options priv = IOTX509_WRITE_OPTIONS_INIT;
 * priv.flags = IOTX509_WRITE_PRIVATE;
 * int err = iotx509_fileset_new(&set);
 * if (!err) err = iotx509_fileset_add(set, "dev_cert.pem", cert_pem, cert_len, NULL);
 * if (!err) err = iotx509_fileset_add(set, "dev_key.pem", key_pem, key_len, &priv);
 * if (!err) err = iotx509_fileset_commit(set, NULL);   // IOTX509_EEXISTS if either exists
 * iotx509_fileset_free(set);
 * @endcode
 *
 * The handle is not thread-safe; use one set per thread.
 */
typedef struct iotx509_fileset iotx509_fileset;

/**
 * Create an empty file set.
 * @param out receives the new file set on success; free it with iotx509_fileset_free()
 * @return 0, IOTX509_EINVAL (@p out is NULL) or IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_fileset_new(iotx509_fileset **out);

/**
 * Add a file to the set. The data is copied (and wiped when the set is
 * freed, since it may be a private key); nothing is written yet.
 *
 * @param set   the set (not yet committed)
 * @param path  target file; its directory must exist at commit time
 * @param data  bytes to write (may be NULL when @p size is 0)
 * @param size  number of bytes
 * @param opts  NULL for the defaults; flags IOTX509_WRITE_PRIVATE for mode
 *              0600 (else 0644); IOTX509_WRITE_OVERWRITE is accepted and
 *              ignored: the overwrite decision is made for the whole set at commit
 * @return 0; IOTX509_EINVAL (NULL argument, empty path, unknown flag, bad
 *         options version, the same path added twice, set already
 *         committed); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_fileset_add(iotx509_fileset *set, const char *path, const unsigned char *data,
				       size_t size, const iotx509_write_options *opts);

/**
 * Write every file of the set, or none.
 *
 * Without IOTX509_WRITE_OVERWRITE in @p opts, every target is checked
 * before anything is written and the first existing one is reported; with
 * it, existing targets are replaced and restored if a later file fails.
 * A set can be committed once; after a failure it may be committed again.
 *
 * @param set the set to write
 * @param opts NULL for the defaults; flags 0 or IOTX509_WRITE_OVERWRITE
 * @return 0; IOTX509_EEXISTS (a target exists; no file was touched);
 *         IOTX509_EIO (a system error, e.g. a read-only or missing
 *         directory: the message names the file and the reason; nothing
 *         was left behind and replaced files were restored);
 *         IOTX509_EINVAL (NULL set, unknown flag, bad options version, already committed).
 */
IOTX509_EXTERN iotx509_error_code iotx509_fileset_commit(iotx509_fileset *set, const iotx509_write_options *opts);

/**
 * Number of files in the set. 0 for NULL.
 * @param set the file set
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_fileset_count(const iotx509_fileset *set);

/**
 * The target path of the file at @p index (in the order added), owned by
 * the set; NULL when @p index is out of range.
 * @param set the file set
 * @param index 0-based index, below the count
 * @return a string owned by @p set (not to be freed), valid until @p set is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_fileset_get_path(const iotx509_fileset *set, size_t index);

/**
 * Free the set and wipe the contents it holds. Files already committed stay;
 * a set that was never committed writes nothing. Accepts NULL.
 * @param set the file set to free, or NULL
 */
IOTX509_EXTERN void iotx509_fileset_free(iotx509_fileset *set);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file iotx509/batch.h
 * @brief Factory-line issuance: thousands to millions of device identities
 *        in one resumable, shardable run.
 *
 * A batch issues one device credential per device ID, under one parent CA,
 * with worker threads sharing the CA. The IDs come from a file (one per
 * line) or from a pattern such as "sensor-{0001..9999}", which is expanded
 * on the fly: no list of IDs is ever held in memory, so the memory a batch
 * uses does not grow with the number of devices.
 *
 * For every device the batch writes the files `iotx509 device` writes
 * (see iotx509/credential.h): DIR/ID_cert.pem, DIR/ID_key.pem,
 * DIR/ID_fullchain.pem and, when a .pfx password is given, DIR/ID.pfx, as
 * one ::iotx509_fileset (ID camel-cased as create_test_cert.js does with
 * @c names IOTX509_NAMES_CREATE_TEST_CERT). When every device is done it writes the manifest
 * a bulk-enrollment import needs, as CSV (with a header line) and as JSON
 * lines, one record per device in ID order, with the columns / keys
 *
 *     device_id, serial, sha1_thumbprint, sha256_thumbprint, not_after,
 *     cert_path, key_path, fullchain_path, pfx_path
 *
 * (not_after as YYYY-MM-DDTHH:MM:SSZ; pfx_path empty, or JSON null, without
 * a .pfx; thumbprints and serial in upper-case hex).
 *
 * Work happens in steps: iotx509_batch_run() processes up to a given
 * number of devices with the worker threads and returns, so a program can
 * draw progress between steps without callbacks:
 *
 * @code
 * iotx509_batch_options o = IOTX509_BATCH_OPTIONS_INIT;
 * iotx509_batch *b = NULL;
 * o.parent = parent;                 // an iotx509_credential with a key
 * o.pattern = "sensor-{0001..9999}";
 * o.out_dir = "certs";
 * o.jobs = 4;
 * int err = iotx509_batch_new(&b, &o);
 * while (!err && !iotx509_batch_is_done(b)) {
 *     err = iotx509_batch_run(b, 256);
 *     for (size_t i = 0; i < iotx509_batch_failure_count(b); i++)
 *         fprintf(stderr, "item %llu (%s): %s\n",
 *                 (unsigned long long)iotx509_batch_failure_get_item(b, i),
 *                 iotx509_batch_failure_get_id(b, i), iotx509_batch_failure_get_message(b, i));
 *     printf("%llu/%llu\n", (unsigned long long)iotx509_batch_get_processed(b),
 *            (unsigned long long)iotx509_batch_get_total(b));
 * }
 * if (err) fprintf(stderr, "%s\n", iotx509_error_last());
 * iotx509_batch_free(b);
 * @endcode
 *
 * **Failures.** A device that cannot be issued (an invalid ID, an ID listed
 * twice or with another ID's file names, files in the way that the batch
 * did not write) is a failure of
 * that device: it is reported through iotx509_batch_failure_get_*() and the
 * batch goes on. Errors that would fail every device (a full disk, an
 * expired CA, a crypto failure) stop the batch: iotx509_batch_run()
 * returns them.
 *
 * **Resuming.** Every device's files are written atomically, together with
 * a small completion record: the extended attribute user.iotx509.batch of
 * DIR/ID_fullchain.pem, set before the file appears (or, with
 * IOTX509_BATCH_NO_XATTR or where the file system has no user extended
 * attributes, a file in DIR/.iotx509-batch/done/). A batch run again
 * over the same directory after an interruption, even `kill -9`, skips the
 * devices that were finished, replaces the leftovers of sets it had not
 * finished (and removes temporary files), and writes a manifest that is
 * complete and has each device once. Finished devices are never issued
 * again. An existing set the batch did not write is never replaced unless
 * IOTX509_BATCH_FORCE is given. A finished device whose ID_cert.pem was
 * deleted gets it back from its full chain (the same certificate, when the
 * key file is its key) and counts as skipped; when more of its set is gone
 * the device fails with IOTX509_EEXISTS naming the files.
 *
 * **Durability.** Files are not fsync'ed one by one (that costs
 * milliseconds per file on a disk, far more than issuing): the file system
 * is flushed every 512 devices and at the end. A power failure can
 * therefore lose the last devices' files; a rerun finds them missing or
 * empty and issues them again. IOTX509_BATCH_FSYNC_EACH syncs every device.
 *
 * **Sharding.** With shard_index K and shard_count N, a batch issues only
 * the K-th of N slices of the IDs: item number n (counting from 0 in file
 * or pattern order) belongs to shard (n mod N) + 1. N runs with K = 1..N,
 * on one machine or many, together issue every ID exactly once; each writes
 * its own manifest (manifest-K-of-N.csv / .jsonl by default).
 *
 * **Concurrency.** Only one batch may run per shard and output directory at
 * a time (another gets IOTX509_EBUSY); different shards may share a
 * directory. The handle itself is driven by one thread; its workers use
 * the parent CA concurrently, as described in doc/threads.md.
 */
#ifndef IOTX509_BATCH_H
#define IOTX509_BATCH_H

#include "common.h"
#include "key.h"
#include "id.h"
#include "pkcs12.h"
#include "credential.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque batch handle; free with iotx509_batch_free(). */
typedef struct iotx509_batch iotx509_batch;

/** Flags for ::iotx509_batch_options. */
typedef enum iotx509_batch_flags {
	IOTX509_BATCH_DEFAULT = 0, /**< No flag: the defaults. */
	/**
	 * Replace files in the way of a device the batch has not finished,
	 * and the files of a finished device whose certificate was not issued
	 * by this batch's CA for that ID (without the flag such a device fails
	 * with IOTX509_EEXISTS). Finished devices are skipped all the same.
	 */
	IOTX509_BATCH_FORCE = 1u << 0,
	/** fsync every device's files before the next one counts as done (slow). */
	IOTX509_BATCH_FSYNC_EACH = 1u << 1,
	/**
	 * Keep the completion records as files in DIR/.iotx509-batch/done/
	 * rather than in an extended attribute of each DIR/ID_fullchain.pem
	 * (for files that must carry no metadata of ours; slower, as every
	 * record is one more file). Used anyway where the file system has no
	 * user extended attributes.
	 */
	IOTX509_BATCH_NO_XATTR = 1u << 2
} iotx509_batch_flags;

/** Largest shard_count accepted. */
#define IOTX509_BATCH_MAX_SHARDS 1000000u
/** Largest number of worker threads. */
#define IOTX509_BATCH_MAX_JOBS 256u
/** Longest device ID line read from an ID file (longer lines fail as invalid IDs). */
#define IOTX509_BATCH_MAX_LINE 1024u
/** Most bytes of IDs read from a pipe or the standard input (kept in an unnamed file meanwhile): 256 MiB. */
#define IOTX509_BATCH_MAX_STREAM (256u * 1024u * 1024u)
/** Failures kept per iotx509_batch_run() call (more are only counted). */
#define IOTX509_BATCH_MAX_FAILURES 1024u

/** Options for iotx509_batch_new(). Initialise with IOTX509_BATCH_OPTIONS_INIT. */
typedef struct iotx509_batch_options {
	unsigned int version;       /**< IOTX509_BATCH_OPTIONS_VERSION */
	/**
	 * The issuing CA: its certificate, private key and chain (the chain
	 * goes into each device's full chain). The batch keeps its own
	 * references; the caller may free @c parent after iotx509_batch_new().
	 */
	const iotx509_credential *parent;
	/**
	 * A file of device IDs, one per line; blank lines and lines starting
	 * with '#' are skipped, blanks around an ID are ignored. A line that
	 * is too long (IOTX509_BATCH_MAX_LINE) or holds a NUL byte is a failed
	 * item of its own (IOTX509_EDEVICEID). "-" reads the standard input.
	 * A pipe, a FIFO or the standard input is read once, into an unnamed
	 * file in @c out_dir (more than IOTX509_BATCH_MAX_STREAM bytes: IOTX509_ELIMIT);
	 * directories and devices are refused (IOTX509_EIO), and so is a
	 * source without any ID (IOTX509_ENOTFOUND), e.g. an empty file or a
	 * FIFO no program writes to.
	 */
	const char *ids_path;
	/**
	 * Or a pattern: text with one range {FIRST..LAST} of decimal numbers,
	 * e.g. "sensor-{0001..9999}" or "line3-{1..500}-cam". As in the shell,
	 * a leading zero in FIRST or LAST pads every number to the same width;
	 * FIRST greater than LAST counts down. Exactly one of @c ids_path and
	 * @c pattern must be set.
	 */
	const char *pattern;
	/** Output directory (must exist); NULL or "" for the current directory. */
	const char *out_dir;
	iotx509_key_type key_type;  /**< device key type; 0 = IOTX509_KEY_P256 */
	unsigned int days;          /**< validity in days; 0 = the device profile's (365) */
	int64_t at;                 /**< issuance time; 0 = the current time of each device */
	iotx509_id_policy id_policy; /**< rules for the device IDs (default DPS) */
	/** Password of each device's .pfx; NULL = no .pfx (its key derivation is deliberately slow). */
	const char *pfx_password;
	/** PKCS#12 profile and iterations; NULL = the defaults (modern). */
	const iotx509_pkcs12_options *pkcs12;
	unsigned int jobs;          /**< worker threads, 1 to IOTX509_BATCH_MAX_JOBS; 0 = 1 */
	unsigned int shard_index;   /**< K, counting from 1; 0 (with shard_count 0) = no sharding */
	unsigned int shard_count;   /**< N, 1 to IOTX509_BATCH_MAX_SHARDS; 0 = no sharding */
	/** CSV manifest path; NULL = DIR/manifest.csv (DIR/manifest-K-of-N.csv when sharded). */
	const char *manifest_csv;
	/** JSON lines manifest path; NULL = as manifest_csv with ".jsonl". */
	const char *manifest_jsonl;
	unsigned int flags;         /**< ::iotx509_batch_flags */
	/**
	 * How the IDs become file names (iotx509_credential_stem()); the CN is
	 * always the ID. With IOTX509_NAMES_CREATE_TEST_CERT two IDs that give
	 * the same stem ("dev-a", "dev_a") cannot both have files: the later
	 * one fails with IOTX509_EDUPLICATE, naming the other.
	 */
	iotx509_name_style names;
} iotx509_batch_options;

/** The newest version of ::iotx509_batch_options this header describes (its @c version field). */
#define IOTX509_BATCH_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_batch_options: the current version, every field its default. */
#define IOTX509_BATCH_OPTIONS_INIT \
	{ IOTX509_BATCH_OPTIONS_VERSION, NULL, NULL, NULL, NULL, (iotx509_key_type)0, 0, 0, IOTX509_ID_POLICY_DPS, \
	  NULL, NULL, 0, 0, 0, NULL, NULL, 0, IOTX509_NAMES_VERBATIM }

/**
 * Initialise @p opts to defaults (same as IOTX509_BATCH_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_BATCH_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_BATCH_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_batch_options_init(iotx509_batch_options *opts, unsigned int version);

/**
 * Prepare a batch: check the options and the pattern, count the IDs of an
 * ID file, lock the shard in the output directory, remove temporary files
 * an interrupted batch left there, and check the parent CA. No device is
 * issued yet.
 *
 * @param out receives the new batch on success; free it with iotx509_batch_free()
 * @param opts the options
 * @return 0; IOTX509_EINVAL (bad options: no parent, both or neither of
 *         ids_path and pattern, a malformed pattern (the message shows
 *         where), shard K not in 1..N, jobs out of range);
 *         IOTX509_ENOTCA / IOTX509_ENOKEYCERTSIGN (the parent cannot issue);
 *         IOTX509_EUNSUPPORTED (the parent has no exportable or usable key);
 *         IOTX509_ENOTFOUND (ID file or output directory missing, or no
 *         ID in the ID file); IOTX509_EIO (the ID file is a directory or a
 *         device);
 *         IOTX509_EBUSY (the same shard is running in that directory);
 *         IOTX509_EIO; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_batch_new(iotx509_batch **out, const iotx509_batch_options *opts);

/**
 * Process about @p max_items more devices (0 = all that are left), then
 * return. The worker threads keep working on at most `jobs` further
 * devices, which the next call counts. Once every device is processed the
 * manifests are written, in the same or in later calls (up to 16 *
 * @p max_items records per call), and iotx509_batch_is_done() becomes 1.
 *
 * Failures of single devices are not errors of this function: see
 * iotx509_batch_failure_count(). After an error the batch is stopped: every
 * later call returns the same code, and no manifest is written (a new
 * batch over the same directory resumes).
 *
 * @param batch the batch
 * @param max_items how many devices to process in this call; 0 for all that are left
 * @return 0; IOTX509_EIO (a file could not be written, e.g. the disk is
 *         full: the message names it); IOTX509_EISSUERVALIDITY (the CA
 *         expired); IOTX509_ECRYPTO; IOTX509_ENOMEM; IOTX509_EINVAL (NULL).
 */
IOTX509_EXTERN iotx509_error_code iotx509_batch_run(iotx509_batch *batch, size_t max_items);

/**
 * 1 when every device was processed and the manifests are written, else 0.
 * @param batch the batch
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_batch_is_done(const iotx509_batch *batch);

/**
 * Devices in this batch (in this shard), known from iotx509_batch_new() on.
 * @param batch the batch
 * @return the number of devices
 */
IOTX509_EXTERN uint64_t iotx509_batch_get_total(const iotx509_batch *batch);
/**
 * Devices processed so far: issued + skipped + failed.
 * @param batch the batch
 * @return the number of devices
 */
IOTX509_EXTERN uint64_t iotx509_batch_get_processed(const iotx509_batch *batch);
/**
 * 0 when no certificate of this batch had its validity cut; otherwise the
 * notAfter that was asked for (of the first device that was cut: they all
 * ask for about the same), while the certificates end at the parent CA's
 * notAfter, since a certificate cannot outlive its issuer (see
 * iotx509_issue_get_requested_not_after()). Not fallible.
 * @param batch the batch
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_batch_get_requested_not_after(const iotx509_batch *batch);
/**
 * Devices issued by this batch.
 * @param batch the batch
 * @return the number of devices
 */
IOTX509_EXTERN uint64_t iotx509_batch_get_issued(const iotx509_batch *batch);
/**
 * Devices skipped because an earlier batch had finished them.
 * @param batch the batch
 * @return the number of devices
 */
IOTX509_EXTERN uint64_t iotx509_batch_get_skipped(const iotx509_batch *batch);
/**
 * Devices that failed (see iotx509_batch_failure_count()).
 * @param batch the batch
 * @return the number of devices
 */
IOTX509_EXTERN uint64_t iotx509_batch_get_failed(const iotx509_batch *batch);

/**
 * Number of failures recorded during the last iotx509_batch_run() call
 * (at most IOTX509_BATCH_MAX_FAILURES; iotx509_batch_get_failed() counts all),
 * in the order of their items. Read each with the iotx509_batch_failure_get_*()
 * getters below, @p index from 0 to this count - 1; they are not errors of
 * the getters, which never fail (out of range gives 0 or NULL).
 * @param batch the batch
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_batch_failure_count(const iotx509_batch *batch);

/**
 * Where the ID of failure @p index came from: its line number in the ID
 * file, or its position in the pattern (from 1); 0 when out of range.
 * @param batch the batch
 * @param index 0-based index, below the count
 * @return the line number or position (from 1), or 0
 */
IOTX509_EXTERN uint64_t iotx509_batch_failure_get_item(const iotx509_batch *batch, size_t index);

/**
 * The device ID of failure @p index (possibly cut short when it is very
 * long), or NULL when out of range. Owned by the batch; valid until the next
 * iotx509_batch_run() or iotx509_batch_free().
 * @param batch the batch
 * @param index 0-based index, below the count
 * @return a string owned by @p batch (not to be freed), valid as described above
 */
IOTX509_EXTERN const char *iotx509_batch_failure_get_id(const iotx509_batch *batch, size_t index);

/**
 * Why failure @p index failed: IOTX509_EDEVICEID, IOTX509_EDUPLICATE,
 * IOTX509_EEXISTS or IOTX509_EINVAL; IOTX509_OK (0) when out of range. This
 * is a value describing the device, not a failure of this getter.
 * @param batch the batch
 * @param index 0-based index, below the count
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_error iotx509_batch_failure_get_code(const iotx509_batch *batch, size_t index);

/**
 * What failure @p index was, as iotx509_error_last() would say, or NULL
 * when out of range. Owned by the batch; valid until the next
 * iotx509_batch_run() or iotx509_batch_free().
 * @param batch the batch
 * @param index 0-based index, below the count
 * @return a string owned by @p batch (not to be freed), valid as described above
 */
IOTX509_EXTERN const char *iotx509_batch_failure_get_message(const iotx509_batch *batch, size_t index);

/**
 * Path of the CSV manifest (owned by the batch).
 * @param batch the batch
 * @return a string owned by @p batch (not to be freed), valid until @p batch is freed
 */
IOTX509_EXTERN const char *iotx509_batch_get_manifest_csv(const iotx509_batch *batch);
/**
 * Path of the JSON lines manifest (owned by the batch).
 * @param batch the batch
 * @return a string owned by @p batch (not to be freed), valid until @p batch is freed
 */
IOTX509_EXTERN const char *iotx509_batch_get_manifest_jsonl(const iotx509_batch *batch);

/**
 * Stop the workers (each finishes the device it is writing, so no set is
 * left half-written), release the lock and free the batch. A batch freed
 * before it is done leaves its finished devices for the next batch to
 * resume. Accepts NULL.
 * @param batch the batch to free, or NULL
 */
IOTX509_EXTERN void iotx509_batch_free(iotx509_batch *batch);

#ifdef __cplusplus
}
#endif
#endif

/*
 * Batch issuance, inside (see include/iotx509/batch.h for the API and
 * lib/batch.c for the state on disk). Never installed. The batch is split
 * by concept:
 *   lib/batch.c           the public entry points, the workers and the run loop
 *   lib/batch-ids.c       the ID source: a file (or pipe) line by line, or a pattern
 *   lib/batch-record.c    completion records (extended attribute or done/ file),
 *                         the state directory's locks
 *   lib/batch-device.c    one device in a worker: issue, resume, claim
 *   lib/batch-manifest.c  the CSV and JSON lines manifests
 */
#ifndef IOTX509_BATCH_INTERNAL_H
#define IOTX509_BATCH_INTERNAL_H

#include "internal.h"
#include "file-internal.h"

#include <pthread.h>

#define STATE_DIR ".iotx509-batch"
#define DONE_SUFFIX ".done"
#define RECORD_MAGIC "iotx509-batch 2"
#define RECORD_XATTR "user.iotx509.batch"
#define SYNC_EVERY 512u /* devices between two flushes of the file system */
#define SLOTS_PER_JOB 4u
#define MSG_MAX 1024

/* ---- the ID source (batch-ids.c) ---- */

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

/* Parse "prefix{A..B}suffix" into @s. */
int iox_ids_parse_pattern(source_t *s, const char *pattern);
/* Open @s->path (a file, a pipe, "-" for the standard input); a stream is
 * copied into an unnamed file in @dir first, so it can be read twice. */
int iox_ids_open(source_t *s, const char *dir);
/* How many items the source holds (all shards); rewinds it. */
int iox_ids_count(source_t *s, uint64_t *out);
/* The next item of shard @k of @n (k from 1): 1, 0 at the end, or an error. */
int iox_ids_next_shard(source_t *s, item_t *it, unsigned int k, unsigned int n);
/* Close the ID file (the pattern stays). */
void iox_ids_close(source_t *s);
/* Release everything of @s; it is then empty (fd -1). */
void iox_ids_free(source_t *s);

/* ---- the batch (batch.c) ---- */

typedef enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;
typedef enum { R_ISSUED, R_SKIPPED, R_FAILED, R_FATAL } result_t;

/* A device's completion record (see the comment at the top of
 * lib/batch.c), with what the manifest needs of its certificate. */
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

/* One failed device, read through iotx509_batch_failure_get_*(). */
typedef struct {
	struct {
		uint64_t item;
		const char *device_id;
		int code;
		const char *message;
	} pub;
	char *id, *message;
} failure_t;

struct iotx509_batch {
	/* configuration, fixed after iotx509_batch_new() */
	iotx509_cert *ca_cert;
	/* The notAfter the first device whose validity was cut to the CA's
	 * asked for (0: none was cut); set once, by any worker. */
	int64_t clamp_asked;
	iotx509_issuer *issuer; /* the parent, with its chain */
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

/* ---- completion records and the state directory (batch-record.c) ---- */

typedef struct {
	iotx509_buf stem;    /* the file name stem of the ID */
	iotx509_buf path[4]; /* cert, key, fullchain, pfx */
	char *record;
} paths_t;

enum { P_CERT, P_KEY, P_FULLCHAIN, P_PFX };

#define PATH(p, i) ((const char *)(p)->path[i].data)

/* The file names of device @id (its stem, its four files, its record file). */
int iox_paths_make(paths_t *p, const iotx509_batch *b, const char *id);
void iox_paths_free(paths_t *p);
/* "iotx509-batch 2 RUN INDEX ITEM PFX\n" into @buf; returns its length. */
int iox_record_format(char *buf, size_t size, const record_t *r);
/* What the manifest needs of @c into @r. */
void iox_record_from_cert(record_t *r, const iotx509_cert *c);
/* Make @r this run's record of @it (the .pfx flag is the caller's). */
void iox_record_for_item(record_t *r, const iotx509_batch *b, const item_t *it);
/* 1 and @r when the device has a well-formed record, 0 when it has none,
 * -1 when the record is damaged; @where says where it was. */
int iox_record_read(record_t *r, record_where *where, const paths_t *p);
/* Replace the record found at @where by @r. */
int iox_record_rewrite(const iotx509_batch *b, const paths_t *p, record_where where, const record_t *r);
/* 1 if every file of a finished device is there and not empty. */
int iox_files_complete(const paths_t *p, int pfx);
/* 1 if files in the output directory can have user extended attributes. */
int iox_batch_xattr_works(const iotx509_batch *b);
/* Take the locks of the state directory; the first batch in it cleans up. */
int iox_batch_take_locks(iotx509_batch *b);

/* ---- one device (batch-device.c) ---- */

/* Process one item in a worker thread; the outcome goes into the slot. */
void iox_batch_process(const iotx509_batch *b, slot_t *s);

/* ---- the manifests (batch-manifest.c) ---- */

/* The manifests' paths from the options (or their defaults in the output directory). */
int iox_manifest_paths(iotx509_batch *b, const iotx509_batch_options *o);
/* Start both manifests (temporary files) and write the CSV header. */
int iox_manifest_open(iotx509_batch *b);
/* A device's line in both manifests. */
int iox_manifest_record(iotx509_batch *b, const char *id, const record_t *r);

#endif

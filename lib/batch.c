/*
 * Batch issuance: many device credentials under one CA, with worker
 * threads, resumable and shardable (see include/iotx509/batch.h).
 *
 * State on disk, under DIR/.iotx509-batch/:
 *   lock                 flock'ed shared by every running batch; the first
 *                        one (exclusive for a moment) cleans up temporary
 *                        files and writes the shard count N it runs with
 *   shard-K-of-N.lock    flock'ed exclusive by the batch running shard K/N
 * and a completion record per device, "iotx509-batch 2 RUN INDEX ITEM PFX":
 *   - the extended attribute user.iotx509.batch of DIR/ID_fullchain.pem,
 *     set on the file before it gets its name (the full chain is the last
 *     file of a set to get its name, so the record means the set is there);
 *   - or, with IOTX509_BATCH_NO_XATTR or where the file system has no user
 *     extended attributes, the file done/ID.done, committed last in the
 *     device's file set.
 * The attribute costs no inode and no directory entry: on ext4, creating
 * files in one directory is what limits a batch on several processors.
 * RUN is a random id of the batch that finished (or last saw) the device;
 * INDEX its item number in the ID source. A device is in the manifest of
 * the batch whose RUN and INDEX its record carries, so an ID listed twice
 * appears once, and a rerun that finds records of an earlier run claims
 * them (rewrites RUN and INDEX) instead of issuing again; the manifest
 * data of a claimed device are read back from its certificate.
 *
 * The parts: lib/batch-internal.h lists the files and what each does.
 *
 * Memory: the ID source is read (or the pattern expanded) item by item; at
 * most a few slots per worker are in flight; the manifest is streamed to
 * disk. Nothing grows with the number of devices.
 */
#include "batch-internal.h"
#include "cert-internal.h"
#include "key-internal.h"
#include "pkcs12-internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

IOX_OPTS_TYPE(batch_opts_type, "batch options", IOTX509_BATCH_OPTIONS_VERSION, sizeof(iotx509_batch_options));
static const iotx509_batch_options batch_opts_defaults = IOTX509_BATCH_OPTIONS_INIT;

iotx509_error_code iotx509_batch_options_init(iotx509_batch_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &batch_opts_defaults, &batch_opts_type);
}

static int check_options(const iotx509_batch_options *o)
{
	if (o->parent == NULL)
		return iox_error(IOTX509_EINVAL, "batch: no parent CA");
	if ((o->ids_path == NULL || *o->ids_path == '\0') == (o->pattern == NULL || *o->pattern == '\0'))
		return iox_error(IOTX509_EINVAL, "batch: give either an ID file or a pattern (exactly one)");
	if (o->jobs > IOTX509_BATCH_MAX_JOBS)
		return iox_error(IOTX509_EINVAL, "batch: %u jobs is more than the %u allowed", o->jobs,
				 IOTX509_BATCH_MAX_JOBS);
	if ((o->shard_count == 0) != (o->shard_index == 0) || o->shard_index > o->shard_count ||
	    o->shard_count > IOTX509_BATCH_MAX_SHARDS)
		return iox_error(IOTX509_EINVAL, "batch: shard %u/%u is not K/N with 1 <= K <= N <= %u", o->shard_index,
				 o->shard_count, IOTX509_BATCH_MAX_SHARDS);
	if (o->flags & ~(unsigned int)(IOTX509_BATCH_FORCE | IOTX509_BATCH_FSYNC_EACH | IOTX509_BATCH_NO_XATTR))
		return iox_error(IOTX509_EINVAL, "batch: unknown flags 0x%x", o->flags);
	if (o->pfx_password != NULL && *o->pfx_password == '\0')
		return iox_error(IOTX509_EINVAL, "batch: an empty .pfx password is refused (NULL writes no .pfx)");
	if (o->names != IOTX509_NAMES_VERBATIM && o->names != IOTX509_NAMES_CREATE_TEST_CERT)
		return iox_error(IOTX509_EINVAL, "batch: unknown name style %d", (int)o->names);
	return 0;
}

static int setup(iotx509_batch *b, const iotx509_batch_options *o)
{
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	struct stat st;
	uint64_t all;
	int64_t now;
	int err;

	/* The pattern first: a typo there is the likeliest mistake. */
	if (o->pattern != NULL && *o->pattern != '\0' && (err = iox_ids_parse_pattern(&b->src, o->pattern)) < 0)
		return err;
	b->key_type = o->key_type ? o->key_type : IOTX509_KEY_P256;
	if ((err = iox_key_type_params(b->key_type, &pk, &bits)) < 0)
		return err;
	/* The issuer carries the parent's chain: every device's full chain. */
	if ((err = iotx509_issuer_new_from_credential(&b->issuer, o->parent)) < 0) {
		iox_error_prefix("batch");
		return err;
	}
	b->ca_cert = iox_cert_ref(iotx509_issuer_get_cert(b->issuer));

	/* Fail now, not on the first device, when the CA cannot issue. */
	now = o->at ? o->at : (int64_t)time(NULL);
	if ((err = iox_cert_check_issuer_time(b->ca_cert, now, "the parent CA")) < 0)
		return err;
	if ((err = iox_id_validate("a", o->id_policy, 0)) < 0)
		return err;

	if ((err = iotx509_issue_options_init(&b->io, IOTX509_ISSUE_OPTIONS_VERSION)) < 0)
		return err;
	b->io.days = o->days;
	b->io.at = o->at;
	b->io.id_policy = o->id_policy;
	if (o->days > IOTX509_MAX_DAYS)
		return iox_error(IOTX509_EINVAL, "validity of %u days is more than the %u allowed", o->days,
				 IOTX509_MAX_DAYS);

	if ((err = iox_pkcs12_options_read(&b->p12, o->pkcs12)) < 0)
		return err;
	if (b->p12.friendly_name != NULL && (b->p12.friendly_name = b->friendly_name = iox_strdup(b->p12.friendly_name)) == NULL)
		return IOTX509_ENOMEM;
	iotx509_credential_save_options_init(&b->so, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION);
	if (o->pfx_password != NULL) {
		if ((b->pfx_password = iox_strdup(o->pfx_password)) == NULL)
			return IOTX509_ENOMEM;
		b->so.pfx_password = b->pfx_password;
		b->so.pkcs12 = &b->p12;
	}

	b->jobs = o->jobs ? o->jobs : 1;
	b->shard_k = o->shard_count ? o->shard_index : 1;
	b->shard_n = o->shard_count ? o->shard_count : 1;
	b->flags = o->flags;
	b->names = o->names;
	if (o->out_dir != NULL && *o->out_dir != '\0' && (b->out_dir = iox_strdup(o->out_dir)) == NULL)
		return IOTX509_ENOMEM;
	if (stat(b->out_dir ? b->out_dir : ".", &st) != 0 || !S_ISDIR(st.st_mode))
		return iox_error(IOTX509_ENOTFOUND, "%s: the output directory does not exist",
				 b->out_dir ? b->out_dir : ".");
	if ((b->state_dir = iox_path_join(b->out_dir, STATE_DIR)) == NULL || (b->done_dir = iox_path_join(b->state_dir, "done")) == NULL)
		return IOTX509_ENOMEM;
	if ((err = iox_manifest_paths(b, o)) < 0)
		return err;

	if (o->pattern == NULL || *o->pattern == '\0') {
		if ((b->src.path = iox_strdup(o->ids_path)) == NULL)
			return IOTX509_ENOMEM;
		if ((err = iox_ids_open(&b->src, b->out_dir)) < 0)
			return err;
	}
	if ((err = iox_ids_count(&b->src, &all)) < 0)
		return err;
	b->total = all / b->shard_n + ((all % b->shard_n) > b->shard_k - 1 ? 1 : 0);

	if ((err = iotx509_file_mkdir(b->done_dir)) < 0 || (err = iox_batch_take_locks(b)) < 0)
		return err;
	b->use_xattr = !(b->flags & IOTX509_BATCH_NO_XATTR) && iox_batch_xattr_works(b);
	{
		unsigned char r[8];

		if ((err = gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r))) < 0)
			return iox_error_gnutls(IOTX509_ECRYPTO, err, "batch: no random run id");
		iox_hex_upper(b->run_id, r, sizeof(r));
	}
	return 0;
}

iotx509_error_code iotx509_batch_new(iotx509_batch **out, const iotx509_batch_options *opts)
{
	iotx509_batch_options copy;
	iotx509_batch *b;
	int err;

	if (out == NULL || opts == NULL)
		return iox_error(IOTX509_EINVAL, "batch: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &batch_opts_defaults, &batch_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((err = check_options(opts)) < 0)
		return err;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	b->lock_fd = b->shard_fd = b->src.fd = -1;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->done, NULL);
	pthread_cond_init(&b->flush_cv, NULL);
	if ((err = setup(b, opts)) < 0) {
		iotx509_batch_free(b);
		return err;
	}
	*out = b;
	return 0;
}

static void *worker(void *arg)
{
	iotx509_batch *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		slot_t *s;

		while (!b->stop && b->ready_count == 0)
			pthread_cond_wait(&b->work, &b->mu);
		if (b->stop)
			break;
		s = &b->slots[b->ready[b->ready_head]];
		b->ready_head = (b->ready_head + 1) % b->nslots;
		b->ready_count--;
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&b->mu);
		iox_batch_process(b, s);
		pthread_mutex_lock(&b->mu);
		s->state = SLOT_DONE;
		b->inflight--;
		/* Wake the driving thread only when it has work: every wake-up is
		 * two context switches taken from the workers. */
		if (++b->worked >= b->wake_at || b->inflight == 0)
			pthread_cond_signal(&b->done);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static void stop_workers(iotx509_batch *b)
{
	unsigned int i;

	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	pthread_cond_broadcast(&b->work);
	pthread_mutex_unlock(&b->mu);
	for (i = 0; i < b->nthreads; i++)
		pthread_join(b->threads[i], NULL);
	b->nthreads = 0;
}

static void set_fatal(iotx509_batch *b, int code, const char *msg);

/* Flush the file system every SYNC_EVERY devices, in a thread of its own:
 * the flush waits for the disk, while the workers need the processors. */
static void *flusher(void *arg)
{
	iotx509_batch *b = arg;
	char msg[MSG_MAX];
	int err;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->stop_flush && b->unsynced < SYNC_EVERY)
			pthread_cond_wait(&b->flush_cv, &b->mu);
		if (b->stop_flush)
			break;
		b->unsynced = 0;
		pthread_mutex_unlock(&b->mu);
		err = iox_sync_fs(b->state_dir);
		if (err < 0)
			snprintf(msg, sizeof(msg), "%s", iotx509_error_last());
		pthread_mutex_lock(&b->mu);
		if (err < 0)
			set_fatal(b, err, msg);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static void stop_flusher(iotx509_batch *b)
{
	if (!b->flusher_running)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop_flush = 1;
	pthread_cond_signal(&b->flush_cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->flusher, NULL);
	b->flusher_running = 0;
}

static int start_workers(iotx509_batch *b)
{
	unsigned int i;
	int ret;

	b->nslots = (size_t)b->jobs * SLOTS_PER_JOB < 16 ? 16 : (size_t)b->jobs * SLOTS_PER_JOB;
	b->slots = calloc(b->nslots, sizeof(*b->slots));
	b->ready = calloc(b->nslots, sizeof(*b->ready));
	b->threads = calloc(b->jobs, sizeof(*b->threads));
	if (b->slots == NULL || b->ready == NULL || b->threads == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (i = 0; i < b->jobs; i++) {
		if ((ret = pthread_create(&b->threads[i], NULL, worker, b)) != 0) {
			stop_workers(b);
			return iox_error(IOTX509_ENOMEM, "batch: cannot start a worker thread: %s", strerror(ret));
		}
		b->nthreads++;
	}
	if (!(b->flags & IOTX509_BATCH_FSYNC_EACH)) {
		if ((ret = pthread_create(&b->flusher, NULL, flusher, b)) != 0) {
			stop_workers(b);
			return iox_error(IOTX509_ENOMEM, "batch: cannot start a thread: %s", strerror(ret));
		}
		b->flusher_running = 1;
	}
	b->workers_started = 1;
	return 0;
}

/* ---- driving the workers ---- */

static void add_failure(iotx509_batch *b, const item_t *it, int code, const char *message)
{
	failure_t *f;

	b->failed++;
	if (b->nfails >= IOTX509_BATCH_MAX_FAILURES)
		return;
	f = &b->fails[b->nfails];
	f->id = strdup(it->id);
	f->message = strdup(message);
	if (f->id == NULL || f->message == NULL) {
		free(f->id);
		free(f->message);
		return;
	}
	f->pub.item = it->item;
	f->pub.device_id = f->id;
	f->pub.code = code;
	f->pub.message = f->message;
	b->nfails++;
}

static void clear_failures(iotx509_batch *b)
{
	size_t i;

	for (i = 0; i < b->nfails; i++) {
		free(b->fails[i].id);
		free(b->fails[i].message);
	}
	b->nfails = 0;
}

/* With b->mu held: the slot with the file name stem @stem that is still
 * being worked on, if any (then this occurrence is a duplicate, or another
 * ID with the same files, and must not race with it). */
static const slot_t *in_flight(const iotx509_batch *b, const char *stem)
{
	size_t i;

	for (i = 0; i < b->nslots; i++)
		if ((b->slots[i].state == SLOT_READY || b->slots[i].state == SLOT_BUSY) &&
		    strcmp(b->slots[i].stem, stem) == 0)
			return &b->slots[i];
	return NULL;
}

/* The slot's stem; "" when the ID gives none (processing then fails it). */
static void slot_stem(const iotx509_batch *b, slot_t *s)
{
	iotx509_buf stem = IOTX509_BUF_INIT;

	s->stem[0] = '\0';
	if (b->names == IOTX509_NAMES_VERBATIM)
		snprintf(s->stem, sizeof(s->stem), "%s", s->it.id);
	else if (iotx509_credential_stem(&stem, s->it.id, b->names) == 0)
		snprintf(s->stem, sizeof(s->stem), "%s", (const char *)stem.data);
	iotx509_buf_dispose(&stem);
}

static void set_fatal(iotx509_batch *b, int code, const char *msg)
{
	size_t i;

	if (b->fatal)
		return;
	b->fatal = code;
	snprintf(b->fatal_msg, sizeof(b->fatal_msg), "%s", msg ? msg : iotx509_strerror(code));
	/* Nothing new starts; what runs finishes its files. */
	for (i = 0; i < b->ready_count; i++)
		b->slots[b->ready[(b->ready_head + i) % b->nslots]].state = SLOT_FREE;
	b->inflight -= b->ready_count;
	b->ready_count = 0;
	b->src_done = 1;
	pthread_cond_broadcast(&b->done);
}

/* With b->mu held: take items from the source into free slots of the ring. */
static void feed(iotx509_batch *b)
{
	while (!b->src_done && !b->fatal && b->fed < b->allowed) {
		slot_t *s = &b->slots[b->fed % b->nslots];
		const slot_t *other;
		int ret;

		if (s->state != SLOT_FREE)
			return; /* the ring is full */
		ret = iox_ids_next_shard(&b->src, &s->it, b->shard_k, b->shard_n);
		if (ret <= 0) {
			b->src_done = 1;
			if (ret < 0)
				set_fatal(b, ret, iotx509_error_last());
			return;
		}
		s->seq = b->fed++;
		s->result = R_FAILED;
		if (s->it.problem != ITEM_OK) {
			s->code = IOTX509_EDEVICEID;
			if (s->it.problem == ITEM_NUL)
				snprintf(s->message, sizeof(s->message),
					 "the device ID holds a NUL byte (character %" PRIu64 " of the line)", s->it.nul_at);
			else
				snprintf(s->message, sizeof(s->message), "the device ID is longer than %u characters",
					 IOTX509_BATCH_MAX_LINE);
			s->state = SLOT_DONE;
			continue;
		}
		slot_stem(b, s);
		if (s->stem[0] != '\0' && (other = in_flight(b, s->stem)) != NULL) {
			s->code = IOTX509_EDUPLICATE;
			if (strcmp(other->it.id, s->it.id) == 0)
				snprintf(s->message, sizeof(s->message),
					 "device ID '%s' is listed more than once (first at %s %" PRIu64 ")", s->it.id,
					 b->src.path ? "line" : "item", other->it.item);
			else
				snprintf(s->message, sizeof(s->message),
					 "device ID '%.200s' gets the file name stem '%.200s' of '%.200s' (%s %" PRIu64
					 ") under create_test_cert.js names; rename one of them",
					 s->it.id, s->stem, other->it.id, b->src.path ? "line" : "item", other->it.item);
			s->state = SLOT_DONE;
			continue;
		}
		s->state = SLOT_READY;
		b->ready[(b->ready_head + b->ready_count) % b->nslots] = (size_t)(s - b->slots);
		b->ready_count++;
		b->inflight++;
		pthread_cond_signal(&b->work);
	}
}

/*
 * With b->mu held: count the finished items in order and write their
 * manifest records; a slot is free again once counted. The records are
 * written with the lock released (the workers need it to take the next
 * item): only this thread touches slots that are done.
 */
static void harvest(iotx509_batch *b)
{
	char msg[MSG_MAX];

	for (;;) {
		uint64_t first = b->completed, end = first, q;
		int err = 0;

		while (end - first < b->nslots) {
			const slot_t *s = &b->slots[end % b->nslots];

			if (s->state != SLOT_DONE || s->seq != end)
				break;
			end++;
		}
		if (end == first)
			return;
		pthread_mutex_unlock(&b->mu);
		for (q = first; q < end && err == 0; q++) {
			const slot_t *s = &b->slots[q % b->nslots];

			if (s->result == R_ISSUED || s->result == R_SKIPPED)
				err = iox_manifest_record(b, s->it.id, &s->rec);
		}
		if (err < 0)
			snprintf(msg, sizeof(msg), "%s", iotx509_error_last() ? iotx509_error_last() : iotx509_strerror(err));
		pthread_mutex_lock(&b->mu);
		for (q = first; q < end; q++) {
			slot_t *s = &b->slots[q % b->nslots];

			switch (s->result) {
			case R_ISSUED:
				b->issued++;
				if (++b->unsynced >= SYNC_EVERY)
					pthread_cond_signal(&b->flush_cv);
				break;
			case R_SKIPPED:
				b->skipped++;
				break;
			case R_FAILED:
				add_failure(b, &s->it, s->code, s->message);
				break;
			case R_FATAL:
				set_fatal(b, s->code, s->message);
				break;
			}
			b->completed++;
			s->state = SLOT_FREE;
		}
		if (err < 0)
			set_fatal(b, err, msg);
	}
}

/* The last flush, when the other threads are gone. */
static void flush_fs(iotx509_batch *b)
{
	if (b->unsynced > 0 && !(b->flags & IOTX509_BATCH_FSYNC_EACH) && iox_sync_fs(b->state_dir) < 0)
		set_fatal(b, IOTX509_EIO, iotx509_error_last());
	b->unsynced = 0;
}

/* Every item is counted: flush the devices' files, then move the
 * manifests into place (they only ever point at files on disk). */
static int finish(iotx509_batch *b)
{
	int err;

	stop_workers(b);
	stop_flusher(b);
	flush_fs(b);
	if (b->fatal)
		return b->fatal;
	if ((err = iox_wstream_commit(b->csv, IOTX509_WRITE_OVERWRITE)) < 0 ||
	    (err = iox_wstream_commit(b->jsonl, IOTX509_WRITE_OVERWRITE)) < 0) {
		set_fatal(b, err, iotx509_error_last());
		return err;
	}
	iox_wstream_free(b->csv);
	iox_wstream_free(b->jsonl);
	b->csv = b->jsonl = NULL;
	iox_ids_close(&b->src);
	b->finished = 1;
	return 0;
}

static int batch_run(iotx509_batch *b, size_t max_items)
{
	uint64_t target;
	int err;

	if (!b->workers_started) {
		if ((err = iox_manifest_open(b)) < 0 || (err = start_workers(b)) < 0) {
			set_fatal(b, err, iotx509_error_last());
			return err;
		}
	}
	pthread_mutex_lock(&b->mu);
	target = max_items ? b->completed + max_items : UINT64_MAX;
	/* Let each worker run one item ahead, so none waits for the caller. */
	b->allowed = max_items ? target + b->jobs : UINT64_MAX;
	for (;;) {
		/* Count first: the slots the workers finished are free to feed. */
		harvest(b);
		feed(b);
		if (b->fatal || b->completed >= target || (b->src_done && b->completed == b->fed))
			break;
		/* Only wait when a worker has something to finish (an item that
		 * waits to be counted waits for one in flight), and only until the
		 * queue needs refilling or the step may be complete: both come
		 * from items already queued, so the wake-up always comes. */
		if (b->inflight > 0) {
			uint64_t k = b->ready_count > b->jobs ? b->ready_count - b->jobs : 1;

			if (target - b->completed < k)
				k = target - b->completed;
			b->wake_at = b->worked + (k ? k : 1);
			while (b->worked < b->wake_at && b->inflight > 0)
				pthread_cond_wait(&b->done, &b->mu);
		}
	}
	pthread_mutex_unlock(&b->mu);
	if (!b->fatal && b->src_done && b->completed == b->fed && (err = finish(b)) < 0)
		return err;
	if (b->fatal)
		return iox_error(b->fatal, "%s", b->fatal_msg);
	return 0;
}

static int failure_cmp(const void *x, const void *y)
{
	const failure_t *a = x, *b = y;

	return a->pub.item < b->pub.item ? -1 : a->pub.item > b->pub.item;
}

iotx509_error_code iotx509_batch_run(iotx509_batch *b, size_t max_items)
{
	int err;

	if (b == NULL)
		return iox_error(IOTX509_EINVAL, "batch run: NULL argument");
	clear_failures(b);
	if (b->fails == NULL && (b->fails = calloc(IOTX509_BATCH_MAX_FAILURES, sizeof(*b->fails))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (b->fatal)
		return iox_error(b->fatal, "%s", b->fatal_msg);
	if (b->finished)
		return 0;
	err = batch_run(b, max_items);
	/* Counted in ID order already; sorting keeps that if it ever changes. */
	qsort(b->fails, b->nfails, sizeof(*b->fails), failure_cmp);
	return err;
}

int iotx509_batch_is_done(const iotx509_batch *b)
{
	return b != NULL && b->finished;
}

uint64_t iotx509_batch_get_total(const iotx509_batch *b)
{
	return b ? b->total : 0;
}

uint64_t iotx509_batch_get_processed(const iotx509_batch *b)
{
	return b ? b->completed : 0;
}

int64_t iotx509_batch_get_requested_not_after(const iotx509_batch *b)
{
	return b ? __atomic_load_n(&b->clamp_asked, __ATOMIC_RELAXED) : 0;
}

uint64_t iotx509_batch_get_issued(const iotx509_batch *b)
{
	return b ? b->issued : 0;
}

uint64_t iotx509_batch_get_skipped(const iotx509_batch *b)
{
	return b ? b->skipped : 0;
}

uint64_t iotx509_batch_get_failed(const iotx509_batch *b)
{
	return b ? b->failed : 0;
}

size_t iotx509_batch_failure_count(const iotx509_batch *b)
{
	return b ? b->nfails : 0;
}

uint64_t iotx509_batch_failure_get_item(const iotx509_batch *b, size_t index)
{
	return b && index < b->nfails ? b->fails[index].pub.item : 0;
}

const char *iotx509_batch_failure_get_id(const iotx509_batch *b, size_t index)
{
	return b && index < b->nfails ? b->fails[index].pub.device_id : NULL;
}

iotx509_error iotx509_batch_failure_get_code(const iotx509_batch *b, size_t index)
{
	return b && index < b->nfails ? (iotx509_error)b->fails[index].pub.code : IOTX509_OK;
}

const char *iotx509_batch_failure_get_message(const iotx509_batch *b, size_t index)
{
	return b && index < b->nfails ? b->fails[index].pub.message : NULL;
}

const char *iotx509_batch_get_manifest_csv(const iotx509_batch *b)
{
	return b ? b->manifest_csv : NULL;
}

const char *iotx509_batch_get_manifest_jsonl(const iotx509_batch *b)
{
	return b ? b->manifest_jsonl : NULL;
}

void iotx509_batch_free(iotx509_batch *b)
{
	if (b == NULL)
		return;
	if (b->nthreads)
		stop_workers(b);
	stop_flusher(b);
	/* Flush what the workers wrote, so a later batch resumes from it. */
	if (b->unsynced && !(b->flags & IOTX509_BATCH_FSYNC_EACH))
		(void)iox_sync_fs(b->state_dir);
	iox_wstream_free(b->csv);
	iox_wstream_free(b->jsonl);
	iox_ids_free(&b->src);
	clear_failures(b);
	free(b->fails);
	free(b->slots);
	free(b->ready);
	free(b->threads);
	if (b->shard_fd >= 0)
		close(b->shard_fd);
	if (b->lock_fd >= 0)
		close(b->lock_fd);
	iotx509_issuer_free(b->issuer);
	iotx509_cert_free(b->ca_cert);
	if (b->pfx_password != NULL) {
		gnutls_memset(b->pfx_password, 0, strlen(b->pfx_password));
		free(b->pfx_password);
	}
	free(b->friendly_name);
	free(b->out_dir);
	free(b->state_dir);
	free(b->done_dir);
	free(b->manifest_csv);
	free(b->manifest_jsonl);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->done);
	pthread_cond_destroy(&b->flush_cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}


/*
 * One device of a batch, in a worker thread: issue it and write its file
 * set, or find it finished (by this run: a duplicate; by an earlier one:
 * claim it, completing a set that lost its certificate or lacks its .pfx).
 */
#include "batch-internal.h"
#include "cert-internal.h"
#include "credential-internal.h"
#include "issue-internal.h"
#include "key-internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 if @cert is the certificate this batch issues for @id. */
static int cert_is_ours(const iotx509_batch *b, const iotx509_cert *cert, const char *id)
{
	return cert->subject_cn != NULL && strcmp(cert->subject_cn, id) == 0 && iox_cert_check_issuer(cert, b->ca_cert);
}

/*
 * Files of the device are in the way and it has no record: are they the
 * leftovers of a set this CA was writing when a batch was killed? Returns
 * 0 (replace them) or IOTX509_EEXISTS.
 */
static int leftovers_are_ours(const iotx509_batch *b, const paths_t *p, const char *id)
{
	iotx509_cert *cert = NULL;
	struct stat st;
	int i, ours = 0;

	if (b->flags & IOTX509_BATCH_FORCE)
		return 0;
	if (stat(PATH(p, P_CERT), &st) == 0) {
		if (st.st_size == 0)
			return 0;
		if (iotx509_cert_load(&cert, PATH(p, P_CERT)) == 0)
			ours = cert_is_ours(b, cert, id);
		iotx509_cert_free(cert);
		if (ours)
			return 0;
		return iox_error(IOTX509_EEXISTS,
				 "%s exists and was not written by this batch (remove it, or use --force to replace it)",
				 PATH(p, P_CERT));
	}
	for (i = 1; i < 4; i++)
		if (access(PATH(p, i), F_OK) == 0)
			return iox_error(IOTX509_EEXISTS,
					 "%s exists and was not written by this batch (remove it, or use --force to "
					 "replace it)",
					 PATH(p, i));
	return 0; /* only a damaged record */
}

/* 1 if @path opens with the batch's .pfx password and holds @cert. */
static int pfx_is_ours(const iotx509_batch *b, const char *path, const iotx509_cert *cert)
{
	iotx509_pkcs12 *p12 = NULL;
	const iotx509_cert *leaf;
	int ours;

	if (iotx509_pkcs12_load(&p12, path, b->pfx_password, NULL) < 0)
		return 0;
	leaf = iotx509_pkcs12_get_leaf(p12);
	ours = leaf != NULL && strcmp(leaf->sha256, cert->sha256) == 0;
	iotx509_pkcs12_free(p12);
	return ours;
}

/*
 * A batch that writes .pfx files claims a finished device of an earlier
 * run that has none (it ran without a password) or lost it: write the
 * .pfx from the device's key and full chain, so that the rerun completes
 * the set. A .pfx in the way that this batch would not have written (it
 * does not open with the password, or holds another certificate) is
 * replaced only with IOTX509_BATCH_FORCE, else IOTX509_EEXISTS.
 */
static int add_pfx(const iotx509_batch *b, const paths_t *p, slot_t *s, const iotx509_cert *cert)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_credential_save_options so = b->so;
	iotx509_credential *cred = NULL;
	iotx509_fileset *set = NULL;
	struct stat st;
	int err;

	if (stat(PATH(p, P_PFX), &st) == 0 && st.st_size > 0) {
		if (s->rec.pfx || pfx_is_ours(b, PATH(p, P_PFX), cert)) {
			s->rec.pfx = 1;
			return 0;
		}
		if (!(b->flags & IOTX509_BATCH_FORCE))
			return iox_error(IOTX509_EEXISTS,
					 "%s exists and was not written by this batch (remove it, or use --force to "
					 "replace it)",
					 PATH(p, P_PFX));
	}
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX);
	if ((err = iotx509_credential_load(&cred, b->out_dir, s->it.id, NULL, &iox_credential_partial_chain)) == 0 &&
	    (err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iotx509_credential_stage(set, cred, b->out_dir, s->it.id, &so)) == 0)
		err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE | sync);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	if (err == 0)
		s->rec.pfx = 1;
	return err;
}

/*
 * A finished device of an earlier run: read its certificate back for the
 * manifest and make the record this run's. IOTX509_EEXISTS when the
 * certificate is not one this batch would have issued (another CA wrote
 * into the directory).
 */
static int claim(const iotx509_batch *b, const paths_t *p, record_where where, slot_t *s)
{
	iotx509_cert *cert = NULL;
	int err;

	if ((err = iotx509_cert_load(&cert, PATH(p, P_CERT))) < 0 || !cert_is_ours(b, cert, s->it.id)) {
		iotx509_cert_free(cert);
		return iox_error(IOTX509_EEXISTS,
				 "%s was not issued by this batch's CA for '%s' (remove it, or use --force to replace it)",
				 PATH(p, P_CERT), s->it.id);
	}
	iox_record_from_cert(&s->rec, cert);
	err = b->pfx_password != NULL ? add_pfx(b, p, s, cert) : 0;
	iotx509_cert_free(cert);
	if (err < 0)
		return err;
	iox_record_for_item(&s->rec, b, &s->it);
	return iox_record_rewrite(b, p, where, &s->rec);
}

/*
 * A finished device whose certificate file was deleted: the set this batch
 * wrote is whole again with the first certificate of its full chain, when
 * that is this CA's certificate for @id and the key file holds its key.
 * 0 when restored; else IOTX509_EEXISTS naming what is missing.
 */
static int restore_cert(const iotx509_batch *b, const paths_t *p, const char *id, int pfx)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_certlist *full = NULL;
	iotx509_key *key = NULL;
	iotx509_fileset *set = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;
	const iotx509_cert *leaf = NULL;
	struct stat st;
	int i, err;

	for (i = P_KEY; i < (pfx ? 4 : 3); i++)
		if (stat(PATH(p, i), &st) != 0 || st.st_size == 0)
			return iox_error(IOTX509_EEXISTS,
					 "%s and %s are missing from the set this batch wrote for '%s' (remove its other "
					 "files to issue it again, or use --force)",
					 PATH(p, P_CERT), PATH(p, i), id);
	if ((err = iotx509_certlist_new(&full)) == 0 && (err = iotx509_certlist_add_path(full, PATH(p, P_FULLCHAIN))) == 0 &&
	    (err = iotx509_key_load(&key, PATH(p, P_KEY), NULL)) == 0) {
		leaf = iotx509_certlist_get(full, 0);
		err = cert_is_ours(b, leaf, id) && iotx509_cert_check_key(leaf, key) == 0 ? 0 : IOTX509_EEXISTS;
	}
	if (err < 0 && err != IOTX509_ENOMEM) {
		err = iox_error(IOTX509_EEXISTS,
				"%s is missing from the set this batch wrote for '%s', and %s does not hold it with its key "
				"(remove its other files to issue it again, or use --force)",
				PATH(p, P_CERT), id, PATH(p, P_FULLCHAIN));
		goto out;
	}
	if (err < 0)
		goto out;
	if ((err = iotx509_cert_export_pem(&pem, leaf)) == 0 && (err = iotx509_fileset_new(&set)) == 0 &&
	    (err = iox_fileset_add(set, PATH(p, P_CERT), pem.data, pem.size, 0)) == 0)
		err = iox_fileset_commit(set, sync);
out:
	iotx509_fileset_free(set);
	iotx509_buf_dispose(&pem);
	iotx509_key_free(key);
	iotx509_certlist_free(full);
	return err;
}


/* Remember the first validity cut to the CA's (every device of a run asks
 * for about the same notAfter), for iotx509_batch_get_requested_not_after(). */
static void note_clamp(const iotx509_batch *b, const iotx509_cert *cert)
{
	int64_t asked = iotx509_issue_get_requested_not_after(cert), none = 0;

	/* The one field workers write: atomically, first one wins. */
	if (asked != 0)
		__atomic_compare_exchange_n((int64_t *)&b->clamp_asked, &none, asked, 0, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
}

/*
 * Issue the device and write its set, the record last (when the record
 * exists, so do the files). Files in the way are replaced when they are
 * the leftovers of a set this CA was writing (or with IOTX509_BATCH_FORCE),
 * else the device fails with IOTX509_EEXISTS.
 */
static int issue_one(const iotx509_batch *b, const paths_t *p, const item_t *it, record_t *r)
{
	unsigned int sync = (b->flags & IOTX509_BATCH_FSYNC_EACH) ? 0 : IOX_WRITE_NOSYNC;
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential *cred = NULL;
	iotx509_fileset *set = NULL;
	char line[128];
	int err, n;

	o.issue = &b->io;
	o.key_type = b->key_type;
	o.dir = b->out_dir;
	o.name = (const char *)p->stem.data;
	o.save = &b->so;
	/* iox_batch_process() validated the ID: it is not validated again. */
	if ((err = iotx509_fileset_new(&set)) == 0 && (o.stage = set) != NULL &&
	    (err = iox_issue_credential(&cred, IOTX509_PROFILE_DEVICE, b->issuer, it->id, &o,
					IOX_ISSUE_SUBJECT_CHECKED)) == 0) {
		const iotx509_cert *cert = iotx509_credential_get_cert(cred);

		note_clamp(b, cert);
		iox_record_for_item(r, b, it);
		r->pfx = b->pfx_password != NULL;
		iox_record_from_cert(r, cert);
		n = iox_record_format(line, sizeof(line), r);
		err = b->use_xattr ? iox_fileset_set_xattr(set, PATH(p, P_FULLCHAIN), RECORD_XATTR, line, (size_t)n)
				   : iox_fileset_add(set, p->record, (const unsigned char *)line, (size_t)n, 0);
		/* The targets are expected to be absent: no lookups first. */
		if (err == 0)
			err = iox_fileset_commit(set, sync | IOX_WRITE_NOPRECHECK);
		/* Nothing of the set is left: see whose files are in the way. */
		if (err == IOTX509_EEXISTS && (err = leftovers_are_ours(b, p, it->id)) == 0)
			err = iox_fileset_commit(set, IOTX509_WRITE_OVERWRITE | sync);
		if (err == IOTX509_EUNSUPPORTED && b->use_xattr)
			err = iox_error(IOTX509_EIO,
					"%s: the file system has no extended attributes for the batch's records; "
					"use --no-xattr (IOTX509_BATCH_NO_XATTR)",
					b->out_dir ? b->out_dir : ".");
	}
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	return err;
}

/*
 * This run finished a device with the same files before: the ID listed
 * again, or (camel-cased names) another ID with the same stem.
 */
static int duplicate(const iotx509_batch *b, const paths_t *p, const slot_t *s)
{
	iotx509_cert *cert = NULL;
	const char *where = b->src.path ? "line" : "item";
	int err;

	if (b->names != IOTX509_NAMES_VERBATIM && iotx509_cert_load(&cert, PATH(p, P_CERT)) == 0 &&
	    cert->subject_cn != NULL && strcmp(cert->subject_cn, s->it.id) != 0)
		err = iox_error(IOTX509_EDUPLICATE,
				"device ID '%s' gets the file name stem '%s' of '%s' (%s %" PRIu64
				") under create_test_cert.js names; rename one of them",
				s->it.id, (const char *)p->stem.data, cert->subject_cn, where, s->rec.item);
	else
		err = iox_error(IOTX509_EDUPLICATE, "device ID '%s' is listed more than once (first at %s %" PRIu64 ")",
				s->it.id, where, s->rec.item);
	iotx509_cert_free(cert);
	return err;
}

/* Process one item; the outcome goes into the slot. */
void iox_batch_process(const iotx509_batch *b, slot_t *s)
{
	const char *id = s->it.id;
	record_where where;
	paths_t p;
	int err, rec;

	s->result = R_FAILED;
	if ((err = iox_id_validate(id, b->io.id_policy, IOTX509_ID_AS_CN)) < 0)
		goto fail;
	if ((err = iox_paths_make(&p, b, id)) < 0) {
		iox_paths_free(&p);
		if (err == IOTX509_EINVAL) /* not usable as a file name */
			goto fail;
		goto fatal;
	}
	rec = iox_record_read(&s->rec, &where, &p);
	if (rec == 1 && strcmp(s->rec.run, b->run_id) == 0) {
		err = duplicate(b, &p, s);
		iox_paths_free(&p);
		goto fail;
	}
	if (rec == 1 && !(b->flags & IOTX509_BATCH_FORCE) && access(PATH(&p, P_CERT), F_OK) != 0 && errno == ENOENT) {
		/* Finished, then its certificate file was deleted: complete the set. */
		if ((err = restore_cert(b, &p, id, s->rec.pfx)) == 0)
			err = claim(b, &p, where, s);
		iox_paths_free(&p);
		if (err == 0) {
			s->result = R_SKIPPED;
			return;
		}
		if (err == IOTX509_EEXISTS)
			goto fail;
		goto fatal;
	}
	/* Finished by an earlier batch (a .pfx it lacks is added): claim it
	 * for this manifest. */
	if (rec == 1 && (iox_files_complete(&p, s->rec.pfx) || (b->pfx_password != NULL && iox_files_complete(&p, 0)))) {
		err = claim(b, &p, where, s);
		if (err == 0) {
			iox_paths_free(&p);
			s->result = R_SKIPPED;
			return;
		}
		if (err != IOTX509_EEXISTS || !(b->flags & IOTX509_BATCH_FORCE)) {
			iox_paths_free(&p);
			/* A disk or memory failure would fail every device; the
			 * rest (a damaged key file under the .pfx to add) is this one's. */
			if (err == IOTX509_EIO || err == IOTX509_ENOMEM || err == IOTX509_ECRYPTO)
				goto fatal;
			goto fail;
		}
	}
	err = issue_one(b, &p, &s->it, &s->rec);
	iox_paths_free(&p);
	if (err == 0) {
		s->result = R_ISSUED;
		return;
	}
	if (err == IOTX509_EDEVICEID || err == IOTX509_EEXISTS)
		goto fail;
fatal:
	s->result = R_FATAL;
fail:
	s->code = err;
	snprintf(s->message, sizeof(s->message), "%s",
		 iotx509_error_last() ? iotx509_error_last() : iotx509_strerror(err));
}

/*
 * Collecting certificates from files and directory trees (see scan-internal.h).
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "scan-internal.h"
#include "file-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Deeper trees than this are a mistake (or a loop through bind mounts). */
#define MAX_DEPTH 32

/* The thumbprint is uniformly distributed: its first 16 hex digits are the hash. */
static size_t hash_of(const iotx509_cert *cert)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < 16 && cert->sha256[i]; i++) {
		char c = cert->sha256[i];

		h = (h << 4) | (uint64_t)(c <= '9' ? c - '0' : c - 'A' + 10);
	}
	return (size_t)h;
}

/* The table slot holding @cert, or the free slot where it would go. */
static size_t slot_of(const iox_scan *scan, const iotx509_cert *cert)
{
	size_t mask = scan->tcap - 1, k = hash_of(cert) & mask;

	while (scan->table[k] != 0 && strcmp(scan->items[scan->table[k] - 1].cert->sha256, cert->sha256) != 0)
		k = (k + 1) & mask;
	return k;
}

/* Rebuild the table for the current items, with room for @want items. */
static int rehash(iox_scan *scan, size_t want)
{
	size_t tcap = 64, i;
	size_t *table;

	while (tcap < 2 * want)
		tcap *= 2;
	if ((table = calloc(tcap, sizeof(*table))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	free(scan->table);
	scan->table = table;
	scan->tcap = tcap;
	for (i = 0; i < scan->count; i++)
		scan->table[slot_of(scan, scan->items[i].cert)] = i + 1;
	return 0;
}

long iox_scan_find(const iox_scan *scan, const iotx509_cert *cert)
{
	size_t k;

	if (scan->tcap == 0)
		return -1;
	/* The SHA-256 thumbprint identifies the DER. */
	k = slot_of(scan, cert);
	return scan->table[k] ? (long)(scan->table[k] - 1) : -1;
}

int iox_scan_add(iox_scan *scan, const iotx509_cert *cert, const char *source)
{
	char *src = NULL;
	int ret;

	if (iox_scan_find(scan, cert) >= 0)
		return 0;
	if (2 * (scan->count + 1) > scan->tcap && (ret = rehash(scan, scan->count + 1)) < 0)
		return ret;
	if (source != NULL && (src = iox_strdup(source)) == NULL)
		return IOTX509_ENOMEM;
	if (IOX_ARRAY_GROW(scan->items, scan->cap, scan->count, 16) < 0) {
		free(src);
		return IOTX509_ENOMEM;
	}
	scan->items[scan->count].cert = iox_cert_ref(cert);
	scan->items[scan->count].source = src;
	scan->table[slot_of(scan, cert)] = scan->count + 1;
	scan->count++;
	return 1;
}

void iox_scan_truncate(iox_scan *scan, size_t count)
{
	size_t i;

	if (scan->count <= count)
		return;
	/* Free the dropped entries' slots: clear the table and refill it
	 * (its size stays, so this cannot fail). */
	while (scan->count > count) {
		scan->count--;
		iotx509_cert_free(scan->items[scan->count].cert);
		free(scan->items[scan->count].source);
	}
	memset(scan->table, 0, scan->tcap * sizeof(*scan->table));
	for (i = 0; i < scan->count; i++)
		scan->table[slot_of(scan, scan->items[i].cert)] = i + 1;
}

void iox_scan_clear(iox_scan *scan)
{
	iox_scan_truncate(scan, 0);
	free(scan->items);
	free(scan->table);
	scan->items = NULL;
	scan->table = NULL;
	scan->cap = scan->tcap = 0;
}

/* @seen counts every certificate read, duplicates included. */
static int scan_file(iox_scan *scan, const char *path, int lenient, size_t *seen)
{
	iotx509_certlist *list = NULL;
	size_t i;
	int ret;

	if ((ret = iotx509_certlist_new(&list)) < 0)
		return ret;
	ret = iox_certlist_load_file(list, path, lenient);
	*seen += list->count;
	for (i = 0; ret >= 0 && i < list->count; i++)
		ret = iox_scan_add(scan, list->certs[i], path);
	iotx509_certlist_free(list);
	return ret < 0 ? ret : 0;
}

static int scan_dir(iox_scan *scan, const char *path, unsigned int depth, size_t *seen)
{
	char **paths;
	size_t n, i;
	int ret;

	if (depth > MAX_DEPTH)
		return iox_error(IOTX509_ELIMIT, "%s: directories nested more than %d deep", path, MAX_DEPTH);
	ret = iox_dir_list(&paths, &n, path);
	for (i = 0; ret == 0 && i < n; i++) {
		struct stat lst, st;

		if (lstat(paths[i], &lst) == 0 && stat(paths[i], &st) == 0) {
			if (S_ISREG(st.st_mode))
				ret = scan_file(scan, paths[i], 1, seen);
			else if (S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode))
				ret = scan_dir(scan, paths[i], depth + 1, seen);
		}
	}
	iox_dir_free(paths, n);
	return ret;
}

int iox_scan_path(iox_scan *scan, const char *path, size_t *added)
{
	size_t before = scan->count, seen = 0;
	struct stat st;
	int ret;

	if (added)
		*added = 0;
	if (stat(path, &st) != 0)
		return iox_error(errno == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		ret = scan_dir(scan, path, 0, &seen);
		/* Duplicates of what is known are fine; an empty tree is a mistake. */
		if (ret == 0 && seen == 0)
			ret = iox_error(IOTX509_ENOTFOUND, "%s: no certificate in this directory or below", path);
	} else {
		ret = scan_file(scan, path, 0, &seen);
	}
	if (ret < 0) {
		iox_scan_truncate(scan, before);
		return ret;
	}
	if (added)
		*added = scan->count - before;
	return 0;
}

/*
 * The group-enrollment flow in a few library calls: a root CA, a device
 * certificate under it, and a proof-of-possession certificate for a nonce.
 * Writes the files to a directory and prints subjects and thumbprints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iotx509.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "iotx509-demo: %s: %s (%s)\n", what, iotx509_error_last() ? iotx509_error_last() : "",
		iotx509_strerror(err));
	return 1;
}

static void show(const char *role, const iotx509_cert *c)
{
	printf("%-13s subject %s, issuer %s\n", role, iotx509_cert_get_subject_dn(c), iotx509_cert_get_issuer_dn(c));
	printf("%-13s SHA-1   %s\n", "", iotx509_cert_get_thumbprint_sha1(c));
	printf("%-13s SHA-256 %s\n", "", iotx509_cert_get_thumbprint_sha256(c));
}

static int save(const char *dir, const char *name, const iotx509_cert *c, const iotx509_key *k)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/%s_cert.pem", dir, name);
	if ((err = iotx509_cert_save(c, path, IOTX509_WRITE_OVERWRITE)) < 0)
		return err;
	snprintf(path, sizeof(path), "%s/%s_key.pem", dir, name);
	return iotx509_key_save(k, path, NULL, IOTX509_WRITE_OVERWRITE);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	const char *device_id = argc > 2 ? argv[2] : "sample-device-01";
	const char *nonce = argc > 3 ? argv[3] : "1234ABCD";
	iotx509_key *root_key = NULL, *dev_key = NULL, *ver_key = NULL;
	iotx509_cert *root = NULL, *dev = NULL, *ver = NULL;
	iotx509_issuer *ca = NULL;
	int err, rc = 0;

	if ((err = iotx509_key_generate(&root_key, IOTX509_KEY_P256)) < 0)
		return fail("root key", err);
	if ((err = iotx509_issue_root(&root, root_key, "iotx509 demo root CA", NULL)) < 0 ||
	    (err = iotx509_issuer_new(&ca, root, root_key)) < 0) {
		rc = fail("root CA", err);
		goto out;
	}
	if ((err = iotx509_key_generate(&dev_key, IOTX509_KEY_P256)) < 0 ||
	    (err = iotx509_issue_device(&dev, ca, dev_key, device_id, NULL)) < 0) {
		rc = fail("device certificate", err);
		goto out;
	}
	if ((err = iotx509_key_generate(&ver_key, IOTX509_KEY_P256)) < 0 ||
	    (err = iotx509_issue_verification(&ver, ca, ver_key, nonce, NULL)) < 0) {
		rc = fail("verification certificate", err);
		goto out;
	}
	if ((err = save(dir, "root", root, root_key)) < 0 || (err = save(dir, device_id, dev, dev_key)) < 0 ||
	    (err = save(dir, "verification", ver, ver_key)) < 0) {
		rc = fail("writing files", err);
		goto out;
	}
	printf("libiotx509 %s: group enrollment demo, files in %s\n", iotx509_version(NULL, NULL, NULL), dir);
	show("root CA", root);
	show("device", dev);
	show("verification", ver);
out:
	iotx509_cert_free(root);
	iotx509_cert_free(dev);
	iotx509_cert_free(ver);
	iotx509_issuer_free(ca);
	iotx509_key_free(root_key);
	iotx509_key_free(dev_key);
	iotx509_key_free(ver_key);
	return rc;
}

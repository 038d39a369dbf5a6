/*
 * What the issuing commands add for the user who goes back to the guide:
 * create_test_cert.js's file names (--names), and which file the device
 * presents with the environment the IoT Central / DPS samples read.
 */
#ifndef IOTX509_CLI_HINTS_H
#define IOTX509_CLI_HINTS_H

#include "cli.h"

enum { OPT_NAMES = 0x1500 };
#define O_NAMES { "names", required_argument, NULL, OPT_NAMES }
#define HELP_NAMES \
	"  --names STYLE        file names: verbatim (default, NAME as given) or create-test-cert\n" \
	"                       (create_test_cert.js's camel-cased stem: sample-device-01 ->\n" \
	"                       sampleDevice01_cert.pem; the CN stays as given; PARENT too)\n"

/* The file name stems of one command under --names. */
struct names {
	iotx509_name_style style;
	char *name, *parent; /* malloc'd stems, or NULL */
};

/* --names STYLE: 0, or EXIT_USAGE after a message. */
int names_parse(const struct cli *c, const char *arg, struct names *n);

/*
 * Apply the style to *@name (unless @explicit_name: --out chose it) and to
 * the last component of *@parent, in place. Refuses (EXIT_FAIL, one line)
 * a stem whose certificate in the out dir belongs to another CN than @cn:
 * two IDs that camel-case alike. Returns CLI_CONTINUE to go on.
 */
int names_apply(const struct cli *c, struct names *n, int explicit_name, const char *cn, const char **name,
		const char **parent);
void names_free(struct names *n);

/*
 * After an issuing command wrote @set for @cred: which file the device
 * presents (or what to upload, for a CA) and, for a device, the
 * environment the samples read, with this device's absolute paths. Text
 * and JSON; call between out_start() and out_finish(). @command is the
 * command's name ("device", "root", ...; "renew" for whatever it renewed).
 */
void hints_report(const char *command, const iotx509_fileset *set, const iotx509_credential *cred);

#endif

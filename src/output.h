/*
 * The one output helper of the iotx509 tool: text for people, or with
 * --json a single JSON object, from the same calls.
 *
 * Everything is collected in memory and printed by out_finish(), so a
 * command that fails half-way prints nothing on stdout (its error goes to
 * stderr).
 *
 * Text mode shows every string escaped as iotx509_text_escape() does (a
 * CN with a newline cannot add a line, an escape sequence cannot reach the
 * terminal); JSON keeps the exact strings, in JSON's own escapes.
 *
 * Structure: out_begin_object()/out_end() and out_begin_array()/out_end()
 * nest as in JSON. In text mode an object inside an array prints its title
 * on a line of its own and indents its members; arrays themselves print
 * nothing.
 */
#ifndef IOTX509_CLI_OUTPUT_H
#define IOTX509_CLI_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include <iotx509.h>

/* Start the output of @command ("device", "p12 export", ...). */
void out_start(const char *command, int json);
/* Print what was collected (text, or the JSON object and a newline). */
void out_finish(void);
/* Drop what was collected (the command failed). */
void out_discard(void);
int out_is_json(void);

/* A member object (key given) or an array element (key NULL). @title is
 * the text-mode heading line; NULL prints none and does not indent. */
void out_begin_object(const char *key, const char *title);
/* A member array. */
void out_begin_array(const char *key);
/* Close the innermost object or array. */
void out_end(void);

/* A string member; "label: value" in text mode (label NULL: JSON only). */
void out_str(const char *key, const char *label, const char *value);
/* An integer member. */
void out_int(const char *key, const char *label, long long value);
/* A boolean member; "yes"/"no" in text. */
void out_bool(const char *key, const char *label, int value);
/* A time member, as "YYYY-MM-DDTHH:MM:SSZ". */
void out_time(const char *key, const char *label, int64_t t);
/* A string element of the innermost array; text mode prints "@prefix value". */
void out_array_str(const char *prefix, const char *value);
/* A line in text mode only (JSON ignores it). */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A text-mode line printed as it is, for text that must be used as shown
 * (shell lines to paste): the caller guarantees it holds no control
 * character and no invalid UTF-8 (escape first, e.g. as shell_quote does). */
void out_text_verbatim(const char *line);

/* The files of a committed set: "files": [...], or "wrote PATH" lines. */
void out_files(const iotx509_fileset *set);
/* A certificate as a member (key given) or array element (key NULL). */
void out_cert(const char *key, const iotx509_cert *cert, const char *path);
/* A short line per certificate of a chain: "chain": [ {subject, sha1}, ... ]. */
void out_chain(const char *key, const iotx509_certlist *chain);
/* A private key (algorithm, size, public key hash; never key material). */
void out_key(const char *key, const iotx509_key *k, const char *path);
/* A certificate request. */
void out_csr(const char *key, const iotx509_csr *csr, const char *path);

/* @s escaped for a message on stderr (iotx509_text_escape()), library
 * messages included (they quote certificate fields as they are); the
 * string stays valid until out_esc() is called 8 more times. */
const char *out_esc(const char *s);

/* iotx509_time_format() into @buf (at least 32 bytes), for printf arguments. */
const char *out_format_time(char *buf, size_t size, int64_t t);

#endif

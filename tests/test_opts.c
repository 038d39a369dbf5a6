/*
 * The one options helper of lib/common.c (iox_opts_init, iox_opts_read) on
 * a made-up struct with two versions, as every options struct will have once
 * a field is appended; and the one array growth (iox_array_grow). This
 * program compiles lib/common.c and lib/errors.c itself: the helpers are
 * hidden in the shared library.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Version 1 had only @a; version 2 appended @b. */
typedef struct {
	unsigned int version;
	int a;
	int64_t b;
} fake_options;

#define FAKE_VERSION 2
IOX_OPTS_TYPE(fake_type, "fake options", FAKE_VERSION, offsetof(fake_options, b), sizeof(fake_options));
static const fake_options fake_defaults = { FAKE_VERSION, 7, 42 };

/* A version-1 caller's struct: exactly as long as version 1 was, so reading
 * past it is an out-of-bounds read that ASan and valgrind report. */
static fake_options *v1_struct(int a)
{
	unsigned char *p = malloc(offsetof(fake_options, b));
	unsigned int version = 1;

	cr_assert_not_null(p);
	memcpy(p, &version, sizeof(version));
	memcpy(p + offsetof(fake_options, a), &a, sizeof(a));
	return (fake_options *)p;
}

Test(opts, init_of_an_older_version_writes_only_its_fields)
{
	unsigned char buf[sizeof(fake_options)];
	fake_options o;
	size_t i;

	memset(buf, 0xee, sizeof(buf));
	cr_assert_eq(iox_opts_init(buf, 1, &fake_defaults, &fake_type), 0, "%s", iotx509_error_last());
	memcpy(&o, buf, offsetof(fake_options, b));
	cr_assert_eq(o.version, 1);
	cr_assert_eq(o.a, 7);
	for (i = offsetof(fake_options, b); i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0xee, "byte %zu beyond version 1 was written", i);
	cr_assert_eq(iox_opts_init(&o, 2, &fake_defaults, &fake_type), 0);
	cr_assert_eq(o.version, 2);
	cr_assert_eq(o.a, 7);
	cr_assert_eq(o.b, 42);
}

Test(opts, read_of_an_older_version_takes_the_defaults_for_newer_fields)
{
	fake_options *v1 = v1_struct(5), v2 = { 2, 9, 11 }, out;

	cr_assert_eq(iox_opts_read(&out, v1, &fake_defaults, &fake_type), 0, "%s", iotx509_error_last());
	cr_assert_eq(out.a, 5, "the caller's field");
	cr_assert_eq(out.b, 42, "the default of the field version 1 lacks");
	cr_assert_eq(iox_opts_read(&out, &v2, &fake_defaults, &fake_type), 0);
	cr_assert_eq(out.a, 9);
	cr_assert_eq(out.b, 11);
	cr_assert_eq(iox_opts_read(&out, NULL, &fake_defaults, &fake_type), 0);
	cr_assert_eq(out.a, 7, "NULL: the defaults");
	cr_assert_eq(out.b, 42);
	free(v1);
}

Test(opts, versions_outside_1_to_current_are_refused_naming_the_struct)
{
	fake_options o = { 0, 1, 2 }, out;

	cr_assert_eq(iox_opts_init(&o, 0, &fake_defaults, &fake_type), IOTX509_EINVAL);
	cr_assert_str_eq(iotx509_error_last(), "fake options: unsupported version 0 (this library accepts 1 to 2)");
	cr_assert_eq(iox_opts_init(&o, 3, &fake_defaults, &fake_type), IOTX509_EINVAL);
	cr_assert_str_eq(iotx509_error_last(), "fake options: unsupported version 3 (this library accepts 1 to 2)");
	cr_assert_eq(o.a, 1, "a refused _init() leaves the struct alone");
	cr_assert_eq(iox_opts_init(NULL, 1, &fake_defaults, &fake_type), IOTX509_EINVAL);
	cr_assert_str_eq(iotx509_error_last(), "fake options: opts is NULL");
	o.version = 3;
	cr_assert_eq(iox_opts_read(&out, &o, &fake_defaults, &fake_type), IOTX509_EINVAL);
	cr_assert_str_eq(iotx509_error_last(), "fake options: unsupported version 3 (this library accepts 1 to 2)");
	o.version = 0;
	cr_assert_eq(iox_opts_read(&out, &o, &fake_defaults, &fake_type), IOTX509_EINVAL);
}

Test(array, grows_by_doubling_from_the_first_size_and_keeps_the_elements)
{
	int64_t *a = NULL;
	size_t cap = 0, n;

	for (n = 0; n < 100; n++) {
		cr_assert_eq(IOX_ARRAY_GROW(a, cap, n, 4), 0);
		cr_assert(cap > n);
		a[n] = (int64_t)n * 3;
		if (n == 0)
			cr_assert_eq(cap, 4, "the first allocation");
	}
	cr_assert_eq(cap, 128, "4, 8, ..., 128");
	for (n = 0; n < 100; n++)
		cr_assert_eq(a[n], (int64_t)n * 3);
	free(a);
}

Test(array, an_impossible_size_is_enomem_and_leaves_the_array)
{
	char *a = malloc(4);
	size_t cap = SIZE_MAX / 2 + 1;

	cr_assert_not_null(a);
	cr_assert_eq(iox_array_grow(&a, &cap, cap, 1, 4), IOTX509_ENOMEM);
	cr_assert_eq(cap, SIZE_MAX / 2 + 1);
	cr_assert_not_null(a);
	free(a);
}

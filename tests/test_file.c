/*
 * The file module: the atomic, mode-aware writer, the reader, and file sets
 * (several files written all together or not at all).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char *dir;

static void setup(void)
{
	dir = th_tmpdir();
	iotx509_error_clear();
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(file, .init = setup, .fini = teardown);
TestSuite(fileset, .init = setup, .fini = teardown);

static const unsigned char hello[] = "hello\n";
static const unsigned char world[] = "world, longer contents\n";

static mode_t mode_of(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* Names in @d other than . and .. (so leftovers such as "x.tmp.AbC123" show up). */
static int entries(const char *d, char *names, size_t size)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(dp, "%s: %s", d, strerror(errno));
	if (names)
		names[0] = '\0';
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (names) {
			strncat(names, de->d_name, size - strlen(names) - 2);
			strcat(names, " ");
		}
	}
	closedir(dp);
	return n;
}

static void assert_contents(const char *path, const unsigned char *want, size_t size)
{
	size_t got_size = 0;
	char *got = th_slurp(path, &got_size);

	cr_assert_not_null(got, "%s is missing", path);
	cr_assert_eq(got_size, size, "%s: %zu bytes, expected %zu", path, got_size, size);
	cr_assert(memcmp(got, want, size) == 0, "%s: unexpected contents", path);
	free(got);
}

static void assert_error(int err, int code, const char *part1, const char *part2)
{
	cr_assert_eq(err, code, "returned %d (%s), expected %d: %s", err, iotx509_strerror(err), code, th_err());
	cr_assert_eq(iotx509_error_last_code(), code);
	cr_assert(strstr(th_err(), part1) != NULL, "message '%s' lacks '%s'", th_err(), part1);
	if (part2)
		cr_assert(strstr(th_err(), part2) != NULL, "message '%s' lacks '%s'", th_err(), part2);
}

/*
 * Run iotx509_file_write() (set == 0) or a two-file set (set == 1) in a
 * child that cannot write to @d: root ignores permission bits, so as root
 * the child first becomes "nobody". Returns what the child saw as an exit
 * status: 0 = IOTX509_EIO with a message naming the file and the reason.
 */
static int write_in_readonly_dir(const char *d, const char *path, const char *other, int set)
{
	pid_t pid;
	int status;

	cr_assert_eq(chmod(d, 0555), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int err;

		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(10);
		if (!set) {
			err = iotx509_file_write(path, hello, sizeof(hello) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE));
		} else {
			iotx509_fileset *fs = NULL;

			if (iotx509_fileset_new(&fs) != 0 ||
			    iotx509_fileset_add(fs, other, hello, sizeof(hello) - 1, NULL) != 0 ||
			    iotx509_fileset_add(fs, path, world, sizeof(world) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE)) != 0)
				_exit(11);
			err = iotx509_fileset_commit(fs, NULL);
			iotx509_fileset_free(fs);
		}
		if (err != IOTX509_EIO)
			_exit(12);
		if (strstr(th_err(), path) == NULL || strstr(th_err(), strerror(EACCES)) == NULL)
			_exit(13);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	chmod(d, 0700);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ---- iotx509_file_write / iotx509_file_read ---- */

Test(file, write_creates_the_file_with_mode_0644)
{
	char *p = th_path(dir, "cert.pem");

	cr_assert_eq(iotx509_file_write(p, hello, sizeof(hello) - 1, NULL), 0, "%s", th_err());
	assert_contents(p, hello, sizeof(hello) - 1);
	cr_assert_eq(mode_of(p), 0644, "mode %o", mode_of(p));
	cr_assert_eq(entries(dir, NULL, 0), 1, "no temporary file is left beside the target");
	free(p);
}

Test(file, private_flag_creates_mode_0600_whatever_the_umask)
{
	char *p = th_path(dir, "key.pem");
	mode_t old = umask(0);

	cr_assert_eq(iotx509_file_write(p, hello, sizeof(hello) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE)), 0, "%s", th_err());
	umask(old);
	cr_assert_eq(mode_of(p), 0600, "mode %o", mode_of(p));
	free(p);
}

Test(file, an_empty_file_can_be_written)
{
	char *p = th_path(dir, "empty");

	cr_assert_eq(iotx509_file_write(p, NULL, 0, NULL), 0, "%s", th_err());
	assert_contents(p, (const unsigned char *)"", 0);
	free(p);
}

Test(file, existing_file_is_not_overwritten_without_the_flag_and_stays_untouched)
{
	char *p = th_path(dir, "cert.pem");
	struct stat before, after;

	th_write(p, hello, sizeof(hello) - 1);
	cr_assert_eq(chmod(p, 0640), 0);
	cr_assert_eq(stat(p, &before), 0);
	assert_error(iotx509_file_write(p, world, sizeof(world) - 1, NULL), IOTX509_EEXISTS, p, "exists");
	assert_contents(p, hello, sizeof(hello) - 1);
	cr_assert_eq(stat(p, &after), 0);
	cr_assert_eq(after.st_ino, before.st_ino, "the file was replaced");
	cr_assert_eq(after.st_mode, before.st_mode);
	cr_assert_eq(after.st_mtime, before.st_mtime);
	cr_assert_eq(entries(dir, NULL, 0), 1);
	free(p);
}

Test(file, overwrite_replaces_the_file_atomically)
{
	char *p = th_path(dir, "cert.pem");
	char old[16] = { 0 };
	int fd;

	th_write(p, hello, sizeof(hello) - 1);
	fd = open(p, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(iotx509_file_write(p, world, sizeof(world) - 1, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	assert_contents(p, world, sizeof(world) - 1);
	/* A reader that opened the old file still sees it whole: the new file was
	 * renamed over it, not truncated and rewritten in place. */
	cr_assert_eq(read(fd, old, sizeof(old) - 1), (ssize_t)(sizeof(hello) - 1));
	cr_assert_str_eq(old, (const char *)hello);
	close(fd);
	cr_assert_eq(entries(dir, NULL, 0), 1, "no temporary file is left behind");
	free(p);
}

Test(file, overwrite_with_private_flag_makes_a_public_file_0600)
{
	char *p = th_path(dir, "key.pem");

	th_write(p, hello, sizeof(hello) - 1);
	cr_assert_eq(chmod(p, 0644), 0);
	cr_assert_eq(iotx509_file_write(p, world, sizeof(world) - 1,
					WRITE_OPTS(IOTX509_WRITE_OVERWRITE | IOTX509_WRITE_PRIVATE)), 0, "%s", th_err());
	cr_assert_eq(mode_of(p), 0600, "mode %o", mode_of(p));
	free(p);
}

Test(file, read_only_directory_fails_with_eio_and_leaves_nothing_behind)
{
	char *p = th_path(dir, "key.pem");
	int rc = write_in_readonly_dir(dir, p, NULL, 0);

	cr_assert_eq(rc, 0, "child status %d (10 setuid, 12 wrong code, 13 message)", rc);
	cr_assert_eq(entries(dir, NULL, 0), 0, "the directory must stay empty");
	free(p);
}

Test(file, missing_directory_fails_with_eio_naming_the_file)
{
	char *p = th_path(dir, "no/such/dir/cert.pem");

	assert_error(iotx509_file_write(p, hello, sizeof(hello) - 1, NULL), IOTX509_EIO, p, strerror(ENOENT));
	cr_assert_eq(entries(dir, NULL, 0), 0);
	free(p);
}

Test(file, mkdir_creates_the_directory_and_its_parents_0755)
{
	char *p = th_path(dir, "out/devices/line-1/"), *f = th_path(dir, "plain"), *under = th_path(dir, "plain/sub");
	mode_t old = umask(022);

	cr_assert_eq(iotx509_file_mkdir(p), 0, "%s", th_err());
	cr_assert_eq(mode_of(p), 0755);
	cr_assert_eq(iotx509_file_mkdir(p), 0, "an existing directory is fine");
	th_write(f, "x", 1);
	assert_error(iotx509_file_mkdir(f), IOTX509_EIO, f, "is not a directory");
	assert_error(iotx509_file_mkdir(under), IOTX509_EIO, under, "is not a directory");
	assert_error(iotx509_file_mkdir(""), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_file_mkdir(NULL), IOTX509_EINVAL, "no path", NULL);
	umask(old);
	free(p);
	free(f);
	free(under);
}

Test(file, write_rejects_bad_arguments)
{
	char *p = th_path(dir, "x");

	assert_error(iotx509_file_write(NULL, hello, 1, NULL), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_file_write("", hello, 1, NULL), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_file_write(p, NULL, 3, NULL), IOTX509_EINVAL, "no data", NULL);
	assert_error(iotx509_file_write(p, hello, 1, WRITE_OPTS(1u << 7)), IOTX509_EINVAL, "unknown write flags", NULL);
	cr_assert_eq(entries(dir, NULL, 0), 0);
	free(p);
}

Test(file, read_returns_the_contents_nul_terminated)
{
	char *p = th_path(dir, "data");
	iotx509_buf buf = IOTX509_BUF_INIT;

	th_write(p, world, sizeof(world) - 1);
	cr_assert_eq(iotx509_file_read(&buf, p), 0, "%s", th_err());
	cr_assert_eq(buf.size, sizeof(world) - 1);
	cr_assert_eq(buf.data[buf.size], '\0');
	cr_assert_str_eq((const char *)buf.data, (const char *)world);
	iotx509_buf_dispose(&buf);
	free(p);
}

Test(file, read_of_an_empty_file_gives_an_empty_string)
{
	char *p = th_path(dir, "empty");
	iotx509_buf buf = IOTX509_BUF_INIT;

	th_write(p, "", 0);
	cr_assert_eq(iotx509_file_read(&buf, p), 0, "%s", th_err());
	cr_assert_eq(buf.size, 0);
	cr_assert_not_null(buf.data);
	cr_assert_eq(buf.data[0], '\0');
	iotx509_buf_dispose(&buf);
	free(p);
}

Test(file, read_of_a_missing_file_is_enotfound_naming_the_file)
{
	char *p = th_path(dir, "missing.pem");
	iotx509_buf buf = { (unsigned char *)"junk", 4 };

	assert_error(iotx509_file_read(&buf, p), IOTX509_ENOTFOUND, p, strerror(ENOENT));
	cr_assert_null(buf.data, "the output is reset on failure");
	cr_assert_eq(buf.size, 0);
	free(p);
}

Test(file, read_of_a_directory_is_eio)
{
	iotx509_buf buf = IOTX509_BUF_INIT;

	assert_error(iotx509_file_read(&buf, dir), IOTX509_EIO, dir, "is a directory, not a regular file");
}

/* A plain open() of a FIFO waits for a writer forever: the timeout fails
 * the test if the reader does. */
Test(file, read_of_a_fifo_without_a_writer_fails_at_once, .timeout = 10)
{
	char *p = th_path(dir, "fifo.pem");
	iotx509_buf buf = IOTX509_BUF_INIT;

	cr_assert_eq(mkfifo(p, 0600), 0);
	assert_error(iotx509_file_read(&buf, p), IOTX509_EIO, p, "is a FIFO (named pipe), not a regular file");
	cr_assert_null(buf.data);
	free(p);
}

Test(file, read_of_a_fifo_a_program_writes_to_is_refused_too, .timeout = 10)
{
	char *p = th_path(dir, "fifo.pem");
	iotx509_buf buf = IOTX509_BUF_INIT;
	int fd;

	cr_assert_eq(mkfifo(p, 0600), 0);
	/* Read-write: a writer (and reader) that never blocks on the open. */
	cr_assert_geq(fd = open(p, O_RDWR), 0);
	cr_assert_eq(write(fd, hello, sizeof(hello) - 1), (ssize_t)sizeof(hello) - 1);
	assert_error(iotx509_file_read(&buf, p), IOTX509_EIO, p, "is a FIFO");
	close(fd);
	free(p);
}

Test(file, read_through_a_symbolic_link_to_a_fifo_is_refused, .timeout = 10)
{
	char *p = th_path(dir, "fifo"), *l = th_path(dir, "cert.pem");
	iotx509_buf buf = IOTX509_BUF_INIT;

	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_assert_eq(symlink(p, l), 0);
	assert_error(iotx509_file_read(&buf, l), IOTX509_EIO, l, "is a FIFO");
	free(p);
	free(l);
}

Test(file, read_of_a_device_is_refused_without_reading_it, .timeout = 10)
{
	iotx509_buf buf = IOTX509_BUF_INIT;

	/* /dev/zero never ends, /dev/null ends at once: both are refused. */
	assert_error(iotx509_file_read(&buf, "/dev/zero"), IOTX509_EIO, "/dev/zero", "is a character device");
	assert_error(iotx509_file_read(&buf, "/dev/null"), IOTX509_EIO, "/dev/null", "is a character device");
}

Test(file, read_refuses_a_file_over_the_size_limit_before_reading_it)
{
	char *p = th_path(dir, "huge.pem");
	iotx509_buf buf = IOTX509_BUF_INIT;
	int fd = open(p, O_WRONLY | O_CREAT, 0600);

	/* Sparse: one byte over the limit costs no disk space. */
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)IOTX509_FILE_MAX_READ + 1), 0);
	close(fd);
	assert_error(iotx509_file_read(&buf, p), IOTX509_ELIMIT, p, "is more than the 64 MiB an input file may have");
	cr_assert_null(buf.data);
	/* The limit itself is allowed. */
	cr_assert_eq(truncate(p, (off_t)IOTX509_FILE_MAX_READ), 0);
	cr_assert_eq(iotx509_file_read(&buf, p), 0, "%s", th_err());
	cr_assert_eq(buf.size, IOTX509_FILE_MAX_READ);
	iotx509_buf_dispose(&buf);
	free(p);
}

Test(file, read_closes_the_file_it_opened)
{
	char *p = th_path(dir, "data");
	iotx509_buf buf = IOTX509_BUF_INIT;
	DIR *d;
	int before = 0, after = 0;
	struct dirent *de;

	th_write(p, world, sizeof(world) - 1);
	cr_assert_not_null(d = opendir("/proc/self/fd"));
	while ((de = readdir(d)) != NULL)
		before++;
	closedir(d);
	cr_assert_eq(iotx509_file_read(&buf, p), 0, "%s", th_err());
	cr_assert_not_null(d = opendir("/proc/self/fd"));
	while ((de = readdir(d)) != NULL)
		after++;
	closedir(d);
	cr_assert_eq(before, after, "no descriptor is left open");
	cr_assert_str_eq((const char *)buf.data, (const char *)world);
	iotx509_buf_dispose(&buf);
	free(p);
}

Test(file, read_rejects_null_arguments)
{
	iotx509_buf buf = IOTX509_BUF_INIT;

	assert_error(iotx509_file_read(NULL, dir), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_file_read(&buf, NULL), IOTX509_EINVAL, "no path", NULL);
}

/* ---- iotx509_fileset ---- */

static iotx509_fileset *three_files(char **a, char **b, char **c)
{
	iotx509_fileset *set = NULL;

	*a = th_path(dir, "d_cert.pem");
	*b = th_path(dir, "d_key.pem");
	*c = th_path(dir, "d.pfx");
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_add(set, *a, world, sizeof(world) - 1, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_add(set, *b, world, sizeof(world) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE)), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_fileset_add(set, *c, world, sizeof(world) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE)), 0, "%s",
		     th_err());
	return set;
}

Test(fileset, commit_writes_every_file_with_its_mode)
{
	char *a, *b, *c;
	iotx509_fileset *set = three_files(&a, &b, &c);

	cr_assert_eq(iotx509_fileset_count(set), 3);
	cr_assert_str_eq(iotx509_fileset_get_path(set, 0), a);
	cr_assert_str_eq(iotx509_fileset_get_path(set, 2), c);
	cr_assert_null(iotx509_fileset_get_path(set, 3));
	cr_assert_eq(entries(dir, NULL, 0), 0, "nothing is written before commit");
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	assert_contents(a, world, sizeof(world) - 1);
	assert_contents(b, world, sizeof(world) - 1);
	assert_contents(c, world, sizeof(world) - 1);
	cr_assert_eq(mode_of(a), 0644);
	cr_assert_eq(mode_of(b), 0600);
	cr_assert_eq(mode_of(c), 0600);
	cr_assert_eq(entries(dir, NULL, 0), 3, "no temporary file is left behind");
	iotx509_fileset_free(set);
	free(a), free(b), free(c);
}

Test(fileset, one_existing_target_refuses_the_whole_set_and_touches_nothing)
{
	char *a, *b, *c;
	iotx509_fileset *set = three_files(&a, &b, &c);

	th_write(c, hello, sizeof(hello) - 1);
	assert_error(iotx509_fileset_commit(set, NULL), IOTX509_EEXISTS, c, "exists");
	assert_contents(c, hello, sizeof(hello) - 1);
	cr_assert_eq(access(a, F_OK), -1, "%s must not be written", a);
	cr_assert_eq(access(b, F_OK), -1, "%s must not be written", b);
	cr_assert_eq(entries(dir, NULL, 0), 1);
	iotx509_fileset_free(set);
	free(a), free(b), free(c);
}

Test(fileset, overwrite_replaces_the_whole_set)
{
	char *a, *b, *c;
	iotx509_fileset *set = three_files(&a, &b, &c);

	th_write(a, hello, sizeof(hello) - 1);
	th_write(b, hello, sizeof(hello) - 1);
	cr_assert_eq(chmod(b, 0644), 0);
	cr_assert_eq(iotx509_fileset_commit(set, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	assert_contents(a, world, sizeof(world) - 1);
	assert_contents(b, world, sizeof(world) - 1);
	assert_contents(c, world, sizeof(world) - 1);
	cr_assert_eq(mode_of(b), 0600, "a replaced key file gets mode 0600");
	cr_assert_eq(entries(dir, NULL, 0), 3, "no backup or temporary file is left behind");
	iotx509_fileset_free(set);
	free(a), free(b), free(c);
}

Test(fileset, failure_late_in_an_overwrite_restores_old_files_and_removes_new_ones)
{
	char *a, *b, *c, *inside, names[1024];
	iotx509_fileset *set = three_files(&a, &b, &c);

	th_write(a, hello, sizeof(hello) - 1); /* b does not exist yet */
	/* The last target is a directory: replacing it fails after the first
	 * two files are already in place. */
	cr_assert_eq(mkdir(c, 0755), 0);
	inside = th_path(c, "x");
	th_write(inside, "x", 1);
	assert_error(iotx509_fileset_commit(set, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), IOTX509_EIO, c, "directory");
	assert_contents(a, hello, sizeof(hello) - 1);
	cr_assert_eq(access(b, F_OK), -1, "%s was new and must be removed again", b);
	cr_assert_eq(entries(dir, names, sizeof(names)), 2, "leftovers: %s", names);
	iotx509_fileset_free(set);
	free(a), free(b), free(c), free(inside);
}

Test(fileset, failure_in_a_new_set_removes_every_staged_file)
{
	char *a, *b, *c, *inside, names[1024];
	iotx509_fileset *set = three_files(&a, &b, &c);

	/* Without overwrite the existence check catches a directory up front;
	 * here the target's directory is missing, so staging fails for c only. */
	free(c);
	iotx509_fileset_free(set);
	set = NULL;
	c = th_path(dir, "missing/d.pfx");
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_add(set, a, world, sizeof(world) - 1, NULL), 0);
	cr_assert_eq(iotx509_fileset_add(set, b, world, sizeof(world) - 1, WRITE_OPTS(IOTX509_WRITE_PRIVATE)), 0);
	cr_assert_eq(iotx509_fileset_add(set, c, world, sizeof(world) - 1, NULL), 0);
	assert_error(iotx509_fileset_commit(set, NULL), IOTX509_EIO, c, strerror(ENOENT));
	cr_assert_eq(entries(dir, names, sizeof(names)), 0, "leftovers: %s", names);
	/* The same set can be committed once the cause is fixed. */
	inside = th_path(dir, "missing");
	cr_assert_eq(mkdir(inside, 0755), 0);
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	assert_contents(c, world, sizeof(world) - 1);
	iotx509_fileset_free(set);
	free(a), free(b), free(c), free(inside);
}

Test(fileset, read_only_directory_leaves_nothing_in_any_directory)
{
	char *ok_dir = th_path(dir, "writable"), *ro_dir = th_path(dir, "readonly");
	char *a = th_path(ok_dir, "d_cert.pem"), *b = th_path(ro_dir, "d_key.pem");
	int rc;

	cr_assert_eq(chmod(dir, 0755), 0); /* let the unprivileged child reach both */
	cr_assert_eq(mkdir(ok_dir, 0777), 0);
	cr_assert_eq(chmod(ok_dir, 0777), 0); /* writable for the unprivileged child too */
	cr_assert_eq(mkdir(ro_dir, 0755), 0);
	rc = write_in_readonly_dir(ro_dir, b, a, 1);
	cr_assert_eq(rc, 0, "child status %d (10 setuid, 11 add, 12 wrong code, 13 message)", rc);
	cr_assert_eq(entries(ok_dir, NULL, 0), 0, "the staged file in the writable directory was removed");
	cr_assert_eq(entries(ro_dir, NULL, 0), 0);
	free(ok_dir), free(ro_dir), free(a), free(b);
}

Test(fileset, freeing_an_uncommitted_set_writes_nothing)
{
	char *a, *b, *c;
	iotx509_fileset *set = three_files(&a, &b, &c);

	iotx509_fileset_free(set);
	iotx509_fileset_free(NULL);
	cr_assert_eq(entries(dir, NULL, 0), 0);
	free(a), free(b), free(c);
}

Test(fileset, add_copies_the_data)
{
	char *p = th_path(dir, "copy");
	unsigned char data[] = "original";
	iotx509_fileset *set = NULL;

	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_add(set, p, data, sizeof(data) - 1, NULL), 0);
	memset(data, 'X', sizeof(data) - 1);
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	assert_contents(p, (const unsigned char *)"original", 8);
	iotx509_fileset_free(set);
	free(p);
}

Test(fileset, rejects_misuse)
{
	char *p = th_path(dir, "x");
	iotx509_fileset *set = NULL;

	assert_error(iotx509_fileset_new(NULL), IOTX509_EINVAL, "NULL", NULL);
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	assert_error(iotx509_fileset_add(NULL, p, hello, 1, NULL), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_fileset_add(set, "", hello, 1, NULL), IOTX509_EINVAL, "no path", NULL);
	assert_error(iotx509_fileset_add(set, p, hello, 1, WRITE_OPTS(1u << 9)), IOTX509_EINVAL, "unknown write flags", NULL);
	cr_assert_eq(iotx509_fileset_add(set, p, hello, 1, NULL), 0);
	assert_error(iotx509_fileset_add(set, p, world, 1, NULL), IOTX509_EINVAL, p, "twice");
	assert_error(iotx509_fileset_commit(set, WRITE_OPTS(IOTX509_WRITE_PRIVATE)), IOTX509_EINVAL, "unknown commit flags",
		     NULL);
	assert_error(iotx509_fileset_commit(NULL, NULL), IOTX509_EINVAL, "NULL", NULL);
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	assert_error(iotx509_fileset_commit(set, NULL), IOTX509_EINVAL, "already written", NULL);
	assert_error(iotx509_fileset_add(set, "y", hello, 1, NULL), IOTX509_EINVAL, "already written", NULL);
	cr_assert_eq(iotx509_fileset_count(NULL), 0);
	cr_assert_null(iotx509_fileset_get_path(NULL, 0));
	iotx509_fileset_free(set);
	free(p);
}

Test(fileset, an_empty_set_commits_and_writes_nothing)
{
	iotx509_fileset *set = NULL;

	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	cr_assert_eq(entries(dir, NULL, 0), 0);
	iotx509_fileset_free(set);
}

Test(file, write_options_zero_filled_are_the_defaults)
{
	iotx509_write_options z, init = IOTX509_WRITE_OPTIONS_INIT, priv = IOTX509_WRITE_OPTIONS_INIT;
	char *a = th_path(dir, "a"), *b = th_path(dir, "b"), *c = th_path(dir, "c");
	iotx509_fileset *set = NULL;

	TH_ZERO_OPTIONS(z, IOTX509_WRITE_OPTIONS_VERSION);
	/* The defaults: mode 0644 and an existing file is never replaced. */
	cr_assert_eq(iotx509_file_write(a, hello, 6, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_file_write(b, hello, 6, &init), 0, "%s", th_err());
	cr_assert_eq(mode_of(a), 0644, "mode %o", mode_of(a));
	cr_assert_eq(mode_of(b), 0644, "mode %o", mode_of(b));
	cr_assert_eq(iotx509_file_write(a, world, 6, &z), IOTX509_EEXISTS);
	cr_assert_eq(iotx509_file_write(b, world, 6, &init), IOTX509_EEXISTS);
	/* A flag set in the struct is read: the same calls differ with it. */
	priv.flags = IOTX509_WRITE_PRIVATE | IOTX509_WRITE_OVERWRITE;
	cr_assert_eq(iotx509_file_write(a, world, 6, &priv), 0, "%s", th_err());
	cr_assert_eq(mode_of(a), 0600, "mode %o", mode_of(a));
	/* The file set: zero-filled add (0644) and commit (no overwrite). */
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_add(set, c, hello, 6, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_add(set, b, hello, 6, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_commit(set, &z), IOTX509_EEXISTS, "b exists");
	cr_assert_eq(access(c, F_OK), -1, "nothing of the set was written");
	iotx509_fileset_free(set);
	TH_CHECK_OPTIONS_INIT(iotx509_write_options, iotx509_write_options_init, IOTX509_WRITE_OPTIONS_VERSION,
			      "write options", IOTX509_WRITE_OPTIONS_INIT);
	free(a);
	free(b);
	free(c);
}

Test(file, every_writer_refuses_write_options_of_an_unknown_version)
{
	iotx509_write_options o = IOTX509_WRITE_OPTIONS_INIT;
	unsigned int bad[] = { 0, IOTX509_WRITE_OPTIONS_VERSION + 1 };
	char *p = th_path(dir, "v");
	iotx509_fileset *set = NULL;
	size_t i;

	cr_assert_eq(iotx509_fileset_new(&set), 0);
	for (i = 0; i < 2; i++) {
		o.version = bad[i];
		th_version_refused_named(iotx509_file_write(p, hello, 6, &o), bad[i], "write options");
		th_version_refused_named(iotx509_fileset_add(set, p, hello, 6, &o), bad[i], "write options");
		th_version_refused_named(iotx509_fileset_commit(set, &o), bad[i], "write options");
	}
	cr_assert_eq(iotx509_fileset_count(set), 0);
	cr_assert_eq(access(p, F_OK), -1, "nothing written");
	iotx509_fileset_free(set);
	free(p);
}

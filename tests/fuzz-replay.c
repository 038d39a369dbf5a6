/*
 * Replays fuzz inputs without libFuzzer: linked with one fuzz/fuzz_*.c
 * harness and this build's library, it runs LLVMFuzzerTestOneInput() once
 * on every file named on the command line (for a directory, every file in
 * it). tests/fuzz-regressions.sh runs it on fuzz/regressions/; in the
 * --enable-sanitizers build a crash, sanitizer report or leak fails it.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL, *p;
	size_t size = 0, cap = 0, got;
	struct timespec t0, t1;
	double secs;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (size == cap) {
			cap = cap ? 2 * cap : 4096;
			if ((p = realloc(data, cap)) == NULL) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(data);
				fclose(f);
				return -1;
			}
			data = p;
		}
		got = fread(data + size, 1, cap - size, f);
		size += got;
	} while (got > 0);
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	LLVMFuzzerTestOneInput(data, size);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(data);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* A slow input is a finding too (unbounded work); say so. */
	if (secs >= 1.0)
		printf("# %s took %.1f s\n", path, secs);
	return 0;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in @dir, in name order; returns the count or -1. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **p, path[4096];
	size_t n = 0, i;
	struct stat st;
	int count = 0;

	if (d == NULL) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((p = realloc(names, (n + 1) * sizeof(*names))) == NULL || (p[n] = strdup(e->d_name)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", dir);
			count = -1;
			names = p ? p : names;
			break;
		}
		names = p;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), compare);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (count >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			count = replay_file(path) < 0 ? -1 : count + 1;
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, n, total = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) < 0 ? -1 : 1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("# %d inputs replayed\n", total);
	return 0;
}

/* tests/crash/crash_shim.c: an LD_PRELOAD library that kills its process at a chosen write.
 *
 * What: counts the write(2)-family calls of the process (write, pwrite, pwrite64, writev,
 * pwritev) on regular files other than descriptors 0-2, and rename(2) calls, and at call
 * number FTG_CRASH_AT (1-based) sends itself SIGKILL:
 * before the call when FTG_CRASH_TORN is unset, or after writing only the first half of its
 * bytes when FTG_CRASH_TORN=1 (Linux stops a large write to a regular file at a page boundary
 * when SIGKILL arrives, so a torn write is what a real kill can leave). With FTG_CRASH_AT unset
 * or 0 it only counts, and at exit writes the count to the file FTG_CRASH_COUNT (if set).
 * Why: tests/crash/crash_resume.sh kills `ftg run` at every write boundary of a small sweep
 * (SQLite's crash-test idea) and checks that `ftg run --continue` then gives the uninterrupted
 * file. A kill at random times (tests/engine/test_run.cpp) rarely lands inside H5Fflush; this
 * lands on each of its writes in turn.
 * Not thread-safe beyond an atomic counter: the count is exact because ftg writes from one thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_long calls;
static long crash_at = -1; /* -1: not read yet */
static int torn;

static void setup(void) {
  if (crash_at >= 0) return;
  const char* at = getenv("FTG_CRASH_AT");
  const char* t = getenv("FTG_CRASH_TORN");
  torn = t != NULL && t[0] == '1';
  crash_at = at != NULL ? atol(at) : 0;
}

static int regular(int fd) {
  struct stat st;
  return fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* 0: go on with the whole call; otherwise the byte count to write before dying (may be 0). */
static long due(int fd, size_t bytes, int* die) {
  setup();
  *die = 0;
  if (fd != -1 && !regular(fd)) return 0;
  const long n = atomic_fetch_add(&calls, 1) + 1;
  if (crash_at > 0 && n == crash_at) {
    *die = 1;
    return torn ? (long)(bytes / 2) : 0;
  }
  return 0;
}

static void die_now(void) { kill(getpid(), SIGKILL); }

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real)(int, const void*, size_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  int die;
  const long part = due(fd, count, &die);
  if (die) {
    if (part > 0) real(fd, buf, (size_t)part);
    die_now();
  }
  return real(fd, buf, count);
}

/* pwrite and pwrite64 (two symbols, one behaviour): the next definition of `name`, counted. */
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
static ssize_t counted_pwrite(pwrite_fn* real, const char* name, int fd, const void* buf, size_t count, off_t off) {
  if (!*real) *real = (pwrite_fn)dlsym(RTLD_NEXT, name);
  int die;
  const long part = due(fd, count, &die);
  if (die) {
    if (part > 0) (*real)(fd, buf, (size_t)part, off);
    die_now();
  }
  return (*real)(fd, buf, count, off);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t off) {
  static pwrite_fn real;
  return counted_pwrite(&real, "pwrite", fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t off) {
  static pwrite_fn real;
  return counted_pwrite(&real, "pwrite64", fd, buf, count, off);
}

ssize_t writev(int fd, const struct iovec* iov, int n) {
  static ssize_t (*real)(int, const struct iovec*, int);
  if (!real) real = (ssize_t(*)(int, const struct iovec*, int))dlsym(RTLD_NEXT, "writev");
  int die;
  (void)due(fd, 0, &die);
  if (die) die_now();
  return real(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec* iov, int n, off_t off) {
  static ssize_t (*real)(int, const struct iovec*, int, off_t);
  if (!real) real = (ssize_t(*)(int, const struct iovec*, int, off_t))dlsym(RTLD_NEXT, "pwritev");
  int die;
  (void)due(fd, 0, &die);
  if (die) die_now();
  return real(fd, iov, n, off);
}

/* A rename is a crash point too: FILE.partial.creating -> FILE.partial, FILE.partial -> FILE. */
int rename(const char* from, const char* to) {
  static int (*real)(const char*, const char*);
  if (!real) real = (int (*)(const char*, const char*))dlsym(RTLD_NEXT, "rename");
  int die;
  (void)due(-1, 0, &die);
  if (die) die_now();
  return real(from, to);
}

__attribute__((destructor)) static void report(void) {
  const char* path = getenv("FTG_CRASH_COUNT");
  if (path == NULL || path[0] == '\0') return;
  FILE* f = fopen(path, "w");
  if (f == NULL) return;
  fprintf(f, "%ld\n", (long)atomic_load(&calls));
  fclose(f);
}

/*
 * A test fixture, preloaded (LD_PRELOAD) into the daemon by DaemonFaultsIT: it moves the process's wall
 * clock - CLOCK_REALTIME, gettimeofday(), time() - by the whole seconds written in the file named by
 * WALLCLOCK_OFFSET_FILE ("+3600", "-7200"), re-read at most every 100 ms, as a laptop waking from sleep
 * or an NTP step would. The monotonic clocks and every wait stay real.
 *
 * Why not Debian's libfaketime: it also rewrites pthread_cond_timedwait, and with the JVM that either
 * makes every timed wait return at once (its automatic "monotonic fix": all threads spin, a start takes
 * 35 s) or stretches each wait by the fake offset (fix off: a clock set back two hours makes a 6 s delay
 * last two hours more). A real clock jump does neither; this shim, which fakes only the readings, doesn't.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static atomic_long offset_seconds;
static atomic_long next_read_ns;

static void load_real(void) {
    if (!real_clock_gettime) {
        real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    }
}

/* Reads the offset with bare system calls: nothing here may read the clock (no stdio, no malloc). */
static long read_offset(void) {
    const char *path = getenv("WALLCLOCK_OFFSET_FILE");
    if (!path) {
        return 0;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return atomic_load(&offset_seconds);
    }
    char text[32];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) {
        return atomic_load(&offset_seconds);
    }
    text[n] = '\0';
    return strtol(text, NULL, 10);
}

static long current_offset(void) {
    struct timespec now;
    real_clock_gettime(CLOCK_MONOTONIC, &now);
    long now_ns = now.tv_sec * 1000000000L + now.tv_nsec;
    if (now_ns >= atomic_load(&next_read_ns)) {
        atomic_store(&offset_seconds, read_offset());
        atomic_store(&next_read_ns, now_ns + 100000000L);
    }
    return atomic_load(&offset_seconds);
}

int clock_gettime(clockid_t clock, struct timespec *tp) {
    load_real();
    int result = real_clock_gettime(clock, tp);
    if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) {
        tp->tv_sec += current_offset();
    }
    return result;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) { /* tv is declared nonnull by glibc */
    (void) tz;
    struct timespec now;
    int result = clock_gettime(CLOCK_REALTIME, &now);
    if (result == 0) {
        tv->tv_sec = now.tv_sec;
        tv->tv_usec = now.tv_nsec / 1000;
    }
    return result;
}

time_t time(time_t *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (out) {
        *out = now.tv_sec;
    }
    return now.tv_sec;
}

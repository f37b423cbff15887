/* What memory costs the first time a process touches it, against the
 * second time: the probe behind "first touch" in docs/performance.md.
 *
 *   cc -O2 scripts/first-touch.c -o /tmp/first-touch && /tmp/first-touch
 *
 * Maps 1 GiB three times; each time writes every byte once (the kernel
 * gives and clears a fresh page at each first write) and then again (the
 * pages are there). With "huge" as argument, asks for transparent huge
 * pages (2 MiB), as mimalloc does for its arenas. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const size_t size = (size_t)1 << 30;
    int huge = argc > 1 && strcmp(argv[1], "huge") == 0;
    for (int round = 0; round < 3; round++) {
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        if (huge) {
            madvise(p, size, MADV_HUGEPAGE);
        }
        double t = now();
        memset(p, 1, size);
        double first = now() - t;
        t = now();
        memset(p, 2, size);
        double second = now() - t;
        printf("%s pages: first touch %.3f s (%.2f GB/s), second %.3f s (%.2f GB/s)\n",
               huge ? "huge" : "4 KiB", first, 1.0 / first, second, 1.0 / second);
        munmap(p, size);
    }
    return 0;
}

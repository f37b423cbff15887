/* What the kernel takes to write a site's files, with no rendering at all:
 * the floor under a build's time in docs/performance.md ("the floor").
 *
 *   find SITE -type f -printf '%s %P\n' | sort -k2 > /tmp/files.txt
 *   cc -O2 -pthread scripts/write-floor.c -o /tmp/write-floor
 *   /usr/bin/time -f '%e s, %U s user, %S s system' /tmp/write-floor /tmp/files.txt /dev/shm/floor
 *
 * Reads the list of files (size and path, as `find -printf '%s %P\n'`
 * prints them), then creates every folder and writes every file of that
 * size under OUT (which must not exist), from two threads taking runs of 64
 * files in turn, as verbatim's two render threads do. Each file is written
 * with one write() from a buffer of 'x's, as verbatim writes a page. With
 * "small" after OUT, every file gets at most 100 bytes: what the folders
 * and files cost without their bytes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct file {
    size_t size;
    char *path;
};

static struct file *files;
static size_t count;
static const char *out;
static int small;
static char *buffer;
static size_t next_run;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* mkdir -p of the folder that holds `path`. */
static void make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            perror(path);
            exit(1);
        }
        *slash = '/';
    }
}

static void *writer(void *unused) {
    (void)unused;
    char path[4096];
    for (;;) {
        pthread_mutex_lock(&lock);
        size_t first = next_run;
        next_run += 64;
        pthread_mutex_unlock(&lock);
        if (first >= count)
            return NULL;
        for (size_t i = first; i < count && i < first + 64; i++) {
            snprintf(path, sizeof path, "%s/%s", out, files[i].path);
            int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            if (fd < 0 && errno == ENOENT) {
                make_parents(path);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            }
            if (fd < 0) {
                perror(path);
                exit(1);
            }
            size_t size = small && files[i].size > 100 ? 100 : files[i].size;
            if (write(fd, buffer, size) != (ssize_t)size) {
                perror(path);
                exit(1);
            }
            close(fd);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE_LIST OUT [small]\n", argv[0]);
        return 2;
    }
    out = argv[2];
    small = argc > 3 && strcmp(argv[3], "small") == 0;
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 1;
    }
    size_t capacity = 1024, largest = 0;
    files = malloc(capacity * sizeof *files);
    char line[4200];
    while (fgets(line, sizeof line, list)) {
        char *space = strchr(line, ' ');
        if (!space)
            continue;
        line[strcspn(line, "\n")] = '\0';
        if (count == capacity)
            files = realloc(files, (capacity *= 2) * sizeof *files);
        files[count].size = strtoull(line, NULL, 10);
        files[count].path = strdup(space + 1);
        if (files[count].size > largest)
            largest = files[count].size;
        count++;
    }
    fclose(list);
    buffer = malloc(largest + 1);
    memset(buffer, 'x', largest + 1);
    if (mkdir(out, 0777) != 0) {
        perror(out);
        return 1;
    }
    pthread_t threads[2];
    for (int t = 0; t < 2; t++)
        pthread_create(&threads[t], NULL, writer, NULL);
    for (int t = 0; t < 2; t++)
        pthread_join(threads[t], NULL);
    printf("%zu files\n", count);
    return 0;
}

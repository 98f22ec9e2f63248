#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int items[16];
static int count = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *adder(void *unused) {
    (void)unused;
    for (int i = 1; i <= 5; i++) {
        pthread_mutex_lock(&lock);
        items[count++] = i;
        printf("Added %d, list size %d\n", i, count);
        fflush(stdout);
        pthread_mutex_unlock(&lock);
        usleep(20000);
    }
    return NULL;
}

static void *remover(void *unused) {
    (void)unused;
    for (int i = 0; i < 5; i++) {
        usleep(30000);
        pthread_mutex_lock(&lock);
        if (count == 0) {
            printf("List is empty\n");
        } else {
            int first = items[0];
            for (int j = 1; j < count; j++) items[j - 1] = items[j];
            count--;
            printf("Removed %d, list size %d\n", first, count);
        }
        fflush(stdout);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t a, r;
    pthread_create(&a, NULL, adder, NULL);
    pthread_create(&r, NULL, remover, NULL);
    pthread_join(a, NULL);
    pthread_join(r, NULL);
    return 0;
}

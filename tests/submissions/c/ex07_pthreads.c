/* ex07 in C: four threads compute the factorials of 1 to 10 (thread k takes
   every fourth n), and the main thread prints them in order. */
#include <pthread.h>
#include <stdio.h>

static unsigned long long results[11];

static void *work(void *arg) {
    long first = (long)arg;
    for (long n = first; n <= 10; n += 4) {
        unsigned long long product = 1;
        for (long k = 2; k <= n; k++) product *= (unsigned long long)k;
        results[n] = product;
    }
    return NULL;
}

int main(void) {
    pthread_t threads[4];
    for (long k = 0; k < 4; k++) pthread_create(&threads[k], NULL, work, (void *)(k + 1));
    for (int k = 0; k < 4; k++) pthread_join(threads[k], NULL);
    for (int n = 1; n <= 10; n++) printf("Factorial of %d is %llu\n", n, results[n]);
    return 0;
}

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void *factorial(void *arg) {
    long n = (long)arg;
    unsigned long long f = 1;
    for (long i = 2; i <= n; i++) f *= (unsigned long long)i;
    pthread_mutex_lock(&out);
    printf("Factorial of %ld is %llu\n", n, f);
    fflush(stdout);
    pthread_mutex_unlock(&out);
    return NULL;
}

int main(void) {
    pthread_t threads[10];
    for (long n = 1; n <= 10; n++) pthread_create(&threads[n - 1], NULL, factorial, (void *)n);
    for (int i = 0; i < 10; i++) pthread_join(threads[i], NULL);
    return 0;
}

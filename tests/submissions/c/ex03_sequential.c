/* ex03 in C from one process: the right lines, and no second process. */
#include <stdio.h>

static int is_prime(int n) {
    if (n < 2) return 0;
    for (int d = 2; d * d <= n; d++)
        if (n % d == 0) return 0;
    return 1;
}

int main(void) {
    const int ranges[4][2] = {{1, 1000}, {1000, 2000}, {2000, 3000}, {3000, 4000}};
    for (int i = 0; i < 4; i++) {
        printf("Primes between %d and %d: [", ranges[i][0], ranges[i][1]);
        const char *sep = "";
        for (int n = ranges[i][0]; n < ranges[i][1]; n++) {
            if (is_prime(n)) {
                printf("%s%d", sep, n);
                sep = ", ";
            }
        }
        printf("]\n");
    }
    return 0;
}

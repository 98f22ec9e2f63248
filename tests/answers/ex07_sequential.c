#include <stdio.h>

int main(void) {
    unsigned long long f = 1;
    for (int n = 1; n <= 10; n++) {
        f *= n;
        printf("%d! = %llu\n", n, f);
    }
    return 0;
}

#include <future>
#include <iostream>
#include <vector>

unsigned long long factorial(int n) {
    unsigned long long r = 1;
    for (int i = 2; i <= n; ++i) r *= i;
    return r;
}

int main() {
    std::vector<std::future<unsigned long long>> results;
    for (int n = 1; n <= 10; ++n)
        results.push_back(std::async(std::launch::async, factorial, n));
    for (int n = 1; n <= 10; ++n)
        std::cout << "factorial(" << n << ") = " << results[n - 1].get() << '\n';
}

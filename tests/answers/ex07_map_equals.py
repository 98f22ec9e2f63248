from concurrent.futures import ThreadPoolExecutor


def fact(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


numbers = list(range(1, 11))
with ThreadPoolExecutor(max_workers=3) as executor:
    for n, value in zip(numbers, executor.map(fact, numbers)):
        print(f"Factorial({n}) = {value}")

"""ex07's output from one thread: the factorials computed in a loop. Right
lines, wrong answer: the question is about a thread pool."""
import math

for n in range(1, 11):
    print(f"Factorial of {n} is {math.factorial(n)}")

"""ex07 computed by the main thread, beside a thread that only sleeps: a second
thread alive, none of the work in it."""
import math
import threading
import time

threading.Thread(target=time.sleep, args=(0.2,)).start()
for n in range(1, 11):
    print(f"Factorial of {n} is {math.factorial(n)}")

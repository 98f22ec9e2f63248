import threading
import time

numbers = []


def add():
    for i in range(1, 6):
        numbers.append(i)
        print(f"Added {i}: {numbers}")
        time.sleep(0.1)


def remove():
    for _ in range(5):
        time.sleep(0.15)
        if numbers:
            n = numbers.pop(0)
            print(f"Removed {n}: {numbers}")
        else:
            print("Nothing to remove")


t1 = threading.Thread(target=add)
t2 = threading.Thread(target=remove)
t1.start()
t2.start()
t1.join()
t2.join()
print("Final:", numbers)

"""The twin of ex04_course_shape.py: ten items, a millisecond's nap between
steps, and each print made while the lock is held."""
import threading
import time

items = []
lock = threading.Lock()


def adder():
    for n in range(10):
        with lock:
            items.append(n)
            print(f"Added {n} to the list. Current list: {items}")
        time.sleep(0.001)


def remover():
    for _ in range(10):
        with lock:
            if items:
                n = items.pop(0)
                print(f"Removed {n} from the list. Current list: {items}")
            else:
                print("List is empty, nothing to remove.")
        time.sleep(0.001)


threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

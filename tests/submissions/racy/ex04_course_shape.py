"""ex04 as the course's answers often have it: ten items, a millisecond's nap
between steps, and each thread printing the list after it has released the lock,
when the other may already have changed it."""
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
            n = items.pop(0) if items else None
        if n is None:
            print("List is empty, nothing to remove.")
        else:
            print(f"Removed {n} from the list. Current list: {items}")
        time.sleep(0.001)


threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

"""ex04 done right in Python: one thread adds, one removes, a lock guards list and print."""
import threading
import time

items = []
lock = threading.Lock()


def adder(count):
    for n in range(count):
        with lock:
            items.append(n)
            print(f"Added {n} to the list. Current list: {items}")
        time.sleep(0.002)


def remover(count):
    for _ in range(count):
        with lock:
            if items:
                n = items.pop(0)
                print(f"Removed {n} from the list. Current list: {items}")
            else:
                print("List is empty, nothing to remove.")
        time.sleep(0.003)


threads = [threading.Thread(target=adder, args=(5,)), threading.Thread(target=remover, args=(5,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

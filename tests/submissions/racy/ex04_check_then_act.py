"""ex04 whose remover checks whether the list is empty under the lock, then acts
on that answer after releasing it: by then the adder may have added an item,
and "List is empty" is said of a list that is not."""
import threading
import time

items = []
lock = threading.Lock()


def adder():
    for n in range(20):
        with lock:
            items.append(n)
            print(f"Added {n} to the list. Current list: {items}")
        time.sleep(0.001)


def remover():
    for _ in range(20):
        with lock:
            empty = not items  # the check
        if empty:  # the act, on an answer that may be stale
            print("List is empty, nothing to remove.")
        else:
            with lock:
                n = items.pop(0)
                print(f"Removed {n} from the list. Current list: {items}")
        time.sleep(0.0005)


threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

"""The twin of ex04_check_then_act.py: the check and the act under one hold of
the lock."""
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
            if not items:
                print("List is empty, nothing to remove.")
            else:
                n = items.pop(0)
                print(f"Removed {n} from the list. Current list: {items}")
        time.sleep(0.0005)


threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

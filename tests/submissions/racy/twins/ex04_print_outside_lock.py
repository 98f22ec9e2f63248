"""The twin of ex04_print_outside_lock.py: each thread prints while it holds the
lock, so the list it shows is the list its step left."""
import threading

items = []
lock = threading.Lock()


def adder(count):
    for n in range(count):
        with lock:
            items.append(n)
            print(f"Added {n} to the list. Current list: {items}")


def remover(count):
    for _ in range(count):
        with lock:
            if items:
                n = items.pop(0)
                print(f"Removed {n} from the list. Current list: {items}")
            else:
                print("List is empty, nothing to remove.")


threads = [
    threading.Thread(target=adder, args=(200,)),
    threading.Thread(target=remover, args=(200,)),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

"""ex04 with each print outside the lock: the list it shows may already have
changed. Wrong only when the other thread slips in between, which is a race."""
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
            n = items.pop(0) if items else None
        if n is None:
            print("List is empty, nothing to remove.")
        else:
            print(f"Removed {n} from the list. Current list: {items}")


threads = [
    threading.Thread(target=adder, args=(200,)),
    threading.Thread(target=remover, args=(200,)),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

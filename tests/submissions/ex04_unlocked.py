"""ex04 with the lock left out: the remover prints a list that changed meanwhile.

Two events force the interleaving a race would produce only sometimes, so this
submission is wrong on every run: the remover takes 0 and copies the list, the
adder adds 1 and prints, then the remover prints its stale copy.
"""
import threading

items = []
taken = threading.Event()
added_again = threading.Event()


def adder():
    for n in range(3):
        items.append(n)
        print(f"Added {n} to the list. Current list: {items}", flush=True)
        if n == 0:
            taken.wait(10)
    added_again.set()


def remover():
    while not items:
        pass
    n = items.pop(0)
    shown = list(items)
    taken.set()
    added_again.wait(10)
    print(f"Removed {n} from the list. Current list: {shown}", flush=True)


threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"Final list: {items}")

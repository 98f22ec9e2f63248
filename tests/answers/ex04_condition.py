import threading
import time

shared = []
cond = threading.Condition()


def producer():
    for i in range(1, 6):
        with cond:
            shared.append(i)
            print(f"Producer added {i} -> {shared}")
            cond.notify()
        time.sleep(0.05)


def consumer():
    for _ in range(5):
        with cond:
            while not shared:
                cond.wait()
            item = shared.pop(0)
            print(f"Consumer removed {item} -> {shared}")


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("Final list:", shared)

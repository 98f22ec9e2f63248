# Starts threads without end, each sleeping, and waits a moment whenever a start
# is refused.
import threading
import time

print("Start", flush=True)
while True:
    try:
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
    except RuntimeError:
        time.sleep(0.01)

# Ignores every signal it can, then sleeps.
import signal
import time

for number in range(1, signal.NSIG):
    try:
        signal.signal(number, signal.SIG_IGN)
    except (OSError, RuntimeError, ValueError):
        pass  # SIGKILL, SIGSTOP, and the numbers that are no signal
print("Start", flush=True)
time.sleep(600)

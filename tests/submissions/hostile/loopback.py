# Tries to reach a service on the grading machine's loopback, at the port given as
# its first argument, and says whether it did.
import socket
import sys

try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close()
    print("reached the service")
except OSError as error:
    print(f"unreachable: {error}")

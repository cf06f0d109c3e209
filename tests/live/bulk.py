#!/usr/bin/env python3
"""tests/live/bulk.py: a transfer of some KB on loopback for tests/live.sh:
the client sends a request, the server answers with SIZE bytes in pieces
of 1000, then both close. Without a clock: each side ends when the other
has closed.

Usage: bulk.py PORT [SIZE]
"""
import socket
import sys
import threading

port = int(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 64000
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(("127.0.0.1", port))
lst.listen(1)


def serve():
    c, _ = lst.accept()
    c.recv(100)
    left = size
    while left > 0:
        n = min(1000, left)
        c.sendall(b"x" * n)
        left -= n
    c.close()


t = threading.Thread(target=serve)
t.start()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET\n")
got = 0
while True:
    b = s.recv(65536)
    if not b:
        break
    got += len(b)
s.close()
t.join()
lst.close()
sys.exit(0 if got == size else 1)

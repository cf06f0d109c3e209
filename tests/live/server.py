#!/usr/bin/env python3
"""tests/live/server.py: a server for tests/live.sh, outside the followed
command: answers each connection on 127.0.0.1:PORT with one line and
closes, until it is killed. Writes READY once it listens.

Usage: server.py PORT READY
"""
import socket
import sys

port, ready = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
open(ready, "w").close()
while True:
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
    c.close()

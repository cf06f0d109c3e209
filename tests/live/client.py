#!/usr/bin/env python3
"""tests/live/client.py: the command of `tcptutor live -- COMMAND` in
tests/live.sh. Waits until the file GO exists (so that the test decides
when it connects, never a clock), then connects to 127.0.0.1:PORT, sends a
line, reads the answer to EOF and closes.

Usage: client.py GO PORT
"""
import os
import socket
import sys
import time

go, port = sys.argv[1], int(sys.argv[2])
while not os.path.exists(go):
    time.sleep(0.05)
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"GET / HTTP/1.0\r\n\r\n")
while c.recv(4096):
    pass
c.close()

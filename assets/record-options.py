#!/usr/bin/env python3
# assets/record-options.py: the conversation of assets/05-options.pcap.
# The server listens on 127.0.0.1:8000; the client, bound to port 40000,
# sends 1 MB with one sendall(), half-closes, reads the server's "ok" and
# closes. The server reads until end of file, answers "ok" and closes.
# Ordinary sockets, no options set: the kernel picks MSS, window scale,
# SACK-permitted and timestamps itself.
import socket
import threading

PORT = 8000
DATA = b"x" * (1 << 20)


def serve(ls, done):
    conn, _ = ls.accept()
    got = 0
    while True:
        b = conn.recv(1 << 16)
        if not b:
            break
        got += len(b)
    conn.sendall(b"ok")
    conn.close()
    done.append(got)


ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", PORT))
ls.listen(1)
done = []
t = threading.Thread(target=serve, args=(ls, done))
t.start()
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
c.bind(("127.0.0.1", 40000))
c.connect(("127.0.0.1", PORT))
c.sendall(DATA)
c.shutdown(socket.SHUT_WR)
reply = b""
while True:
    b = c.recv(100)
    if not b:
        break
    reply += b
c.close()
t.join()
ls.close()
if reply != b"ok" or done != [len(DATA)]:
    raise SystemExit("conversation failed: %r %r" % (reply, done))

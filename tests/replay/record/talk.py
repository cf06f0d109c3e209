#!/usr/bin/env python3
"""tests/replay/record/talk.py: small TCP conversations over loopback, for
recording real captures of the kernel's TCP (see record.sh).

Usage: talk.py SCENARIO PORT
Each scenario runs a server and a client in this process and exits when both
sockets are closed. After it, record.sh asks the kernel (ss) what became of
the two endpoints, so the tests can check the inferred final states.
"""
import socket
import struct
import sys
import threading
import time

HOST4, HOST6 = "127.0.0.1", "::1"


def listener(port, family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST6 if family == socket.AF_INET6 else HOST4, port))
    s.listen(4)
    return s


def serve(lst, handler):
    def run():
        c, _ = lst.accept()
        handler(c)
        lst.close()
    t = threading.Thread(target=run)
    t.start()
    return t


def connect(port, family=socket.AF_INET, bind_port=None):
    c = socket.socket(family, socket.SOCK_STREAM)
    if bind_port:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((HOST6 if family == socket.AF_INET6 else HOST4, bind_port))
    c.connect((HOST6 if family == socket.AF_INET6 else HOST4, port))
    return c


def read_all(s):
    data = b""
    while True:
        b = s.recv(4096)
        if not b:
            return data
        data += b


def normal(port, family=socket.AF_INET):
    """Client sends a request, server answers; the client closes first."""
    def srv(c):
        c.recv(100)
        c.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
        read_all(c)             # the client's FIN
        c.close()
    t = serve(listener(port, family), srv)
    c = connect(port, family)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    c.recv(100)
    time.sleep(0.05)
    c.close()
    t.join()


def normal6(port):
    normal(port, socket.AF_INET6)


def burst(port):
    """Six short conversations at once, each a request and a 16 KiB answer,
    the server closing: some sixty segments within a few milliseconds."""
    lst = listener(port)
    lst.listen(8)
    clients = [connect(port) for _ in range(6)]
    for c in clients:
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    for _ in clients:
        s, _ = lst.accept()
        s.recv(100)
        s.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + b"x" * 16384)
        s.close()
    for c in clients:
        read_all(c)
        c.close()
    lst.close()


def server_close(port):
    """The server answers and closes first; the client closes after EOF."""
    def srv(c):
        c.recv(100)
        c.sendall(b"bye\n")
        c.close()
    t = serve(listener(port), srv)
    c = connect(port)
    c.sendall(b"hi\n")
    read_all(c)
    time.sleep(0.05)
    c.close()
    t.join()


def refused(port):
    """Nobody listens: the SYN is answered by a RST."""
    c = socket.socket()
    try:
        c.connect((HOST4, port))
    except ConnectionRefusedError:
        pass
    c.close()


def abort(port):
    """The client aborts with SO_LINGER 0: close() sends a RST."""
    done = threading.Event()

    def srv(c):
        c.recv(100)
        c.sendall(b"data\n")
        done.wait()
        try:
            read_all(c)
        except ConnectionResetError:
            pass
        c.close()
    t = serve(listener(port), srv)
    c = connect(port)
    c.sendall(b"hi\n")
    c.recv(100)
    time.sleep(0.05)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    done.set()
    t.join()


def half_close(port):
    """The client shuts down its sending side; the server keeps sending,
    then closes."""
    def srv(c):
        req = read_all(c)       # up to the client's FIN
        for i in range(3):
            c.sendall(b"line %d after your FIN (%d bytes)\n" % (i, len(req)))
            time.sleep(0.02)
        c.close()
    t = serve(listener(port), srv)
    c = connect(port)
    c.sendall(b"all of my request\n")
    c.shutdown(socket.SHUT_WR)
    read_all(c)
    c.close()
    t.join()


def keepalive(port):
    """Keep-alive probes after one second idle, answered by the peer."""
    def srv(c):
        c.recv(100)
        read_all(c)
        c.close()
    t = serve(listener(port), srv)
    c = connect(port)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.sendall(b"hi\n")
    time.sleep(3.5)
    c.close()
    t.join()


def reuse(port):
    """Two connections in a row from the same client port (the server closes
    first, so the port is free again): two streams. Now and then the second
    SYN meets the server's TIME-WAIT, which answers with an ACK, takes the
    client's RST and lets the SYN sent again a second later through: then
    exit status 3 asks record.sh to record it again."""
    cport = port + 1
    clash = False
    for i in range(2):
        def srv(c):
            c.recv(100)
            c.close()
        t = serve(listener(port), srv)
        t0 = time.monotonic()
        c = connect(port, bind_port=cport)
        if i == 1 and time.monotonic() - t0 > 0.5:
            clash = True
        c.sendall(b"hi\n")
        read_all(c)
        c.close()
        t.join()
        time.sleep(0.05)
    if clash:
        sys.exit(3)


def cross_connect(port):
    """Two sockets bound to PORT and PORT+1 connect to each other at the
    same moment, nobody listening: when their SYNs cross (RFC 9293 Figure 7)
    both connect() calls succeed. When they do not cross, the first SYN is
    refused: exit status 3 asks record.sh to try again."""
    socks = []
    for p in (port, port + 1):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((HOST4, p))
        socks.append(s)
    start = threading.Barrier(2)
    ok = [False, False]

    def go(i):
        start.wait()
        try:
            socks[i].connect((HOST4, port + 1 - i))
            ok[i] = True
        except OSError:
            pass
    ts = [threading.Thread(target=go, args=(i,)) for i in (0, 1)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if not all(ok):
        for s in socks:
            s.close()
        sys.exit(3)
    return socks


def simultaneous_open(port):
    """SYNs crossed (cross_connect), then one side closes first."""
    socks = cross_connect(port)
    time.sleep(0.05)
    for s in socks:
        s.close()


def time_wait_pairs():
    """(local port, remote port) of this host's IPv4 sockets in TIME-WAIT."""
    pairs = set()
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fs = line.split()
            if fs[3] == "06":
                pairs.add((int(fs[1].rsplit(":", 1)[1], 16), int(fs[2].rsplit(":", 1)[1], 16)))
    return pairs


def close_at_once(socks):
    """Both ends shutdown(SHUT_WR) at the same moment, released from a
    barrier in two threads, then read to EOF and close. The FINs crossed
    (RFC 9293 Figure 13: each FIN left before the other's arrived, so its ack
    does not cover the other's FIN) exactly when both ends went through
    CLOSING and ended in TIME-WAIT; an end whose FIN came after the other's
    went through CLOSE-WAIT and LAST-ACK to CLOSED. When they did not cross,
    exit status 3 asks record.sh to try again."""
    a, b = socks[0].getsockname()[1], socks[1].getsockname()[1]
    time.sleep(0.05)
    start = threading.Barrier(2)

    def go(s):
        start.wait()
        s.shutdown(socket.SHUT_WR)
        read_all(s)
        s.close()
    ts = [threading.Thread(target=go, args=(s,)) for s in socks]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    tw = time_wait_pairs()
    if (a, b) not in tw or (b, a) not in tw:
        sys.exit(3)


def simultaneous_close(port):
    """A client connects to a server, then both close at once
    (close_at_once)."""
    lst = listener(port)
    c = connect(port)
    s, _ = lst.accept()
    lst.close()
    close_at_once([c, s])


def simultaneous_both(port):
    """SYNs crossed (cross_connect), then FINs crossed (close_at_once)."""
    close_at_once(cross_connect(port))


SCENARIOS = {f.__name__: f for f in (normal, normal6, burst, server_close, refused, abort,
                                     half_close, keepalive, reuse, simultaneous_open,
                                     simultaneous_close, simultaneous_both)}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](int(sys.argv[2]))

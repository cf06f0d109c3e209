#!/usr/bin/env python3
"""tests/replay/wire.py: records real Linux TCP conversations over a faulty
wire, for the notes of the replay table (developer tool; needs root, tun,
ip and tcpdump; the tests only read the recordings).

Two private network namespaces, each with a tun device: the client's
(10.77.0.1) and the server's (10.77.0.2).  This process relays the IP
packets between the two tun devices, and per scenario delays, drops,
duplicates or holds back chosen segments, the way a real path loses and
reorders them; tcpdump records on the client's device.  So the client's own
segments are all in the capture (a segment lost later shows as its
retransmission), and a segment from the server lost on the way is never
captured (previous segment not captured), as at a real client.

Usage: wire.py DIR [SCENARIO...]      records DIR/wire-SCENARIO.pcap
       wire.py --list
Scenarios: see SCENARIOS below (WIRE_SEED=N picks random's seed, 1 by
default).  The probes scenario also writes four segments of its own in the
server's name (one-byte keep-alives and zero window probes, which Linux never
sends); everything else on the wire comes from the two kernels.  Nothing
outside the two namespaces (named ttwire-a-PID and ttwire-b-PID, removed at
the end) is touched.  wire-probes-server.pcap in tests/replay/good is
wire-probes.pcap's server half: tshark -r wire-probes.pcap -Y
ip.src==10.77.0.2 -F pcap -w wire-probes-server.pcap
"""
import fcntl
import heapq
import os
import random
import select
import socket
import struct
import subprocess
import sys
import threading
import time

A_ADDR, B_ADDR, PORT = "10.77.0.1", "10.77.0.2", 5000
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000


# ---- the two ends, run inside their namespaces (--role) -------------------

def listener(rcvbuf=None):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((B_ADDR, PORT))
    s.listen(1)
    print("ready", flush=True)
    c, _ = s.accept()
    s.close()
    return c


def connect():
    c = socket.socket()
    c.settimeout(30)
    c.connect((B_ADDR, PORT))
    return c


def read_all(s, chunk=65536, pause=0.0):
    n = 0
    while True:
        b = s.recv(chunk)
        if not b:
            return n
        n += len(b)
        if pause:
            time.sleep(pause)


def keepalive(s, idle, intvl=1, cnt=5):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)


def upload(size):
    """client sends SIZE bytes and closes; the server reads them, answers, closes"""
    def server():
        c = listener()
        read_all(c)
        c.sendall(b"ok\n")
        c.close()

    def client():
        c = connect()
        c.sendall(b"x" * size)
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()
    return server, client


def download(size):
    """client asks, the server sends SIZE bytes and closes, then the client"""
    def server():
        c = listener()
        c.recv(100)
        c.sendall(b"y" * size)
        c.close()

    def client():
        c = connect()
        c.sendall(b"GET\n")
        read_all(c)
        c.close()
    return server, client


def zero_window_ends():
    """a server that does not read fills its small window; then it reads slowly"""
    def server():
        c = listener(rcvbuf=2048)
        time.sleep(2.5)
        read_all(c, 1024, 0.02)
        c.close()

    def client():
        c = connect()
        c.sendall(b"z" * 60000)
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()
    return server, client


def keepalive_ends():
    """both ends keep-alive an idle connection; then the client closes"""
    def server():
        c = listener()
        keepalive(c, 2)
        c.recv(100)
        c.sendall(b"hi\n")
        read_all(c)
        c.close()

    def client():
        c = connect()
        keepalive(c, 1)
        c.sendall(b"hello\n")
        c.recv(100)
        time.sleep(4.6)
        c.close()
    return server, client


def both_ends():
    """both ends send 30000 bytes at once, then close"""
    def go(c):
        c.setblocking(True)
        t = threading.Thread(target=lambda: c.sendall(b"b" * 30000))
        t.start()
        n = 0
        while n < 30000:
            b = c.recv(65536)
            if not b:
                break
            n += len(b)
        t.join()
        c.close()

    def server():
        go(listener())

    def client():
        go(connect())
    return server, client


def dead_ends():
    """the client keeps an idle connection alive until it gives up"""
    def server():
        c = listener()
        c.recv(100)
        c.sendall(b"hi\n")
        time.sleep(6)
        c.close()

    def client():
        c = connect()
        keepalive(c, 1, 1, 3)
        c.sendall(b"hello\n")
        c.recv(100)
        try:
            c.recv(100)
        except OSError:
            pass
        c.close()
    return server, client


# ---- the wire ---------------------------------------------------------------

class Seg:
    """the TCP header fields a rule looks at (IPv4 only)"""
    def __init__(self, pkt):
        ihl = (pkt[0] & 15) * 4
        self.ok = len(pkt) >= ihl + 20 and pkt[0] >> 4 == 4 and pkt[9] == 6
        if not self.ok:
            return
        tot = struct.unpack("!H", pkt[2:4])[0]
        off = (pkt[ihl + 12] >> 4) * 4
        self.seq, self.ack = struct.unpack("!II", pkt[ihl + 4:ihl + 12])
        self.sport, self.dport = struct.unpack("!HH", pkt[ihl:ihl + 4])
        self.flags = pkt[ihl + 13]
        self.win = struct.unpack("!H", pkt[ihl + 14:ihl + 16])[0]
        self.len = tot - ihl - off
        self.syn, self.fin = bool(self.flags & 2), bool(self.flags & 1)


class Wire:
    """passes everything after `delay` seconds; subclasses pick segments"""
    delay = 0.002

    def __init__(self):
        self.data = {"AB": 0, "BA": 0}      # data segments seen per direction
        self.pure = {"AB": 0, "BA": 0}      # segments without data, SYN or FIN
        self.syns = {"AB": 0, "BA": 0}

    def count(self, d, s):
        if s.syn:
            self.syns[d] += 1
        elif s.len:
            self.data[d] += 1
        elif not s.fin:
            self.pure[d] += 1

    def rule(self, d, s):
        """-> list of extra delays (seconds) at which to deliver this packet"""
        return [0.0]

    def tick(self, now):
        """-> packets to put on the wire now, as (direction, bytes)"""
        return []


class Plain(Wire):
    pass


class DropData(Wire):
    """drops the n-th data segments (n one number or several) of one
    direction, the first `times` times each passes"""
    def __init__(self, d, n, times=1, delay=0.005):
        super().__init__()
        self.d, self.delay = d, delay
        self.want = {n: times} if isinstance(n, int) else dict.fromkeys(n, times)
        self.left = {}                      # seq -> drops left

    def rule(self, d, s):
        if d == self.d and s.len:
            if self.data[d] in self.want:
                self.left.setdefault(s.seq, self.want.pop(self.data[d]))
            if self.left.get(s.seq, 0) > 0:
                self.left[s.seq] -= 1
                return []
        return [0.0]


class DropFin(Wire):
    """drops the first FIN of one direction"""
    def __init__(self, d):
        super().__init__()
        self.d, self.done = d, False

    def rule(self, d, s):
        if d == self.d and s.fin and not self.done:
            self.done = True
            return []
        return [0.0]


class Cut(Wire):
    """passes nothing from one direction after its n-th segment without data"""
    def __init__(self, d, n):
        super().__init__()
        self.d, self.n = d, n

    def rule(self, d, s):
        return [] if d == self.d and self.pure[d] >= self.n else [0.0]


class HoldData(Wire):
    """holds the n-th data segment of one direction back by `extra` seconds"""
    def __init__(self, d, n, extra, delay=0.02):
        super().__init__()
        self.d, self.n, self.extra, self.delay = d, n, extra, delay

    def rule(self, d, s):
        if d == self.d and s.len and self.data[d] == self.n:
            return [self.extra]
        return [0.0]


class DupData(Wire):
    """delivers the n-th data segment of one direction twice, the copy `extra` later"""
    def __init__(self, d, n, extra, delay=0.005):
        super().__init__()
        self.d, self.n, self.extra, self.delay = d, n, extra, delay

    def rule(self, d, s):
        if d == self.d and s.len and self.data[d] == self.n:
            return [0.0, self.extra]
        return [0.0]


class DropSynAck(Wire):
    """drops the server's first SYN,ACK"""
    def rule(self, d, s):
        if d == "BA" and s.syn and self.syns[d] == 1:
            return []
        return [0.0]


class DropPure(Wire):
    """drops the n-th segment without data of one direction"""
    def __init__(self, d, n):
        super().__init__()
        self.d, self.n = d, n

    def rule(self, d, s):
        if d == self.d and not (s.len or s.syn or s.fin) and self.pure[d] == self.n:
            return []
        return [0.0]


class Both(Wire):
    """drops the third data segment each way"""
    def __init__(self):
        super().__init__()
        self.a, self.b = DropData("AB", 3), DropData("BA", 3)
        self.a.data = self.b.data = self.data
        self.delay = self.a.delay

    def rule(self, d, s):
        return (self.a if d == "AB" else self.b).rule(d, s)


class Random(Wire):
    """drops, holds back or doubles segments at random (seeded), both ways"""
    def __init__(self, seed=1, delay=0.004):
        super().__init__()
        self.rng, self.delay = random.Random(seed), delay

    def rule(self, d, s):
        r = self.rng.random()
        if s.syn:
            return [0.0]
        if r < 0.04:
            return []
        if r < 0.07:
            return [self.rng.uniform(0.0001, 0.006)]
        if r < 0.09:
            return [0.0, self.rng.uniform(0.0, 0.03)]
        return [0.0]


def csum(b):
    if len(b) % 2:
        b += b"\0"
    n = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while n >> 16:
        n = (n & 0xffff) + (n >> 16)
    return ~n & 0xffff


def segment(src, dst, sport, dport, seq, ack, win, data, flags=0x18):
    """an IPv4 TCP segment without options, checksums filled in"""
    s4, d4 = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, win, 0, 0) + data
    c = csum(s4 + d4 + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0x4242, 0x4000, 64, 6, 0, s4, d4)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


class Probes(Wire):
    """puts two kinds of one-byte segments from the server on the wire, as
    other stacks send them (Linux never does): while the connection idles,
    two keep-alives carrying the last byte sent again (seq = next - 1); when
    the client's window is closed, two zero window probes (the next byte)"""
    def __init__(self):
        super().__init__()
        self.bnext = self.back = self.bwin = self.cport = None
        self.awin, self.last, self.sent, self.ka, self.zwp = None, time.time(), 0.0, 0, 0
        self.last_byte = b"?"

    def rule(self, d, s):
        self.last = time.time()
        if d == "AB":
            self.cport, self.awin = s.sport, s.win
        else:
            end = s.seq + s.len + (s.syn or s.fin)
            if self.bnext is None or (end - self.bnext) % 2**32 < 2**31:
                self.bnext = end % 2**32
            self.back, self.bwin = s.ack, s.win
        return [0.0]

    def tick(self, now):
        if self.bnext is None or self.cport is None or self.data["BA"] == 0:
            return []
        seg = None
        if self.ka < 2 and self.data["BA"] == 1 and now - self.last > 0.4 and now - self.sent > 0.4:
            self.ka += 1
            seg = ((self.bnext - 1) % 2**32, b"o")
        elif self.zwp < 2 and self.awin == 0 and now - self.last > 0.1 and now - self.sent > 0.3:
            self.zwp += 1
            seg = (self.bnext, b"Z")
        if seg is None:
            return []
        self.sent = now
        return [("BA", segment(B_ADDR, A_ADDR, PORT, self.cport, seg[0], self.back,
                               self.bwin, seg[1]))]


def probes_ends():
    """the server says hello and idles; then sends more than the client,
    which does not read for a while, can take; then closes"""
    def server():
        c = listener()
        c.recv(100)
        c.sendall(b"hello")
        time.sleep(1.6)
        c.sendall(b"w" * 40000)
        c.close()

    def client():
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        c.settimeout(30)
        c.connect((B_ADDR, PORT))
        c.sendall(b"GET\n")
        c.recv(5)
        time.sleep(3.2)
        read_all(c, 1024, 0.01)
        c.close()
    return server, client


SCENARIOS = {
    # client data lost after the capture: its retransmission, the server's dup ACKs
    "loss-tx": (lambda: DropData("AB", 6), lambda: upload(40000)),
    # server data lost before the capture: not captured, dup ACKs, fast retransmission
    "loss-rx": (lambda: DropData("BA", 6), lambda: download(40000)),
    # the last client segment lost twice: retransmissions on timeout
    "rto": (lambda: DropData("AB", 3, times=2), lambda: upload(3000)),
    # a server segment overtaken by the ones after it: out of order
    "reorder": (lambda: HoldData("BA", 6, 0.003), lambda: download(40000)),
    # a server segment delivered twice: a spurious retransmission, a D-SACK dup ACK
    "dup": (lambda: DupData("BA", 4, 0.03), lambda: download(20000)),
    # the SYN,ACK lost: SYN and SYN,ACK retransmitted
    "syn": (DropSynAck, lambda: download(2000)),
    # a full receive buffer: zero windows, window probes, window updates
    "zero-window": (Plain, zero_window_ends),
    # keep-alives both ways, one of their ACKs lost
    "keepalive": (lambda: DropPure("BA", 3), keepalive_ends),
    # four server segments in a row lost: SACK recovery
    "burst": (lambda: DropData("BA", (5, 6, 7, 8)), lambda: download(60000)),
    # a server segment a little late, too little for a fast retransmission
    "late": (lambda: HoldData("BA", 5, 0.0002, delay=0.01), lambda: download(20000)),
    # both send at once, a segment lost each way
    "both": (Both, both_ends),
    # the client's FIN lost: the FIN again
    "fin": (lambda: DropFin("AB"), lambda: upload(3000)),
    # one-byte keep-alives and zero window probes, as other stacks send them
    "probes": (Probes, probes_ends),
    # a bad path both ways: random losses, late and doubled segments
    "random": (lambda: Random(int(os.environ.get("WIRE_SEED", "1"))), both_ends),
    # the server falls silent: keep-alives unanswered, then the client resets
    "dead": (lambda: Cut("BA", 2), dead_ends),
}


def role(which, name):
    server, client = SCENARIOS[name][1]()
    (server if which == "server" else client)()


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def sh(*cmd):
    subprocess.run(cmd, check=True)


def record(out, name):
    wire = SCENARIOS[name][0]()
    pid = os.getpid()
    na, nb = "ttwire-a-%d" % pid, "ttwire-b-%d" % pid
    ta, tb = "twa%d" % pid, "twb%d" % pid
    procs = []
    sh("ip", "netns", "add", na)
    sh("ip", "netns", "add", nb)
    try:
        fa, fb = tun(ta), tun(tb)
        for ns, dev, addr in ((na, ta, A_ADDR), (nb, tb, B_ADDR)):
            sh("ip", "link", "set", dev, "netns", ns)
            sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        log = open(out + ".log", "w+")
        dump = subprocess.Popen(["ip", "netns", "exec", na, "tcpdump", "-i", ta, "-n", "-U",
                                 "--immediate-mode", "-s", "96", "-w", out, "tcp"],
                                stderr=log)
        procs.append(dump)
        for _ in range(100):
            log.seek(0)
            if "listening" in log.read():
                break
            time.sleep(0.1)
        me = os.path.abspath(__file__)
        srv = subprocess.Popen(["ip", "netns", "exec", nb, sys.executable, me, "--role",
                                "server", name], stdout=subprocess.PIPE, text=True)
        procs.append(srv)
        srv.stdout.readline()
        cli = subprocess.Popen(["ip", "netns", "exec", na, sys.executable, me, "--role",
                                "client", name])
        procs.append(cli)
        queue, n, end = [], 0, None
        limit = time.time() + 30
        while time.time() < limit:
            if end is None and cli.poll() is not None and srv.poll() is not None:
                end = time.time() + 0.5
            if end is not None and time.time() > end and not queue:
                break
            now = time.time()
            while queue and queue[0][0] <= now:
                _, _, fd, pkt = heapq.heappop(queue)
                os.write(fd, pkt)
            for d, pkt in wire.tick(now):
                n += 1
                heapq.heappush(queue, (now, n, fa if d == "BA" else fb, pkt))
            wait = min(0.05, max(0.0, queue[0][0] - now)) if queue else 0.05
            r, _, _ = select.select([fa, fb], [], [], wait)
            for fd in r:
                pkt = os.read(fd, 65536)
                d, to = ("AB", fb) if fd == fa else ("BA", fa)
                s = Seg(pkt)
                extra = [0.0]
                if s.ok:
                    wire.count(d, s)
                    extra = wire.rule(d, s)
                for x in extra:
                    n += 1
                    heapq.heappush(queue, (time.time() + wire.delay + x, n, to, pkt))
        rc = (cli.poll(), srv.poll())
        if rc != (0, 0):
            raise SystemExit("%s: client/server exit %s" % (name, rc))
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait()
        subprocess.run(["ip", "netns", "del", na])
        subprocess.run(["ip", "netns", "del", nb])
        if os.path.exists(out + ".log"):
            os.unlink(out + ".log")


def main(argv):
    if argv[:1] == ["--role"]:
        role(argv[1], argv[2])
        return 0
    if argv[:1] == ["--list"]:
        for k in SCENARIOS:
            print(k)
        return 0
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[0]
    for name in argv[1:] or list(SCENARIOS):
        record(os.path.join(out, "wire-%s.pcap" % name), name)
        print("recorded", os.path.join(out, "wire-%s.pcap" % name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

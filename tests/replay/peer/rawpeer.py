# A scripted TCP peer at 192.0.2.1 (no such local address: the kernel's
# answers to it are captured on lo and dropped, never reset by a local stack).
import socket, struct, time, select
SRC, DST = '192.0.2.1', '127.0.0.1'
F = dict(F=1, S=2, R=4, P=8, A=16, U=32)
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
class Peer:
    def __init__(s, sport, dport):
        s.sport, s.dport = sport, dport
        s.tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
        s.rx.bind(('lo', 0x0800))
    def send(s, flags, seq, ack=0, data=b'', win=65535, opts=b'', up=0):
        fl = sum(F[c] for c in flags)
        off = (20 + len(opts)) // 4
        tcp = struct.pack('!HHIIBBHHH', s.sport, s.dport, seq & 0xffffffff, ack & 0xffffffff, off << 4, fl, win, 0, up) + opts
        ph = socket.inet_aton(SRC) + socket.inet_aton(DST) + struct.pack('!BBH', 0, 6, len(tcp) + len(data))
        c = csum(ph + tcp + data)
        tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp) + len(data), 0, 0, 64, 6, 0, socket.inet_aton(SRC), socket.inet_aton(DST))
        s.tx.sendto(ip + tcp + data, (DST, 0))
    def recv(s, timeout=0.3):
        """segments the kernel sent to the peer within timeout"""
        out = []; end = time.time() + timeout
        while True:
            r, _, _ = select.select([s.rx], [], [], max(0, end - time.time()))
            if not r: return out
            p, addr = s.rx.recvfrom(70000)
            if addr[2] == socket.PACKET_OUTGOING: pass
            ihl = (p[0] & 15) * 4
            if p[9] != 6 or socket.inet_ntoa(p[16:20]) != SRC: continue
            sp, dp, seq, ack, off, fl, win = struct.unpack('!HHIIBBH', p[ihl:ihl+16])
            if dp != s.sport or sp != s.dport: continue
            dl = len(p) - ihl - (off >> 4) * 4
            fs = ''.join(c for c, b in F.items() if fl & b)
            out.append((fs, seq, ack, dl, win))

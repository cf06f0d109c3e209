# ESTABLISHED probes against a Linux server (accepted socket), one connection each
import socket, time, sys
sys.path.insert(0, '.'); from rawpeer import Peer
MSS = b'\x02\x04\x05\xb4'
def conn(port):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', port)); l.listen(4)
    p = Peer(port + 1, port)
    p.send('S', 1000, opts=MSS); sa = p.recv()[0]; iss = sa[1]
    p.send('A', 1001, iss + 1); s, _ = l.accept(); l.close(); time.sleep(0.05)
    return p, s, iss
def show(what, p, t=0.3): print('%-40s -> %s' % (what, p.recv(t)))
case = sys.argv[1]
if case == 'syn_est':
    p, s, iss = conn(47310)
    p.send('S', 1000, opts=MSS); show('SYN (same ISN) in ESTABLISHED', p)
    time.sleep(0.6); p.send('S', 5000, opts=MSS); show('SYN (new ISN) in ESTABLISHED', p)
    s.close(); show('close', p); p.send('A', 1001, iss + 2); p.send('FA', 1001, iss + 2); show('FIN', p)
if case == 'rst_inwin':
    p, s, iss = conn(47312)
    p.send('R', 1101); show('RST seq=RCV.NXT+100', p)
    p.send('R', 1001); show('RST seq=RCV.NXT', p)
    try: print(s.recv(10))
    except Exception as e: print('server:', e)
if case == 'ack_unsent':
    p, s, iss = conn(47314)
    p.send('A', 1001, iss + 1000); show('ACK of unsent data', p)
    p.send('PA', 1001, iss + 1000, b'hello'); show('data with ACK of unsent', p)
    p.send('PA', 1001, iss + 1, b'hello'); show('data, good ACK', p)
    s.close(); show('close', p)
if case == 'fw1_data':
    # server close(): FIN-WAIT-1; the peer sends data without acking the FIN
    p, s, iss = conn(47316)
    s.close(); show('server close()', p)
    p.send('PA', 1001, iss + 1, b'data'); show('data in FIN-WAIT-1 (closed)', p)
if case == 'fw2_shut':
    # server shutdown(SHUT_WR): FIN-WAIT-2 still reads
    p, s, iss = conn(47318)
    s.shutdown(socket.SHUT_WR); show('server shutdown', p)
    p.send('A', 1001, iss + 2); show('ACK of FIN', p)
    p.send('PA', 1001, iss + 2, b'data'); show('data in FIN-WAIT-2', p)
    print('server reads', s.recv(10))
    p.send('FA', 1005, iss + 2); show('FIN', p)
if case == 'ooo_fin':
    p, s, iss = conn(47320)
    p.send('FA', 1006, iss + 1); show('FIN beyond a hole', p)
    p.send('PA', 1001, iss + 1, b'abcde'); show('fill the hole', p)
    print('server reads', s.recv(10), s.recv(10))
    s.close(); show('close', p)
    p.send('A', 1007, iss + 2); show('ACK of FIN', p)
if case == 'old_ack':
    p, s, iss = conn(47322)
    s.sendall(b'x' * 3000); show('server sends 3000', p)
    p.send('A', 1001, iss + 3001, win=1000); show('ACK all', p)
    p.send('A', 1001, iss + 1 - 200000); show('ACK far below SND.UNA', p)
    p.send('PA', 1001, iss + 1 - 200000, b'zz'); show('data, ACK far below', p)
if case == 'tw_syn':
    # the server closes first and ends in TIME-WAIT; then SYNs with lower / higher ISN
    p, s, iss = conn(47324)
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 47324)); l.listen(4)
    s.close(); show('server close()', p)
    p.send('FA', 1001, iss + 2); show('ACK+FIN', p)
    p.send('S', 900, opts=MSS); show('SYN lower ISN in TIME-WAIT', p)
    p.send('R', 1002); show('RST seq=RCV.NXT in TIME-WAIT', p)
    p.send('S', 900, opts=MSS); show('SYN lower ISN after RST', p)

# E1: retransmitted SYN reaches a listener's SYN-RECEIVED child: what does Linux answer?
import socket, time, sys
sys.path.insert(0, '.'); from rawpeer import Peer
MSS = b'\x02\x04\x05\xb4'
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 47300)); l.listen(4)
p = Peer(47301, 47300)
p.send('S', 1000, opts=MSS); print('SYN ->', p.recv())
time.sleep(0.2)
p.send('S', 1000, opts=MSS); print('SYN again ->', p.recv())
p.send('A', 1001, 0x1234); print('bad ACK ->', p.recv())
time.sleep(1.2); print('later', p.recv(0.1))

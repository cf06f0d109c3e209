#!/bin/sh
# assets/record-options.sh: records assets/05-options.pcap (needs root,
# ip, iptables, tcpdump and python3). The conversation of
# record-options.py runs in a network namespace of its own, so that the
# one loss below touches nobody else's loopback traffic. An iptables rule
# drops the DROP_NTH-th (counted from 0, default 5) full-sized segment
# going to the server's port on input: tcpdump has seen it leave the
# client, the server's TCP never gets it, as if a link had lost it. The
# kernel recovers it with SACK. Everything else, the options of the SYNs
# above all, is what the kernel chose by itself.
# Usage: record-options.sh OUT.pcap
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
ns=tcptutor-rec-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
run() { ip netns exec "$ns" "$@"; }
run ip link set lo up
run iptables -A INPUT -i lo -p tcp --dport 8000 -m length --length 60000:65535 \
	-m statistic --mode nth --every 100000 --packet "${DROP_NTH:-5}" -j DROP
log=$(mktemp)
run tcpdump -i lo --immediate-mode -U -s 256 -w "$out" "tcp port 8000" 2>"$log" &
pid=$!
until grep -q listening "$log"; do sleep 0.1; done
st=0
run python3 "$here/record-options.py" || st=$?
# tcpdump writes each packet at once (-U); give it a moment, then stop it
sleep 1
kill "$pid"
wait "$pid" || true
rm -f "$log"
[ $st -eq 0 ] || { echo "record-options.py failed ($st)" >&2; exit 1; }
run iptables -L INPUT -v -n >&2

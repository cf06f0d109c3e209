#!/bin/sh
# tests/replay/record/record.sh: records the loopback conversations of
# talk.py with tcpdump (needs root) into DIR/NAME.pcap, and what the kernel
# says became of both endpoints afterwards into DIR/NAME.kernel
# ("client STATE" / "server STATE", CLOSED when the kernel has no socket).
# Usage: record.sh DIR [SCENARIO[@any][@nano]...]
#   @any: capture on the "any" device (Linux cooked SLL2 headers)
#   @nano: nanosecond time stamps
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift
[ $# -gt 0 ] || set -- normal server_close refused abort half_close keepalive normal6 reuse \
	simultaneous_open simultaneous_close simultaneous_both normal@any@nano normal@nano
base=${RECORD_PORT:-20000}
# Waits until tcpdump has written what it will (the file has stopped
# growing for a while; on a busy machine that takes longer than on an idle
# one, so no fixed pause): stopping it earlier loses the last packets.
settle() {
	last=-1
	same=0
	n=0
	while [ $same -lt 3 ] && [ $n -lt 100 ]; do
		size=$(wc -c <"$1" 2>/dev/null || echo 0)
		if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; last=$size; fi
		sleep 0.15
		n=$((n + 1))
	done
}
for spec in "$@"; do
	sc=${spec%%@*}
	# 46 ports a scenario (20 tries of 2 ports each, and PORT+1): the 13
	# scenarios above stay below RECORD_PORT + 640, clear of the next run's
	# (tests/replay-lo.sh takes RECORD_PORT 600 apart)
	base=$((base + 46))
	dev=lo
	opts=
	case $spec in *@any*) dev=any ;; esac
	case $spec in *@nano*) opts=--time-stamp-precision=nano ;; esac
	out=$dir/lo-$(echo "$spec" | tr _@ --).pcap
	log=$(mktemp)
	# talk.py exits 3 when the kernel's timing did not give the scenario
	# (SYNs or FINs that did not cross, a reused port's SYN that met the
	# old TIME-WAIT): record it again
	try=0
	while :; do
		try=$((try + 1))
		# a fresh port for each try, so that no socket of an earlier try
		# is taken for this one's
		port=$((base + try * 2))
		# --immediate-mode -U: hand over and write each packet at once, so
		# stopping tcpdump loses nothing
		tcpdump -i $dev $opts --immediate-mode -U -s 256 -w "$out" "tcp port $port" 2>"$log" &
		pid=$!
		i=0
		until grep -q listening "$log"; do
			i=$((i + 1))
			[ $i -lt 100 ] || { echo "tcpdump did not start" >&2; cat "$log" >&2; exit 1; }
			sleep 0.1
		done
		st=0
		python3 "$here/talk.py" "$sc" "$port" || st=$?
		settle "$out"
		[ $st -eq 3 ] && [ $try -lt 20 ] || break
		kill "$pid"
		wait "$pid" || true
	done
	# crossed FINs are up to the kernel's timing (about 2 tries in 3 here):
	# rather no recording than one of FINs that did not cross
	case $st.$sc in 3.simultaneous_close | 3.simultaneous_both)
		echo "$sc: SYNs or FINs did not cross in $try tries; $out not recorded" >&2
		kill "$pid"
		wait "$pid" || true
		rm -f "$out" "${out%.pcap}.kernel" "$log"
		continue ;;
	esac
	[ $st -eq 0 ] || { echo "$sc: talk.py failed ($st)" >&2; exit 1; }
	# the kernel's view: sockets still around for this port (TIME-WAIT, ...)
	ss -tanH state all "( sport = :$port or dport = :$port )" |
		awk -v p=":$port" '$4 ~ p"$" { s = $1 } $4 !~ p"$" { c = $1 }
			END { print "client", c ? c : "CLOSED"; print "server", s ? s : "CLOSED" }' \
		>"${out%.pcap}.kernel"
	# both sockets connected, so neither is "the server": no roles to record
	# (simultaneous_both keeps its file: both ends are in TIME-WAIT, whichever
	# is which)
	[ "$sc" != simultaneous_open ] || rm -f "${out%.pcap}.kernel"
	kill "$pid"
	wait "$pid" || true
	rm -f "$log"
done
# pcapng with two interfaces (micro- and nanosecond time stamps): two of the
# recordings above merged, each keeping its own interface block
if command -v mergecap >/dev/null && [ -f "$dir/lo-server-close.pcap" ] && [ -f "$dir/lo-normal-nano.pcap" ]; then
	mergecap -I none -F pcapng -w "$dir/lo-merged.pcapng" "$dir/lo-server-close.pcap" \
		"$dir/lo-normal-nano.pcap"
fi

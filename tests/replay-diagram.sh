#!/bin/sh
# tests/replay-diagram.sh: every row replay shows, of every capture in
# tests/replay (and ../shared/captures/good when it is there), goes through
# RFC 9293's state diagram only. The text table lists under each row the
# state changes of that row in order; each must be an edge of RFC 9293
# Figure 5 (plus RST or ABORT to CLOSED from any state, and RST in a passive
# SYN-RECEIVED back to LISTEN), start where the host's previous row left it
# and end in the state the row shows.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay

walk() { # name < text table: prints one line per violation
	awk -v file="$1" '
	BEGIN {
		n = split("CLOSED>LISTEN CLOSED>SYN-SENT LISTEN>SYN-SENT LISTEN>SYN-RECEIVED " \
		          "SYN-SENT>SYN-RECEIVED SYN-SENT>ESTABLISHED SYN-RECEIVED>ESTABLISHED " \
		          "SYN-RECEIVED>FIN-WAIT-1 SYN-RECEIVED>LISTEN ESTABLISHED>FIN-WAIT-1 " \
		          "ESTABLISHED>CLOSE-WAIT FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-1>CLOSING " \
		          "FIN-WAIT-1>TIME-WAIT FIN-WAIT-2>TIME-WAIT CLOSE-WAIT>LAST-ACK " \
		          "CLOSING>TIME-WAIT", e, " ")
		for (i = 1; i <= n; i++) edge[e[i]] = 1
		rows = 0
	}
	function settle() {
		if (!open) return
		for (h = 0; h < 2; h++) {
			if (!((s, h) in at)) at[s, h] = shown[h]
			if (at[s, h] != shown[h])
				printf "%s frame %s: %s ends %s but the row shows %s\n", file, frame,
				       h ? "server" : "client", at[s, h], shown[h]
			at[s, h] = shown[h]
		}
		open = 0
	}
	/^-- stream / { settle(); s = $3; sub(/:$/, "", s); next }
	$1 == "*" {
		h = $2 == "server:" ? 1 : 0
		if ($4 != "->") next
		from = $3; to = $5; sub(/:$/, "", to)
		if (!((s, h) in at)) at[s, h] = from
		if (at[s, h] != from)
			printf "%s frame %s: %s was %s, then %s -> %s\n", file, frame,
			       h ? "server" : "client", at[s, h], from, to
		if (!(to == "CLOSED" || ((from ">" to) in edge)))
			printf "%s frame %s: %s %s -> %s is not in RFC 9293 Figure 5\n", file, frame,
			       h ? "server" : "client", from, to
		at[s, h] = to
		next
	}
	$1 ~ /^[0-9]+$/ { settle(); frame = $1; shown[0] = $9; shown[1] = $10; open = 1; rows++ }
	END { settle() }'
}

# the walker itself finds a bad row: a hand-made table with a jump
bad=$(printf '%s\n' ' frame        time dir flags               seq        ack   len   win  client       server       notes' \
	'-- stream 0: a <-> b' \
	'     1    0.000000 C>S SYN                   0          -     0 65495  SYN-SENT     SYN-RECEIVED' \
	'     *             client: CLOSED -> SYN-SENT: OPEN (active): the application connects (RFC 9293 §3.10.1)' \
	'     *             server: CLOSED -> SYN-RECEIVED: SYN in LISTEN (RFC 9293 §3.10.7.2)' | walk bad)
expect_match "$bad" "server CLOSED -> SYN-RECEIVED is not in RFC 9293 Figure 5" "the walker catches a jump"

n=0
for f in "$R"/good/*.pcap "$R"/good/*.pcapng "$R"/lo/*.pcap "$R"/lo/*.pcapng \
         "${top_srcdir:-.}"/../shared/captures/good/*.pcap "${top_srcdir:-.}"/../shared/captures/good/*.pcapng; do
	[ -f "$f" ] || continue
	"$T" --batch replay "$f" >"$TMPD/table" 2>/dev/null
	grep -q '^ *[0-9]' "$TMPD/table" || continue    # no TCP in it
	out=$(walk "$(basename "$f")" <"$TMPD/table")
	n=$((n + 1))
	if [ -z "$out" ]; then pass; else fail "$out"; fi
done
[ "$n" -ge 80 ] && pass || fail "only $n captures walked"
finish

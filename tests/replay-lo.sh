#!/bin/sh
# tests/replay-lo.sh: the states inferred from real loopback conversations of
# this machine's TCP follow RFC 9293 and end where the kernel ended.
# Runs on the committed recordings (tests/replay/lo) and, as root with
# tcpdump, ss and python3 at hand, on fresh ones recorded now by
# tests/replay/record/record.sh (their columns and notes are then compared
# with tshark too, when it is installed).
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay

# both endpoints' states after each segment of stream $3, repeats folded
states() { # dir file stream
	"$T" --batch --format tsv replay "$1/$2" | awk -F'\t' -v s="$3" '
		NR > 1 && $1 == s { p = $12 "/" $13; if (p != last) printf "%s ", p; last = p }'
}
expect_states() { # dir file regex [stream]
	[ -f "$1/$2" ] || { fail "$1/$2 missing"; return; }
	got=$(states "$1" "$2" "${4:-0}")
	if printf '%s\n' "$got" | grep -Eqx -- "$3 "; then pass; else fail "$1/$2: states
  got:  $got
  want: $3"; fi
}

# the states host $3 (client/server) goes through in stream 0, in order:
# every state change the text table lists under the rows
chain() { # dir file host
	"$T" --batch replay "$1/$2" | awk -v h="$3:" '
		/^-- stream / { s = $3 } s == "0:" && $1 == "*" && $2 == h && $4 == "->" {
			to = $5; sub(/:$/, "", to); if (!n++) printf "%s", $3; printf " %s", to }'
}
expect_chain() { # dir file host "STATE STATE ..." (a part of the chain)
	[ -f "$1/$2" ] || { fail "$1/$2 missing"; return; }
	got=$(chain "$1" "$2" "$3")
	case " $got " in *" $4 "*) pass ;; *) fail "$1/$2: $3 went through
  got:  $got
  want: ... $4 ..." ;; esac
}

check_dir() { # directory of recordings
	d=$1
	# the recordings end where the kernel ended (NAME.kernel, from ss)
	for k in "$d"/*.kernel; do
		f=${k%.kernel}.pcap
		last=$("$T" --batch --format tsv --streams replay "$f" | tail -n 1)
		got=$(printf '%s\n' "$last" | awk -F'\t' '{ print "client " $7; print "server " $8 }')
		want=$(cat "$k")
		[ "$got" = "$want" ] && pass || fail "$f: final states '$got', the kernel said '$want'"
	done
	# RFC 9293 sequences; a lone ACK of a FIN may or may not have been
	# merged into the FIN that followed, so that state is optional
	H="SYN-SENT/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/ESTABLISHED"
	C="$H FIN-WAIT-1/CLOSE-WAIT (FIN-WAIT-2/CLOSE-WAIT )?TIME-WAIT/LAST-ACK TIME-WAIT/CLOSED"
	S="$H CLOSE-WAIT/FIN-WAIT-1 (CLOSE-WAIT/FIN-WAIT-2 )?LAST-ACK/TIME-WAIT CLOSED/TIME-WAIT"
	expect_states "$d" lo-normal.pcap "$C"
	expect_states "$d" lo-normal6.pcap "$C"
	expect_states "$d" lo-normal-nano.pcap "$C"
	expect_states "$d" lo-normal-any-nano.pcap "$C"
	expect_states "$d" lo-keepalive.pcap "$C"
	expect_states "$d" lo-server-close.pcap "$S"
	expect_states "$d" lo-half-close.pcap "$H FIN-WAIT-1/CLOSE-WAIT FIN-WAIT-2/CLOSE-WAIT TIME-WAIT/LAST-ACK TIME-WAIT/CLOSED"
	expect_states "$d" lo-abort.pcap "$H CLOSED/CLOSED"
	expect_states "$d" lo-refused.pcap "SYN-SENT/CLOSED CLOSED/CLOSED"
	expect_states "$d" lo-reuse.pcap "$S" 0
	expect_states "$d" lo-reuse.pcap "$S" 1
	# SYNs crossed (RFC 9293 Figure 7), then one side closes first: the
	# second host was CLOSED (no listener) until its own SYN
	O="SYN-SENT/CLOSED SYN-RECEIVED/SYN-RECEIVED (SYN-RECEIVED/ESTABLISHED|ESTABLISHED/SYN-RECEIVED) \
ESTABLISHED/ESTABLISHED"
	expect_states "$d" lo-simultaneous-open.pcap "$O \
(FIN-WAIT-1/CLOSE-WAIT (FIN-WAIT-2/CLOSE-WAIT )?TIME-WAIT/LAST-ACK TIME-WAIT/CLOSED|\
CLOSE-WAIT/FIN-WAIT-1 (CLOSE-WAIT/FIN-WAIT-2 )?LAST-ACK/TIME-WAIT CLOSED/TIME-WAIT)"
	# FINs crossed (RFC 9293 Figure 13): each arrives after the other left
	F="(ESTABLISHED/FIN-WAIT-1|FIN-WAIT-1/ESTABLISHED) CLOSING/CLOSING \
(TIME-WAIT/CLOSING|CLOSING/TIME-WAIT) TIME-WAIT/TIME-WAIT"
	# and each host's own changes, row by row (the text table lists them)
	expect_chain "$d" lo-simultaneous-open.pcap client "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED"
	expect_chain "$d" lo-simultaneous-open.pcap server "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED"
	# a fresh recording of crossed FINs may not have come (record.sh skips
	# it when the FINs never crossed): the committed ones always count
	for f in lo-simultaneous-close.pcap lo-simultaneous-both.pcap; do
		if [ ! -f "$d/$f" ] && [ "$d" != "$R/lo" ]; then
			echo "note: $d/$f not recorded (the FINs did not cross): not checked" >&2
			continue
		fi
		case $f in
		*close*) expect_states "$d" $f "$H $F"
			want="ESTABLISHED FIN-WAIT-1 CLOSING TIME-WAIT" ;;
		*) expect_states "$d" $f "$O $F"
			want="CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 CLOSING TIME-WAIT" ;;
		esac
		for h in client server; do
			expect_chain "$d" $f $h "$want"
		done
		expect_match "$("$T" --batch replay "$d/$f")" \
			"FIN-WAIT-1 -> CLOSING: .*\(RFC 9293 §3\.10\.7\.4; frame [0-9]+ arrives here: the two crossed\)" \
			"$d/$f: the crossing is said"
	done

	# keep-alive probes and their answers, as Wireshark marks them
	n=$("$T" --batch --format tsv replay "$d/lo-keepalive.pcap" | awk -F'\t' '$14 == "keep-alive"' | wc -l)
	[ "$n" -ge 2 ] && pass || fail "$d/lo-keepalive.pcap: $n keep-alive probes"
	n=$("$T" --batch --format tsv replay "$d/lo-keepalive.pcap" | awk -F'\t' '$14 == "keep-alive-ack"' | wc -l)
	[ "$n" -ge 2 ] && pass || fail "$d/lo-keepalive.pcap: $n keep-alive ACKs"

	# --streams: one row per stream
	out=$("$T" --batch --format tsv --streams replay "$d/lo-reuse.pcap")
	expect_match "$out" "^stream	client	server	packets	handshake	end	client_state	server_state$" "--streams header"
	expect_match "$out" "^1	127\\.0\\.0\\.1:[0-9]+	127\\.0\\.0\\.1:[0-9]+	[0-9]+	yes	fin	CLOSED	TIME-WAIT$" "$d: --streams: port reuse is a second stream"
	out=$("$T" --batch --format tsv --streams replay "$d/lo-refused.pcap")
	expect_match "$out" "^0	.*	2	no	refused	CLOSED	CLOSED$" "$d: --streams: refused"
	out=$("$T" --batch --format tsv --streams replay "$d/lo-abort.pcap")
	expect_match "$out" "^0	.*	yes	rst	CLOSED	CLOSED$" "$d: --streams: reset"
	out=$("$T" --batch --format tsv --streams replay "$d/lo-half-close.pcap")
	expect_match "$out" "^0	.*	yes	fin	TIME-WAIT	CLOSED$" "$d: --streams: half-close, then FIN"
	out=$("$T" --batch --format json --streams replay "$d/lo-normal6.pcap")
	expect_match "$out" '^\{"stream":0,"client":"\[::1\]:[0-9]+","server":"\[::1\]:[0-9]+","packets":[0-9]+,"handshake":true,"end":"fin","client_state":"TIME-WAIT","server_state":"CLOSED"\}$' "$d: --streams json"
}

check_dir "$R/lo"

# Fresh recordings of this kernel, when we may capture.
if [ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null && command -v ss >/dev/null &&
   command -v python3 >/dev/null; then
	fresh=$TMPD/lo
	mkdir -p "$fresh"
	if RECORD_PORT=$((20000 + $$ % 20 * 600)) sh "$R/record/record.sh" "$fresh" >"$TMPD/rec.log" 2>&1 &&
	   [ -s "$fresh/lo-normal.pcap" ]; then
		check_dir "$fresh"
		# tcpdump -w - | tcptutor replay -: rows as the packets come
		port=$((19000 + $$ % 900))
		(tcpdump -i lo --immediate-mode -U -c 10 -w - "tcp port $port" 2>"$TMPD/td.log" |
			"$T" --batch --format tsv replay - >"$TMPD/live.tsv" 2>&1) &
		live=$!
		i=0
		until grep -q listening "$TMPD/td.log" 2>/dev/null || [ $i -ge 100 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		python3 "$R/record/talk.py" normal "$port"
		wait $live
		[ "$(tail -n +2 "$TMPD/live.tsv" | wc -l)" -eq 10 ] && pass || fail "tcpdump -w - | replay -: $(cat "$TMPD/live.tsv")"
		expect_match "$(tail -n 1 "$TMPD/live.tsv")" "	TIME-WAIT	CLOSED	$" "tcpdump -w - | replay -: final states"
		if command -v tshark >/dev/null && command -v python3 >/dev/null; then
			(cd "$fresh" && python3 "$R/mkgolden.py" *.pcap *.pcapng 2>/dev/null)
			for f in "$fresh"/*.pcap "$fresh"/*.pcapng; do
				[ -f "${f%.*}.tsv" ] || continue
				"$T" --batch --format tsv --tcb replay "$f" | awk -F'\t' 'NR > 1 {
					n = $14; gsub(/(^|,)(mid-stream|truncated)/, "", n); sub(/^,/, "", n)
					print $1 "\t" $2 "\t" $3 "\t" $7 "\t" $8 "\t" $9 "\t" $10 "\t" $11 "\t" n "\t" ($4 == "C>S" ? $22 : $30) }' >"$TMPD/ours"
				tail -n +2 "${f%.*}.tsv" >"$TMPD/want"
				expect_same "$TMPD/want" "$TMPD/ours" "fresh $(basename "$f"): columns, notes and bytes in flight as tshark"
			done
		fi
	else
		echo "note: could not record on loopback here; committed recordings only" >&2
		tail -3 "$TMPD/rec.log" >&2
	fi
else
	skip "fresh recordings need root, tcpdump, ss and python3"
fi
finish

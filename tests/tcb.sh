#!/bin/sh
# tests/tcb.sh: --tcb, both hosts' TCB figures after every row of the
# table: goldens of a simulation (fast retransmit: cwnd and ssthresh move)
# and of a replayed capture (only what the wire shows), the figures'
# arithmetic, and nothing added without the option. Regenerate with:
#   src/tcptutor lesson lessons/scenarios/fast-retransmit.scenario --batch --format tsv --tcb > tests/tcb/fast-retransmit.tsv
#   src/tcptutor replay assets/01-normal.pcap --format tsv --tcb > tests/tcb/01-normal.tsv
# (and the same with --format json > .json)
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
S=${top_srcdir:-.}
FR="$S/lessons/scenarios/fast-retransmit.scenario"
CAP="$S/assets/01-normal.pcap"

for fmt in tsv json; do
	"$T" lesson "$FR" --batch --format $fmt --tcb > "$TMPD/fr.$fmt"
	expect_status 0 $? "scenario --tcb --format $fmt runs"
	expect_same "$S/tests/tcb/fast-retransmit.$fmt" "$TMPD/fr.$fmt" "scenario --tcb matches tests/tcb/fast-retransmit.$fmt"
	"$T" replay "$CAP" --format $fmt --tcb > "$TMPD/cap.$fmt"
	expect_status 0 $? "replay --tcb --format $fmt runs"
	expect_same "$S/tests/tcb/01-normal.$fmt" "$TMPD/cap.$fmt" "replay --tcb matches tests/tcb/01-normal.$fmt"
done

# the header: the usual 14 columns, then c_ and s_ of the eight figures
want="stream	frame	time	dir	src	dst	flags	seq	ack	len	win	client_state	server_state	notes"
for h in c s; do
	for f in snd_una snd_nxt snd_wnd cwnd ssthresh srtt rto in_flight; do
		want="$want	${h}_$f"
	done
done
[ "$(head -1 "$TMPD/fr.tsv")" = "$want" ] && pass || fail "TSV header: $(head -1 "$TMPD/fr.tsv")"
awk -F '\t' 'NF != 30 { bad = 1 } END { exit bad }' "$TMPD/fr.tsv" "$TMPD/cap.tsv" && pass ||
	fail "30 columns on every row with --tcb"

# the usual columns are those of the table without --tcb
"$T" lesson "$FR" --batch --format tsv > "$TMPD/plain.tsv"
cut -f1-14 "$TMPD/fr.tsv" | cmp -s - "$TMPD/plain.tsv" && pass || fail "first 14 columns unchanged by --tcb"
"$T" replay "$CAP" --format tsv > "$TMPD/plaincap.tsv"
cut -f1-14 "$TMPD/cap.tsv" | cmp -s - "$TMPD/plaincap.tsv" && pass || fail "replay: first 14 columns unchanged"
# and without the option nothing of it appears anywhere
for cmd in "lesson $FR --batch --format tsv" "lesson $FR --batch --format json" "lesson $FR --batch" \
           "replay $CAP --format tsv" "replay $CAP --format json" "lesson handshake --batch --format tsv"; do
	# shellcheck disable=SC2086
	out=$("$T" $cmd)
	printf '%s\n' "$out" | grep -Eq 'snd_una|in_flight|c_cwnd' && fail "no TCB columns without --tcb: $cmd" || pass
done
awk -F '\t' 'NF != 14 { bad = 1 } END { exit bad }' "$TMPD/plain.tsv" && pass || fail "14 columns without --tcb"

# the arithmetic, on every row of a simulation: in_flight = snd_nxt -
# snd_una where both are known; its RFC 6298 RTO never below 1 s
awk -F '\t' 'FNR > 1 { for (b = 15; b <= 23; b += 8) if ($b != "-" && $(b+1) != "-" && $(b+7) != $(b+1) - $b) bad = 1 }
	END { exit bad }' "$TMPD/fr.tsv" && pass || fail "in_flight = snd_nxt - snd_una"
# a capture's in_flight is Wireshark's, the sender's only: never the receiver's
awk -F '\t' 'FNR > 1 && ($4 == "C>S" ? $30 : $22) != "-" { bad = 1 } END { exit bad }' "$TMPD/cap.tsv" &&
	pass || fail "replay: in_flight only in the sender's column"
awk -F '\t' 'NR > 1 && ($21 < 1 || $29 < 1) { bad = 1 } END { exit bad }' "$TMPD/fr.tsv" && pass ||
	fail "RTO at least 1 s (RFC 6298 2.4)"
# SRTT is "-" until the first round trip was measured: the client's first row
first=$(awk -F '\t' 'NR == 2 { print $20 }' "$TMPD/fr.tsv")
[ "$first" = "-" ] && pass || fail "srtt before a sample: '$first'"
# the third duplicate ACK: ssthresh = FlightSize / 2 = 1250, cwnd = ssthresh + 3 SMSS = 2750
row=$(awk -F '\t' '$14 == "dup-ack" { n++; if (n == 3) print $18 " " $19 }' "$TMPD/fr.tsv")
[ "$row" = "2750 1250" ] && pass || fail "fast retransmit: cwnd ssthresh '$row', want '2750 1250' (RFC 5681 3.2)"
# a capture knows no cwnd, ssthresh, SRTT or RTO
awk -F '\t' 'FNR > 1 { for (c = 18; c <= 21; c++) if ($c != "-" || $(c+8) != "-") bad = 1 } END { exit bad }' \
	"$TMPD/cap.tsv" && pass || fail "replay: cwnd, ssthresh, srtt and rto are '-'"
# bytes in flight as Wireshark's tcp.analysis.bytes_in_flight on the data rows
bif=$(awk -F '\t' 'NR > 1 && $10 > 0 { print ($4 == "C>S" ? $22 : $30) }' "$TMPD/cap.tsv" | tr '\n' ' ')
[ "$bif" = "18 25 " ] && pass || fail "replay: bytes in flight on the data rows '$bif'"
# JSON: null where TSV says -, numbers elsewhere, one object per row
[ "$(wc -l < "$TMPD/fr.json")" -eq $(($(wc -l < "$TMPD/fr.tsv") - 1)) ] && pass || fail "one JSON object per row"
expect_match "$(head -1 "$TMPD/fr.json")" '"c_snd_una":0,"c_snd_nxt":1,.*"c_srtt":null,"c_rto":1.000000,"c_in_flight":1,' "JSON figures"
# text: a line per host under each row
"$T" lesson "$FR" --batch --tcb > "$TMPD/fr.txt"
expect_match "$(cat "$TMPD/fr.txt")" '^ +client snd_una=0 snd_nxt=1 snd_wnd=0 cwnd=- ssthresh=- srtt=- rto=1.000000 in_flight=1$' "text: the client's line"
[ "$(grep -c '^ *server snd_una=' "$TMPD/fr.txt")" -eq $(($(wc -l < "$TMPD/fr.tsv") - 1)) ] && pass ||
	fail "text: a server line under every row"
# a lesson's table too
"$T" lesson handshake --batch --format tsv --tcb > "$TMPD/hs.tsv"
expect_status 0 $? "lesson --tcb runs"
awk -F '\t' 'NF != 30 { bad = 1 } END { exit bad }' "$TMPD/hs.tsv" && pass || fail "lesson: 30 columns"

# --tcb is only for the tables
"$T" quiz --tcb --batch > /dev/null 2> "$TMPD/err"
expect_status 2 $? "quiz --tcb is a usage error"
expect_match "$(head -1 "$TMPD/err")" "^tcptutor: --tcb is for" "usage error says what --tcb is for"
finish

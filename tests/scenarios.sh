#!/bin/sh
# tests/scenarios.sh: every bundled scenario against its golden table (TSV
# and text), the formats agree, and broken scenarios fail with FILE:LINE.
# Regenerate a golden after a deliberate change with:
#   src/tcptutor lesson lessons/scenarios/NAME.scenario --batch --format tsv > tests/scenarios/NAME.tsv
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
S=${top_srcdir:-.}

for f in "$S"/lessons/scenarios/*.scenario; do
	n=$(basename "$f" .scenario)
	"$T" lesson "$f" --batch --format tsv > "$TMPD/$n.tsv"
	expect_status 0 $? "$n: runs"
	expect_same "$S/tests/scenarios/$n.tsv" "$TMPD/$n.tsv" "$n: TSV matches tests/scenarios/$n.tsv"
	"$T" lesson "$f" --batch > "$TMPD/$n.txt"
	expect_same "$S/tests/scenarios/$n.txt" "$TMPD/$n.txt" "$n: text matches tests/scenarios/$n.txt"
	# JSON lines carry the same rows
	"$T" lesson "$f" --batch --format json > "$TMPD/$n.json"
	[ "$(wc -l < "$TMPD/$n.json")" -eq $(($(wc -l < "$TMPD/$n.tsv") - 1)) ] && pass ||
		fail "$n: one JSON object per TSV row"
	# every row has exactly the 14 columns of doc/design.md
	awk -F '\t' 'NF != 14 { bad = 1 } END { exit bad }' "$TMPD/$n.tsv" && pass ||
		fail "$n: 14 columns on every row"
done

# states RFC 9293 prescribes, read straight from the goldens
col() { awk -F '\t' -v c="$2" 'NR > 1 { print $c }' "$S/tests/scenarios/$1.tsv" | uniq | tr '\n' ' '; }
expect_match "$(col close-client-first 12)" "FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT" "active closer passes FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT"
expect_match "$(col close-client-first 13)" "CLOSE-WAIT LAST-ACK CLOSED" "passive closer passes CLOSE-WAIT, LAST-ACK, CLOSED"
expect_match "$(col simultaneous-close 12)" "CLOSING TIME-WAIT" "simultaneous close: client passes CLOSING"
expect_match "$(col simultaneous-close 13)" "CLOSING TIME-WAIT" "simultaneous close: server passes CLOSING"
expect_match "$(col simultaneous-open 12)" "SYN-SENT SYN-RECEIVED ESTABLISHED" "simultaneous open: SYN-RECEIVED on the client"
expect_match "$(awk -F '\t' 'NR > 1 { print $7 }' "$S/tests/scenarios/close-fin-ack.tsv" | tr '\n' ' ')" \
	"^SYN SYN,ACK ACK FIN,ACK FIN,ACK ACK $" "three-segment close"
expect_match "$(cat "$S/tests/scenarios/time-wait-expiry.txt")" "TIME-WAIT -> CLOSED: the 2MSL timer expired.*\(RFC 9293 §3\.10\.8\)" "TIME-WAIT expires"
# the listen queues, read from the goldens: the flood's SYNs come from
# addresses of their own; the client's SYN is dropped three times by the
# full SYN queue, then answered; with cookies the server stays in LISTEN
# until the client's ACK; a full accept queue holds the third connection in
# SYN-RECEIVED until accept makes room
srv() { awk -F '\t' -v k="$2" 'NR > 1 && $1 == k { print $13 }' "$S/tests/scenarios/$1.tsv" | uniq | tr '\n' ' '; }
expect_match "$(awk -F '\t' 'NR > 1 && $5 ~ /^198\.18\./ && $7 == "SYN" { n++ } END { print n }' "$S/tests/scenarios/syn-flood.tsv")" \
	"^8$" "SYN flood: eight SYNs from spoofed sources"
expect_match "$(awk -F '\t' 'NR > 1 && $5 ~ /^192\.0\.2\.1:/ && $7 == "SYN" { print $13 }' "$S/tests/scenarios/syn-flood.tsv" | tr '\n' ' ')" \
	"^LISTEN LISTEN LISTEN SYN-RECEIVED $" "SYN flood: the client's SYN dropped three times, then answered"
expect_match "$(srv syn-cookies 8)" "^LISTEN ESTABLISHED $" "SYN cookies: LISTEN until the ACK, then ESTABLISHED"
expect_match "$(srv accept-queue-full 2)" "^SYN-RECEIVED ESTABLISHED $" "accept queue full: SYN-RECEIVED until accept made room"
expect_match "$(srv accept-queue-abort 2)" "^SYN-RECEIVED CLOSED $" "accept queue full, abort-on-overflow: the child reset"

# broken scenarios: one line on stderr naming file and line, exit 1
printf 'listen server\nconnect client\nfrobnicate now\n' > "$TMPD/bad.scenario"
"$T" lesson "$TMPD/bad.scenario" --batch > /dev/null 2> "$TMPD/err"
expect_status 1 $? "broken scenario exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*bad.scenario:3: unknown keyword 'frobnicate'$" "error names file:line"
[ "$(wc -l < "$TMPD/err")" -eq 1 ] && pass || fail "one line of error"
printf 'listen server\ndeliver\n' > "$TMPD/bad2.scenario"
"$T" lesson "$TMPD/bad2.scenario" --batch > /dev/null 2> "$TMPD/err"
expect_status 1 $? "impossible action exits 1"
expect_match "$(cat "$TMPD/err")" "bad2.scenario:2: deliver: nothing on the wire" "run error names file:line"
head -c 3000 "$T" > "$TMPD/junk.scenario"
"$T" lesson "$TMPD/junk.scenario" --batch > /dev/null 2>&1
expect_status 1 $? "binary junk exits 1, no crash"
finish

#!/bin/sh
# tests/write.sh: --write FILE, a simulated run written as a pcap capture.
# Every frame of the file is one row of the batch table (--absolute): the
# same ports, seq, ack, flags and len, checked with tshark when it is
# installed (every frame decodes as TCP, both checksums verified and good)
# and always with the project's own reader (replay); the payload is what
# the engine sent; time stamps never go backwards, also across a lesson's
# scenes; errors name the file and exit 1, after the table.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
S=${top_srcdir:-.}
TSHARK=$(command -v tshark 2>/dev/null || true)
[ -n "$TSHARK" ] || skip "no tshark: checking with tcptutor's own reader only"

# A lesson's scene k has its client on port 49152 + k in the file (a new
# connection each), while the table shows the scene's own port: rows name
# the client's port "client".
CPORT='function cport(p) { return p >= 49152 && p < 49252 ? "client" : p }'

# Table rows as "srcport dstport seq ack flags len", in the file's order:
# rows sorted by their time in the file (the sort is stable), which is what
# the table cannot show (arrival), so both sides are sorted the same way
# when the run lost a segment: by the whole line.
rows() { # TSV table -> normalised rows
	awk -F '\t' 'NR > 1 {
		n = split($5, s, ":"); m = split($6, d, ":")
		f = 0; k = split($7, fl, ",")
		for (i = 1; i <= k; i++) {
			if (fl[i] == "FIN") f += 1; else if (fl[i] == "SYN") f += 2
			else if (fl[i] == "RST") f += 4; else if (fl[i] == "PSH") f += 8
			else if (fl[i] == "ACK") f += 16; else if (fl[i] == "URG") f += 32
			else if (fl[i] == "ECE") f += 64; else if (fl[i] == "CWR") f += 128
			else if (fl[i] == "AE") f += 256
		}
		print cport(s[n]), cport(d[m]), $8, (int(f / 16) % 2 ? $9 : "-"), f, $10
	}
	'"$CPORT"' ' "$1"
}
# tshark's fields -> the same rows; also checks every frame is TCP with
# good checksums (status 1) and an IP checksum where IPv4 has one
tshark_rows() { # pcap out-rows out-bad check-checksums(1/0)
	"$TSHARK" -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields \
		-E separator=/t -e frame.number -e tcp.srcport -e tcp.dstport -e tcp.seq_raw \
		-e tcp.ack_raw -e tcp.flags -e tcp.len -e tcp.checksum.status -e ip.checksum.status \
		-e ip.version -e _ws.malformed -e frame.time_epoch 2>/dev/null |
	awk -F '\t' -v bad="$3" -v csum="$4" '{
		f = 0; h = $6; sub(/^0x/, "", h)
		for (i = 1; i <= length(h); i++) f = f * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
		print cport($2), cport($3), $4, (int(f / 16) % 2 ? $5 : "-"), f, $7
		if ($2 == "" || (csum && ($8 != "1" || ($10 == "4" && $9 != "1"))) || $11 != "")
			print "frame " $1 ": tcp " $2 " checksum " $8 " ip " $9 " malformed " $11 > bad
		if ($12 + 0 < last + 0) print "frame " $1 ": time " $12 " before " last > bad
		last = $12
	}
	'"$CPORT"' ' > "$2"
}
# the project's own reader: replay's table of the file, as rows, and its
# time column never going back
replay_rows() { # pcap out-rows
	"$T" --batch --format tsv --absolute replay "$1" > "$TMPD/replay.tsv" 2> "$TMPD/replay.err"
	expect_status 0 $? "$name: replay reads the file"
	[ -s "$TMPD/replay.err" ] && fail "$name: replay says: $(cat "$TMPD/replay.err")"
	awk -F '\t' 'NR > 1 && $3 + 0 < last + 0 { bad = 1 } NR > 1 { last = $3 } END { exit bad }' \
		"$TMPD/replay.tsv" && pass || fail "$name: time stamps go backwards"
	rows "$TMPD/replay.tsv" > "$2"
}

# check NAME ORDER ARGS...: runs tcptutor ARGS writing $TMPD/NAME.pcap; ORDER
# is inorder (the file in the table's order), sorted (a segment was lost:
# compared as sets) or copied (a capture lesson's frames: in order, their
# checksums as the capture had them)
check() {
	name=$1 sorted=$2
	shift 2
	"$T" "$@" --batch --format tsv --absolute --write "$TMPD/$name.pcap" > "$TMPD/$name.tsv"
	expect_status 0 $? "$name: runs and writes"
	rows "$TMPD/$name.tsv" > "$TMPD/$name.want"
	[ "$(wc -l < "$TMPD/$name.want")" -gt 0 ] && pass || fail "$name: the table has rows"
	if [ "$sorted" = sorted ]; then sort "$TMPD/$name.want" -o "$TMPD/$name.want"; fi
	replay_rows "$TMPD/$name.pcap" "$TMPD/$name.replay"
	if [ "$sorted" = sorted ]; then sort "$TMPD/$name.replay" -o "$TMPD/$name.replay"; fi
	expect_same "$TMPD/$name.want" "$TMPD/$name.replay" "$name: replay of the file = the table"
	if [ -n "$TSHARK" ]; then
		: > "$TMPD/$name.bad"
		tshark_rows "$TMPD/$name.pcap" "$TMPD/$name.tshark" "$TMPD/$name.bad" \
			"$([ "$sorted" = copied ] && echo 0 || echo 1)"
		if [ "$sorted" = sorted ]; then sort "$TMPD/$name.tshark" -o "$TMPD/$name.tshark"; fi
		expect_same "$TMPD/$name.want" "$TMPD/$name.tshark" "$name: tshark's reading = the table"
		[ -s "$TMPD/$name.bad" ] && { fail "$name: tshark finds bad frames"; head "$TMPD/$name.bad" >&2; } || pass
	fi
}

check handshake inorder lesson handshake
check data-transfer inorder lesson "$S/lessons/scenarios/data-transfer.scenario"
check simultaneous-close inorder lesson "$S/lessons/scenarios/simultaneous-close.scenario"
check lost-syn sorted lesson "$S/lessons/scenarios/lost-syn.scenario"
check errors sorted lesson errors           # six scenes
check teardown sorted lesson teardown
check capture copied lesson capture         # a capture lesson: its frames copied

# the sandbox, from standard input and from a FILE: a lost segment, a
# duplicate, two connections (ports of their own) between IPv6 hosts
cat > "$TMPD/v6.scenario" <<'EOF'
host client 2001:db8::1 40000
host server 2001:db8::2 443
set delay client 0.5
listen server
connect client
run
send client 1
send server "late"
deliver to client
drop
run
duplicate
send client "GET / HTTP/1.0"
run
connect client new
run
send client:1 3
run
EOF
check sandbox-file sorted sandbox "$TMPD/v6.scenario"
"$T" sandbox --format tsv --absolute -w "$TMPD/stdin.pcap" < "$TMPD/v6.scenario" > "$TMPD/stdin.tsv"
expect_status 0 $? "sandbox from stdin with -w"
cmp -s "$TMPD/sandbox-file.pcap" "$TMPD/stdin.pcap" && pass || fail "stdin and FILE write the same capture"
expect_same "$TMPD/sandbox-file.tsv" "$TMPD/stdin.tsv" "--write leaves the table as it was"
"$T" sandbox --format tsv --absolute < "$TMPD/v6.scenario" > "$TMPD/plain.tsv"
expect_same "$TMPD/plain.tsv" "$TMPD/stdin.tsv" "the table without --write is the same"

# the payload: the text sent and the engine's 'x' bytes for a count
LC_ALL=C grep -a -c "GET / HTTP/1.0" "$TMPD/stdin.pcap" > "$TMPD/n"
[ "$(cat "$TMPD/n")" -ge 1 ] && pass || fail "the text sent is in the file"
if [ -n "$TSHARK" ]; then
	got=$("$TSHARK" -r "$TMPD/stdin.pcap" -T fields -e tcp.payload -Y 'tcp.len > 0' 2>/dev/null | tr '\n' ' ')
	# the lost x; late; GET; the duplicate of GET one delay after it; x
	# and GET again (the retransmission, an RTO of SRTT + 4 RTTVAR after
	# the first: 1.65 s for a round trip of 0.55 s, RFC 6298); xxx
	g=474554202f20485454502f312e30
	expect_match "$got" "^78 6c617465 $g $g 78$g 787878 $" "tshark: every payload, in time order"
	got=$("$TSHARK" -r "$TMPD/data-transfer.pcap" -T fields -e tcp.payload -Y 'tcp.len > 0' 2>/dev/null |
		awk '{ print length($0) / 2, ($0 ~ /^(78)+$/) ? "x" : $0 }' | tr '\n' ' ')
	expect_match "$got" "^500 x 500 x 200 x 15 485454502f312e3120323030204f4b $" \
		"tshark: data-transfer's payloads"
	# lost-syn: the lost SYNs when they were sent (0, 1 s, 3 s), the one
	# that gets through when it arrived (7 s and the 50 ms delay)
	got=$("$TSHARK" -r "$TMPD/lost-syn.pcap" -T fields -e frame.time_epoch -e tcp.flags -c 4 2>/dev/null | tr '\t\n' '  ')
	expect_match "$got" "^0\.000000000 0x0002 1\.000000000 0x0002 3\.000000000 0x0002 7\.050000000 0x0002 $" \
		"lost-syn: the lost SYNs when sent, the last when it arrived"
	# the lesson's scenes: each starts 1 s after the last frame before it
	got=$("$TSHARK" -r "$TMPD/errors.pcap" -T fields -e frame.time_epoch 2>/dev/null | sed -n '2,3p' | tr '\n' ' ')
	expect_match "$got" "^0\.100000000 1\.150000000 $" "errors: scene 2 starts 1 s after scene 1's last frame"
fi

# errors: FILE: reason on stderr, exit 1, the table printed all the same
"$T" lesson handshake --format tsv --absolute --write /nonexistent/dir/x.pcap > "$TMPD/out" 2> "$TMPD/err"
expect_status 1 $? "unwritable path exits 1"
expect_same "$TMPD/handshake.tsv" "$TMPD/out" "the whole table is printed before the error"
expect_match "$(cat "$TMPD/err")" "^tcptutor: /nonexistent/dir/x\.pcap: No such file or directory$" "unwritable path named"
[ "$(wc -l < "$TMPD/err")" -eq 1 ] && pass || fail "one line of error"
printf 'listen server\nconnect client\nrun\n' | "$T" sandbox --write "$TMPD" > /dev/null 2> "$TMPD/err"
expect_status 1 $? "a directory exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*: Is a directory$" "a directory named"
if [ -w /dev/full ]; then
	"$T" lesson handshake --write /dev/full > /dev/null 2> "$TMPD/err"
	expect_status 1 $? "a full disk exits 1"
	expect_match "$(cat "$TMPD/err")" "^tcptutor: /dev/full: No space left on device$" "a full disk named"
fi
printf 'host server 2001:db8::2 80\nlisten server\nconnect client\nrun\n' |
	"$T" sandbox -w "$TMPD/mixed.pcap" > /dev/null 2> "$TMPD/err"
expect_status 1 $? "IPv4 and IPv6 hosts exit 1"
expect_match "$(cat "$TMPD/err")" "mixed\.pcap: the client \(192\.0\.2\.1\) and the server \(2001:db8::2\) cannot be in one capture" "mixed families named"
[ -e "$TMPD/mixed.pcap" ] && fail "no file made for mixed families" || pass

# window scaling (RFC 7323): the SYNs carry the shift, and tshark scales
# every later window field by it to the window the engine advertised
printf 'set both preset linux\nset server window 1000000\nlisten server\nconnect client\nrun\nsend client 5000\nrun\n' |
	"$T" sandbox --format tsv -w "$TMPD/ws.pcap" > "$TMPD/ws.tsv" 2> "$TMPD/err"
expect_status 0 $? "a scaled run is written"
if [ -n "$TSHARK" ]; then
	"$TSHARK" -r "$TMPD/ws.pcap" -T fields -E separator=/t -e frame.number -e tcp.flags.syn \
		-e tcp.options.wscale.shift -e tcp.window_size_value -e tcp.window_size \
		> "$TMPD/ws.fields" 2> /dev/null
	awk -F '\t' '$2 == "1" && $3 != "7" { print "frame " $1 ": shift " $3 }
		$2 == "0" && $5 != $4 * 128 { print "frame " $1 ": window " $5 " is not " $4 " << 7" }
		$2 == "0" { scaled++ } END { if (scaled < 5) print "only " scaled " scaled frames" }' \
		"$TMPD/ws.fields" > "$TMPD/ws.bad"
	expect_same /dev/null "$TMPD/ws.bad" "tshark reads the window scale option and scales by it"
	# (the window offered in whole units of 2^7, rounded up as Linux does)
	grep -q "998656" "$TMPD/ws.fields" && pass || fail "the server's 1 MB buffer shows scaled (7802 << 7)"
fi

# usage errors: exit 2
"$T" replay --write "$TMPD/x.pcap" > /dev/null 2> "$TMPD/err"; expect_status 2 $? "replay --write: usage error"
expect_match "$(cat "$TMPD/err")" "^tcptutor: --write is for 'lesson' and 'sandbox'" "replay --write explained"
"$T" --write "$TMPD/x.pcap" > /dev/null 2>&1; expect_status 2 $? "--write without a command: usage error"
"$T" lesson --list --write "$TMPD/x.pcap" > /dev/null 2>&1; expect_status 2 $? "lesson --list --write: usage error"
"$T" lesson --write "$TMPD/x.pcap" > /dev/null 2>&1; expect_status 2 $? "lesson --write without NAME: usage error"
"$T" lesson handshake --write - > /dev/null 2>&1; expect_status 2 $? "--write -: usage error"
"$T" lesson handshake --write > /dev/null 2>&1; expect_status 2 $? "--write needs an argument"
[ -e "$TMPD/x.pcap" ] && fail "usage errors write nothing" || pass
finish

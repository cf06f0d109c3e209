#!/bin/sh
# tests/replay.sh: `tcptutor replay` against Wireshark and the kernel.
# - every TCP frame of every capture in tests/replay/{good,lo}: the columns
#   stream frame time flags seq ack len win, the notes and (with --tcb) the
#   sender's bytes in flight equal tshark's
#   (golden TSVs made by tests/replay/mkgolden.py; the notes are Wireshark's
#   TCP analysis, tests/replay/notes-agree.py measures them against tshark);
# - standard input, BPF filters, --absolute, --stream, json, damaged files.
# The inferred states of the loopback recordings: tests/replay-lo.sh.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay

# The golden comparison leaves out frames this reader cannot decode by
# design; SOURCES says why for each file listed there as "nogolden".
nogolden=$(awk '$2 == "nogolden" { printf "%s ", $1 }' "$R/good/SOURCES")

# columns stream frame time flags seq ack len win notes of our TSV (without
# mid-stream and truncated, which are not Wireshark's), and with --tcb the
# sender's in_flight
ours() { # file
	"$T" --batch --format tsv --tcb replay "$1" 2>/dev/null |
		awk -F'\t' 'NR > 1 {
			notes = $14; gsub(/(^|,)(mid-stream|truncated)/, "", notes); sub(/^,/, "", notes)
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $3, $7, $8, $9, $10, $11,
				notes, $4 == "C>S" ? $22 : $30 }'
}

marked=0 same=0 false=0
for dir in good lo; do
	for f in "$R/$dir"/*.pcap "$R/$dir"/*.pcapng; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		case " $nogolden " in *" $name "*) continue ;; esac
		ours "$f" >"$TMPD/ours"
		tail -n +2 "${f%.*}.tsv" >"$TMPD/want"
		cut -f1-8 "$TMPD/ours" >"$TMPD/ours8"
		cut -f1-8 "$TMPD/want" >"$TMPD/want8"
		expect_same "$TMPD/want8" "$TMPD/ours8" "$dir/$name: columns as tshark"
		cut -f1-9 "$TMPD/ours" >"$TMPD/ours9"
		cut -f1-9 "$TMPD/want" >"$TMPD/want9"
		expect_same "$TMPD/want9" "$TMPD/ours9" "$dir/$name: notes as tshark"
		cut -f1,2,10 "$TMPD/ours" >"$TMPD/oursf"
		cut -f1,2,10 "$TMPD/want" >"$TMPD/wantf"
		expect_same "$TMPD/wantf" "$TMPD/oursf" "$dir/$name: bytes in flight as tshark"
		# the notes frame by frame, for the sums below
		set -- $(awk -F'\t' 'FNR == NR { w[$2] = $9; next }
			{ split(w[$2], a, ","); delete W; for (i in a) W[a[i]] = 1
			  n = split($9, a, ","); for (i = 1; i <= n; i++) if (a[i] in W) s++; else f++ }
			END { for (k in w) m += split(w[k], a, ","); printf "%d %d %d\n", m, s, f }' \
			"$TMPD/want" "$TMPD/ours")
		marked=$((marked + $1)) same=$((same + $2)) false=$((false + $3))
	done
done
# Over all of them: at least 99 % of the notes Wireshark puts on frames are
# ours too, and no note of ours is one it does not put (tests/replay/notes-agree.py
# reports the same per note kind against tshark itself)
[ "$marked" -gt 0 ] && [ $((same * 100)) -ge $((marked * 99)) ] && pass ||
	fail "notes: $same of the $marked Wireshark puts on frames are ours (want 99 %)"
[ "$false" -eq 0 ] && pass || fail "notes: $false of ours Wireshark does not put"

# --stream k observes stream k alone (cap_replay_follow): its rows, states
# and TCBs included, are the whole table's rows of stream k, on every stream
# of every capture
diff=0 streams=0
for dir in good lo; do
	for f in "$R/$dir"/*.pcap "$R/$dir"/*.pcapng; do
		[ -f "$f" ] || continue
		"$T" --batch --format tsv --tcb replay "$f" >"$TMPD/all" 2>/dev/null
		n=$("$T" --batch --streams --format tsv replay "$f" 2>/dev/null | tail -n +2 | wc -l)
		k=0
		while [ "$k" -lt "$n" ]; do
			awk -F'\t' -v k="$k" 'NR == 1 || $1 == k' "$TMPD/all" >"$TMPD/want"
			"$T" --batch --format tsv --tcb --stream "$k" replay "$f" >"$TMPD/one" 2>/dev/null
			if ! cmp -s "$TMPD/want" "$TMPD/one"; then
				diff=$((diff + 1))
				[ "$diff" -le 3 ] && echo "# $(basename "$f") --stream $k differs" &&
					diff "$TMPD/want" "$TMPD/one" | head -n 6 | sed 's/^/# /'
			fi
			streams=$((streams + 1)) k=$((k + 1))
		done
	done
done
[ "$streams" -gt 100 ] && [ "$diff" -eq 0 ] && pass ||
	fail "--stream k: $diff of $streams streams differ from the whole table's rows"

# A file's table runs in a thread of its own beside the reading and the
# printing (capture/pump.c); a pipe is read in one thread. Both give the
# same rows, TCBs and events, and the same stream table, on every capture,
# and on a synthetic one of 3,000 connections interleaved 64 at a time
# (rows and stream names in blocks of both pipes, and streams numbered in
# turn)
"${top_builddir:-.}/bench/mkpcap" "$TMPD/many.pcap" 3000 >/dev/null
diff=0 files=0
for f in "$R"/good/*.pcap "$R"/good/*.pcapng "$R"/lo/*.pcap "$R"/lo/*.pcapng "$TMPD/many.pcap"; do
	[ -f "$f" ] || continue
	for opts in "--format tsv --tcb" "--format json" "--format text" "--streams --format tsv"; do
		"$T" --batch $opts replay "$f" >"$TMPD/two" 2>&1
		cat "$f" | "$T" --batch $opts replay - 2>&1 | sed "s|standard input|$f|" >"$TMPD/one"
		if ! cmp -s "$TMPD/one" "$TMPD/two"; then
			diff=$((diff + 1))
			[ "$diff" -le 3 ] && echo "# $(basename "$f") $opts: two threads differ from one" &&
				diff "$TMPD/one" "$TMPD/two" | head -n 6 | sed 's/^/# /'
		fi
	done
	files=$((files + 1))
done
[ "$files" -gt 100 ] && [ "$diff" -eq 0 ] && pass ||
	fail "two threads and one: $diff runs of $files captures differ"
n=$("$T" --batch --streams --format tsv replay "$TMPD/many.pcap" | tail -n +2 | cut -f1 | sort -n | uniq | wc -l)
[ "$n" -eq 3000 ] && pass || fail "3,000 connections, 3,000 streams numbered once each: $n"

# standard input gives the same table as the file
"$T" --batch --format tsv replay "$R/lo/lo-normal.pcap" >"$TMPD/file"
"$T" --batch --format tsv replay - <"$R/lo/lo-normal.pcap" >"$TMPD/stdin"
expect_status 0 $? "replay - reads standard input"
expect_same "$TMPD/file" "$TMPD/stdin" "replay - equals replay FILE"

# a BPF filter after the file; frame numbers still count every packet
out=$("$T" --batch --format tsv replay "$R/lo/lo-merged.pcapng" tcp and 'tcp[tcpflags] & tcp-fin != 0')
expect_status 0 $? "filter accepted"
[ "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" -eq 4 ] && pass || fail "filter keeps the 4 FIN segments: $out"
expect_match "$out" "	(FIN,ACK|FIN,PSH,ACK)	" "filter rows are FINs"
expect_match "$(printf '%s\n' "$out" | sed -n 2p | cut -f2)" "^(8|9|10|11)$" "filtered rows keep the file's frame numbers"
"$T" --batch replay "$R/lo/lo-normal.pcap" "port" "notaport" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "bad filter exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*lo-normal\.pcap: bad filter 'port notaport'" "bad filter named"

# --absolute prints the raw numbers; --stream N picks one stream
abs=$("$T" --batch --format tsv --absolute replay "$R/lo/lo-normal.pcap" | sed -n 2p | cut -f8)
raw=$(od -An -tu1 -j$((24 + 16 + 14 + 20 + 4)) -N4 "$R/lo/lo-normal.pcap" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
[ "$abs" = "$raw" ] && pass || fail "--absolute: SYN seq $abs, file says $raw"
out=$("$T" --batch --format tsv --stream 1 replay "$R/lo/lo-reuse.pcap" | tail -n +2 | cut -f1 | sort -u)
[ "$out" = 1 ] && pass || fail "--stream 1 prints only stream 1: $out"

# json rows carry the same keys as the TSV header
out=$("$T" --batch --format json replay "$R/lo/lo-refused.pcap")
expect_match "$out" '^\{"stream":0,"frame":2,"time":0\.0000[0-9]+,"dir":"S>C","src":"127\.0\.0\.1:[0-9]+","dst":"127\.0\.0\.1:[0-9]+","flags":"RST,ACK","seq":1,"ack":1,"len":0,"win":0,"client_state":"CLOSED","server_state":"CLOSED","notes":"","transitions":\[\{"host":"client","from":"SYN-SENT","to":"CLOSED","reason":"SYNSENT_RST","rfc":"3\.10\.7\.3"\}\]\}$' "json row"

# no file: the first bundled sample
"$T" --batch replay >"$TMPD/sample"
expect_status 0 $? "replay without a file opens the sample"
expect_match "$(cat "$TMPD/sample")" "-- stream 0: " "sample has a stream"

# a TCP fragment that cannot be reassembled is a note, not a row; this
# capture holds nothing else, so nothing is left to show (exit 1, below)
"$T" --batch replay "$R/bad/rpki-rtr-oobr.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "unreassembled fragment and nothing else: exit 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*rpki-rtr-oobr\.pcap: frame 1: note: IPv4 fragment cut off by the capture length$" "fragment noted with its frame"
expect_match "$(sed -n 2p "$TMPD/err")" "rpki-rtr-oobr\.pcap: no TCP stream in the capture$" "then: nothing to show"

# a file cut inside frame 6: frames 1-5 shown, the message names frame 6
head -c 500 "$R/lo/lo-normal.pcap" >"$TMPD/cut.pcap"
"$T" --batch --format tsv replay "$TMPD/cut.pcap" >"$TMPD/out" 2>"$TMPD/err"
expect_status 1 $? "cut file: exit 1"
[ "$(tail -n +2 "$TMPD/out" | cut -f2 | tr '\n' ' ')" = "1 2 3 4 5 " ] && pass || fail "cut file: frames 1-5 shown"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*cut\.pcap: frame 6: truncated dump file" "cut file: message names frame 6"
# libpcap's sentence stays English: in Chinese ours leads, libpcap's is quoted
"$T" --lang zh_CN --batch replay "$TMPD/cut.pcap" >/dev/null 2>"$TMPD/err"
expect_match "$(cat "$TMPD/err")" "cut\.pcap: 第 6 帧：无法读取（libpcap：truncated dump file" "cut file in Chinese: our sentence first"
printf 'not a capture\n' >"$TMPD/text.pcap"
"$T" --batch replay "$TMPD/text.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "not a capture: exit 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*text\.pcap: cannot read the capture: unknown file format$" "not a capture: one line"
"$T" --lang zh_CN --batch replay "$TMPD/text.pcap" >/dev/null 2>"$TMPD/err"
expect_match "$(cat "$TMPD/err")" "text\.pcap: 无法读取抓包文件（libpcap：unknown file format）$" "not a capture, in Chinese"

# an unsupported link type: one line, exit 1
"$T" --batch replay "$R/bad/kday6.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "unsupported link type: exit 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*kday6\.pcap: link type [0-9]+ is not supported$" "unsupported link type named"

# a missing file: one line, exit 1
"$T" --batch replay "$TMPD/nonexistent.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "missing file exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*nonexistent\.pcap: " "missing file named"

# an empty file, or empty standard input: "empty file", not libpcap's words
: >"$TMPD/empty.pcap"
"$T" --batch replay "$TMPD/empty.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "empty file exits 1"
[ "$(cat "$TMPD/err")" = "tcptutor: $TMPD/empty.pcap: empty file" ] && pass ||
	fail "empty file: $(cat "$TMPD/err")"
"$T" --batch replay - </dev/null >/dev/null 2>"$TMPD/err"
expect_status 1 $? "empty standard input exits 1"
[ "$(cat "$TMPD/err")" = "tcptutor: standard input: empty file" ] && pass ||
	fail "empty standard input: $(cat "$TMPD/err")"
# standard input is named so in messages, not "-"
"$T" --batch --format tsv replay - <"$TMPD/cut.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "cut standard input: exit 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: standard input: frame 6: truncated dump file" \
	"cut standard input: named 'standard input'"

# nothing to show is an error, the same in batch as on screen (replay-tui.sh):
# one message, exit 1, and nothing on standard output (no table's header
# without its table)
for fmt in tsv text json; do
	"$T" --batch --format $fmt replay "$R/bad/arp-oobr.pcap" >"$TMPD/out" 2>"$TMPD/err"
	expect_status 1 $? "$fmt: no TCP at all: exit 1"
	[ ! -s "$TMPD/out" ] && pass || fail "$fmt: no TCP at all: nothing on standard output"
	[ "$(cat "$TMPD/err")" = "tcptutor: $R/bad/arp-oobr.pcap: no TCP stream in the capture" ] &&
		pass || fail "$fmt: no TCP at all: $(cat "$TMPD/err")"
done
"$T" --batch --format tsv replay "$R/lo/lo-normal.pcap" udp >"$TMPD/out" 2>"$TMPD/err"
expect_status 1 $? "a filter that leaves no TCP: exit 1"
[ "$(cat "$TMPD/err")" = "tcptutor: $R/lo/lo-normal.pcap: no TCP stream passes the filter 'udp'" ] &&
	pass || fail "a filter that leaves no TCP: $(cat "$TMPD/err")"
"$T" --batch --format tsv --stream 7 replay "$R/lo/lo-reuse.pcap" >"$TMPD/out" 2>"$TMPD/err"
expect_status 1 $? "--stream 7 of 2: exit 1"
[ ! -s "$TMPD/out" ] && pass || fail "--stream 7 of 2: nothing on standard output"
[ "$(cat "$TMPD/err")" = "tcptutor: $R/lo/lo-reuse.pcap: no stream 7 (the capture's streams are 0 to 1)" ] &&
	pass || fail "--stream 7 of 2: $(cat "$TMPD/err")"
"$T" --batch --streams --stream 7 replay "$R/lo/lo-reuse.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "--streams --stream 7 of 2: exit 1"
expect_match "$(cat "$TMPD/err")" "no stream 7 \(the capture's streams are 0 to 1\)$" "--streams --stream 7: the message"
"$T" --batch --stream 3 replay "$R/lo/lo-normal.pcap" >/dev/null 2>"$TMPD/err"
expect_match "$(cat "$TMPD/err")" "no stream 3 \(the capture has one stream, 0\)$" "--stream 3 of 1: the message"
"$T" --batch --streams replay "$R/bad/arp-oobr.pcap" >/dev/null 2>"$TMPD/err"
expect_status 1 $? "--streams, no TCP: exit 1"
expect_match "$(cat "$TMPD/err")" "no TCP stream in the capture$" "--streams, no TCP: the message"

# rows from a pipe come as the packets do: written while the pipe is still
# open (tcpdump -U -w - | tcptutor replay --batch -), not when it closes
: >"$TMPD/live"
( cat "$R/lo/lo-normal.pcap"; while [ ! -e "$TMPD/done" ]; do sleep 0.1; done ) |
	"$T" --batch --format tsv replay - >"$TMPD/live" 2>&1 &
n=0
while [ "$(wc -l <"$TMPD/live")" -lt 11 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
rows=$(wc -l <"$TMPD/live")
touch "$TMPD/done"
wait
[ "$rows" -eq 11 ] && pass || fail "piped input: $rows of 11 lines written while the pipe was open"
# a file is read through a big buffer: a few reads for megabytes, not one
# every 4 KiB (stdio's size when it is given none of its own)
if command -v strace >/dev/null 2>&1; then
	src="$R/lo/lo-normal.pcap"
	{ head -c 24 "$src"; i=0; while [ $i -lt 4000 ]; do tail -c +25 "$src"; i=$((i + 1)); done; } \
		>"$TMPD/big.pcap"
	size=$(wc -c <"$TMPD/big.pcap")
	strace -f -e trace=openat,read -o "$TMPD/strace" "$T" --batch --streams replay \
		"$TMPD/big.pcap" >/dev/null 2>&1
	fd=$(sed -n 's/.*openat(.*big\.pcap", .*) = \([0-9]*\)$/\1/p' "$TMPD/strace" | head -n 1)
	reads=$(grep -c "read(${fd:-none}, " "$TMPD/strace")
	[ "$reads" -lt $((size / 65536 + 100)) ] && pass "a big capture in few read calls ($reads)" ||
		fail "a $size-byte capture took $reads read calls"
else
	skip "no strace"
fi
# read-ahead hands results over 256 at a time: a capture whose segments and
# end fill its blocks exactly ends as any other (it once waited for ever)
for n in 255 256 511; do
	python3 - "$R/lo/lo-normal.pcap" "$TMPD/n$n.pcap" "$n" <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off + 16 <= len(src):
    incl = struct.unpack_from("<I", src, off + 8)[0]
    recs.append(src[off:off + 16 + incl])
    off += 16 + incl
with open(sys.argv[2], "wb") as f:
    f.write(src[:24])
    for i in range(int(sys.argv[3])):
        f.write(recs[i % len(recs)])
PY
	timeout 60 "$T" --batch --format tsv replay "$TMPD/n$n.pcap" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	rows=$(($(wc -l <"$TMPD/out") - 1))
	[ $rc -eq 0 ] && [ $rows -eq "$n" ] && pass "$n segments: all $n rows, exit 0" ||
		fail "$n segments: exit $rc, $rows rows"
done
# Linux answering a scripted peer (tests/replay/peer/SOURCES): the states
# each row shows, client then server, are those the kernel went through
P=${top_srcdir:-.}/tests/replay/peer
for c in "ack-unsent:SYN-SENT/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/ESTABLISHED ESTABLISHED/ESTABLISHED ESTABLISHED/ESTABLISHED ESTABLISHED/ESTABLISHED ESTABLISHED/ESTABLISHED ESTABLISHED/ESTABLISHED CLOSED/CLOSED:an ACK of data never sent invents none" \
	"synrcvd-bad-ack:SYN-SENT/SYN-RECEIVED SYN-SENT/SYN-RECEIVED SYN-SENT/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED:a bad ACK in SYN-RECEIVED is answered, not taken" \
	"fin-beyond-hole:SYN-SENT/SYN-RECEIVED ESTABLISHED/SYN-RECEIVED ESTABLISHED/ESTABLISHED FIN-WAIT-1/ESTABLISHED FIN-WAIT-1/ESTABLISHED FIN-WAIT-1/CLOSE-WAIT FIN-WAIT-2/CLOSE-WAIT TIME-WAIT/LAST-ACK TIME-WAIT/CLOSED:a FIN beyond a hole waits for it"; do
	name=${c%%:*}; rest=${c#*:}; want=${rest%%:*}; what=${rest#*:}
	got=$("$T" --batch --format tsv replay "$P/$name.pcap" | awk -F'\t' 'NR > 1 { printf "%s%s/%s", (NR > 2 ? " " : ""), $12, $13 }')
	[ "$got" = "$want" ] && pass "peer/$name: $what" || fail "peer/$name: $what: $got"
done
# a frame that cannot be shown is noted in its place among the rows (with
# standard error and output together), not as soon as it is read, before
# the rows ahead of it are out: frame 5's TCP data offset made 1
python3 - "$R/lo/lo-normal.pcap" "$TMPD/note5.pcap" <<'PY'
import struct, sys
d, off = bytearray(open(sys.argv[1], "rb").read()), 24
for i in range(1, 6):
    incl = struct.unpack_from("<I", d, off + 8)[0]
    if i == 5:
        d[off + 16 + 14 + 20 + 12] = 0x10
    off += 16 + incl
open(sys.argv[2], "wb").write(d)
PY
for how in file pipe; do
	if [ $how = file ]; then
		"$T" --batch --format tsv replay "$TMPD/note5.pcap" >"$TMPD/both" 2>&1
	else
		"$T" --batch --format tsv replay - <"$TMPD/note5.pcap" >"$TMPD/both" 2>&1
	fi
	order=$(awk -F'\t' '/frame 5: note/ { print "note"; next } NR > 1 { print $2 }' "$TMPD/both" |
		head -n 6 | tr '\n' ' ')
	[ "$order" = "1 2 3 4 note 6 " ] && pass "$how: the note between rows 4 and 6" ||
		fail "$how: the note's place: $order"
done
"$T" --batch --streams replay "$TMPD/note5.pcap" >"$TMPD/both" 2>&1
expect_match "$(head -n 1 "$TMPD/both")" "frame 5: note: TCP data offset below 5$" "--streams: the note before the table"
# a big --streams table is made by two threads, a chunk each in turn: the
# same lines, in stream order, as each stream's own table gives
syn_capture "$TMPD/many.pcap" 5000
"$T" --batch --streams --format tsv replay "$TMPD/many.pcap" >"$TMPD/all" 2>&1
[ "$(wc -l <"$TMPD/all")" -eq 5001 ] &&
	[ "$(awk -F'\t' 'NR > 1 && $1 != NR - 2' "$TMPD/all" | wc -l)" -eq 0 ] &&
	pass "5,000 streams: 5,000 lines, in stream order" || fail "5,000 streams: $(head -3 "$TMPD/all")"
for k in 0 255 256 511 4095 4999; do
	"$T" --batch --streams --stream $k --format tsv replay "$TMPD/many.pcap" | tail -n 1 >"$TMPD/one"
	sed -n "$((k + 2))p" "$TMPD/all" | cmp -s - "$TMPD/one" && pass "5,000 streams: line $k" ||
		fail "5,000 streams: line $k is not stream $k's own"
done
# output that cannot be written (a full disk): said, and exit 1
if [ -w /dev/full ]; then
	for mode in "--format tsv" "--streams --format tsv" "--format json"; do
		"$T" --batch $mode replay "$R/lo/lo-normal.pcap" >/dev/full 2>"$TMPD/err"
		expect_status 1 $? "$mode to a full disk: exit 1"
		expect_match "$(cat "$TMPD/err")" "^tcptutor: error writing output: " "$mode to a full disk: said"
	done
else
	skip "no /dev/full"
fi
finish

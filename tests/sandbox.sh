#!/bin/sh
# tests/sandbox.sh: 'tcptutor sandbox' in batch: scenario lines from stdin or
# a FILE become the segment table; bad lines are reported as FILE:LINE.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}

printf 'listen server\nconnect client\nrun\nsend client hello\nrun\nclose client\nrun\nreceive server\nclose server\nrun\n' > "$TMPD/close.txt"
out=$("$T" sandbox --format tsv < "$TMPD/close.txt"); expect_status 0 $? "batch from stdin"
expect_match "$out" "^stream	frame	time	dir	src	dst	flags	seq	ack	len	win	client_state	server_state	notes$" "TSV header"
expect_match "$out" "^0	1	0\.000000	C>S	192\.0\.2\.1:49152	198\.51\.100\.2:80	SYN	0	-	0	" "first row: the SYN"
expect_match "$out" "	PSH,ACK	1	1	5	.*	ESTABLISHED	ESTABLISHED	$" "data row, relative numbers"
expect_match "$out" "	ACK	7	2	0	.*	TIME-WAIT	CLOSED	$" "last row: the client waits in TIME-WAIT"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 10 ] && pass || fail "one header and nine segment rows"
out2=$("$T" sandbox --format tsv "$TMPD/close.txt"); expect_status 0 $? "batch from a FILE"
[ "$out" = "$out2" ] && pass || fail "FILE and stdin give the same table"
out=$("$T" sandbox --format json < "$TMPD/close.txt")
expect_match "$out" '^\{"stream":0,"frame":1,.*"flags":"SYN","seq":0,"ack":null' "JSON rows"
out=$("$T" sandbox --absolute --format tsv < "$TMPD/close.txt")
expect_match "$out" "	SYN	1000	-	" "--absolute prints the raw ISS"
out=$("$T" sandbox < "$TMPD/close.txt")
expect_match "$out" "client: CLOSED -> SYN-SENT" "text format shows the events"

printf 'listen server\nfrob client\n' | "$T" sandbox >/dev/null 2>"$TMPD/err"; expect_status 1 $? "unknown keyword exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: <stdin>:2: " "error names <stdin>:LINE"
printf 'listen server\ndeliver\n' | "$T" sandbox >/dev/null 2>"$TMPD/err"; expect_status 1 $? "impossible action exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: <stdin>:2: .*nothing on the wire" "the action's line is named once"
# --lang zh_CN: the scenario's errors in Chinese, the keywords as typed, the
# same FILE:LINE and the same exit status as in English
printf 'listen server\nadvance 1e10\n' > "$TMPD/long.scenario"
"$T" --batch sandbox "$TMPD/long.scenario" >/dev/null 2>&1; st_en=$?
"$T" --lang zh_CN --batch sandbox "$TMPD/long.scenario" >/dev/null 2>"$TMPD/err"; expect_status "$st_en" $? "zh_CN: a bad advance exits as in English"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*long\.scenario:2: “1e10”太长了：advance 最多 1000000000 秒$" "zh_CN: the advance error is Chinese"
printf 'listen server\nfrob client\n' > "$TMPD/frob.scenario"
"$T" --lang zh_CN --batch sandbox "$TMPD/frob.scenario" >/dev/null 2>"$TMPD/err"; expect_status 1 $? "zh_CN: unknown keyword exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*frob\.scenario:2: 未知的关键字“frob”$" "zh_CN: unknown keyword in Chinese"
printf 'listen server\ndeliver\n' > "$TMPD/empty.scenario"
"$T" --lang zh_CN --batch sandbox "$TMPD/empty.scenario" >/dev/null 2>"$TMPD/err"; expect_status 1 $? "zh_CN: impossible action exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*empty\.scenario:2: deliver: 线路上没有可投递的报文段$" "zh_CN: the simulator's error in Chinese"
"$T" sandbox "$TMPD/nonexistent" >/dev/null 2>"$TMPD/err"; expect_status 1 $? "missing FILE exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*nonexistent: cannot open" "missing FILE named"
"$T" sandbox a b >/dev/null 2>&1; expect_status 2 $? "two FILEs: usage error"
finish

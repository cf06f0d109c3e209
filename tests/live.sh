#!/bin/sh
# tests/live.sh: tcptutor live on loopback. As root with tcpdump and python3
# (else skipped, saying why): real conversations of this kernel (a normal
# one, a refused one, a reset, a half-close, a simultaneous close) while
# `live --batch` and tcpdump both capture them; the rows equal those of
# replaying tcpdump's file, and the kernel's columns agree with the inferred
# states at the end of every connection (or differ in a known Linux way,
# noted kernel-differs); tcp:tcp_probe's figures on a transfer. Then --count, --seconds, Ctrl-C, the privilege
# drop (ids read from /proc/PID/status), no privilege at all, and
# `live -- COMMAND` following only the command's connection.
# Nothing waits on a clock: every wait is for a condition, with a generous
# time-out.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests
TALK=$R/replay/record/talk.py

# usage errors come first: they need no privilege
"$T" live --count x >/dev/null 2>"$TMPD/err"; expect_status 2 $? "--count x"
"$T" live --seconds -1 >/dev/null 2>"$TMPD/err"; expect_status 2 $? "--seconds -1"
"$T" replay -i lo >/dev/null 2>"$TMPD/err"; expect_status 2 $? "-i outside live"
expect_match "$(cat "$TMPD/err")" "are for 'live'" "-i outside live: said"

if [ "$(id -u)" -ne 0 ]; then
	skip_rest "live capture tests need root (CI runs them as root)"
fi
for c in tcpdump python3; do
	command -v $c >/dev/null || skip_rest "$c is not installed"
done
# tests as root may mount tracefs (the program itself never does)
if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
		echo "note: tracefs could not be mounted: kernel states from sock_diag" >&2
fi

# waits (up to 60 s) until file $1 matches $2
wait_for() {
	i=0
	until grep -q -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { fail "waited in vain for '$2' in $1: $(cat "$1")"; return 1; }
		sleep 0.1
	done
}
# waits (up to 60 s) for process $1 to end; its status in $st
wait_end() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { kill -9 "$1"; fail "process $1 did not end"; break; }
		sleep 0.1
	done
	wait "$1"
	st=$?
}

P=$((33000 + $$ % 1000 * 2))

# ---- the conversations, captured twice --------------------------------------
tcpdump -i lo --immediate-mode -U --time-stamp-precision=nano -w "$TMPD/td.pcap" \
	"tcp port $P" 2>"$TMPD/td.log" &
td=$!
"$T" live --batch --format tsv --seconds 3600 -i lo tcp port $P >"$TMPD/live.tsv" 2>"$TMPD/live.err" &
lv=$!
wait_for "$TMPD/td.log" listening
wait_for "$TMPD/live.err" "capturing on lo"
for sc in normal refused abort half_close simultaneous_close; do
	# crossed FINs are up to the kernel: a close that did not cross is a
	# normal close, shown all the same
	python3 "$TALK" $sc $P
	s=$?
	[ $s -eq 0 ] || [ $s -eq 3 ] || fail "talk.py $sc: status $s"
done
kill -INT $lv
wait_end $lv
expect_status 0 $st "live: Ctrl-C ends it"
kill -INT $td
wait $td
# the columns of replay; kernel-differs is live's own note; the time column
# is left out, as each packet socket stamps a packet itself (tcpdump's and
# ours differ by a microsecond here and there)
"$T" --batch --format tsv replay "$TMPD/td.pcap" | cut -f 1,2,4-14 >"$TMPD/replay.tsv"
awk -F'\t' -v OFS='\t' '{ n = $14; gsub(/(^|,)kernel-differs/, "", n); sub(/^,/, "", n); $14 = n
	NF = 14; print }' "$TMPD/live.tsv" | cut -f 1,2,4-14 >"$TMPD/live14.tsv"
if cmp -s "$TMPD/replay.tsv" "$TMPD/live14.tsv"; then
	pass
else
	# two segments sent at the same moment from two CPUs (crossed FINs, the
	# ACKs of crossed FINs) may reach two packet sockets in either order;
	# then the states follow the order seen. Such rows must still be the
	# same segments: the same lines once the frame and state columns go
	cut -f 1,3-10 "$TMPD/replay.tsv" | sort >"$TMPD/r.sorted"
	cut -f 1,3-10 "$TMPD/live14.tsv" | sort >"$TMPD/l.sorted"
	expect_same "$TMPD/r.sorted" "$TMPD/l.sorted" "live rows = replay of tcpdump's capture (segments)"
	# and only rows of a simultaneous close (both sides FIN'd at once) moved
	moved=$(diff "$TMPD/replay.tsv" "$TMPD/live14.tsv" | awk -F'\t' '/^[<>]/ { print substr($1, 3) }' |
		sort -u)
	for s in $moved; do
		awk -F'\t' -v s="$s" '$1 == s && $6 ~ /FIN/' "$TMPD/replay.tsv" | cut -f 3 | sort -u | wc -l |
			grep -qx 2 && pass || fail "stream $s differs from tcpdump's, not a simultaneous close:
$(diff "$TMPD/replay.tsv" "$TMPD/live14.tsv")"
	done
	echo "note: segments sent at once came in another order than tcpdump saw them" >&2
fi
expect_match "$(head -n 1 "$TMPD/live.tsv")" \
	"^stream	frame	time	dir	src	dst	flags	seq	ack	len	win	client_state	server_state	notes	client_kernel	server_kernel	client_probe	server_probe$" \
	"live TSV header"
n=$(tail -n +2 "$TMPD/live.tsv" | cut -f1 | sort -u | wc -l)
[ "$n" -ge 5 ] && pass || fail "live: $n streams, want 5"
# the kernel at the end of every connection: as inferred, or the TIME-WAIT
# mini-socket (the tracepoint says CLOSED), noted
bad=$(awk -F'\t' 'NR > 1 { last[$1] = $0 } END { for (s in last) { split(last[s], f, "\t")
	for (h = 0; h < 2; h++) { inf = f[12 + h]; k = f[15 + h]
		if (k == inf) continue
		if (inf == "TIME-WAIT" && k == "CLOSED" && f[14] ~ /kernel-differs/) continue
		print "stream " s " " (h ? "server" : "client") ": inferred " inf ", kernel " k } } }' \
	"$TMPD/live.tsv")
[ -z "$bad" ] && pass || fail "kernel and inference at the end: $bad
$(cat "$TMPD/live.tsv")"
if grep -q "tracepoint" "$TMPD/live.err"; then
	# the half-open request socket: the server is LISTEN to the kernel
	expect_match "$(awk -F'\t' '$7 == "SYN,ACK"' "$TMPD/live.tsv" | head -n 1)" \
		"SYN-RECEIVED	kernel-differs	ESTABLISHED	LISTEN	-	-$|SYN-RECEIVED	kernel-differs	SYN-SENT	LISTEN	-	-$" \
		"the request socket noted"
fi
# a refused connection ends CLOSED on both sides, for both
expect_match "$(awk -F'\t' '$7 ~ /RST/' "$TMPD/live.tsv")" "CLOSED	CLOSED	[a-z,-]*	CLOSED	CLOSED	[^	]*	[^	]*$" \
	"refused/reset: CLOSED everywhere"

# ---- tcp:tcp_probe: the kernel's own cwnd, ssthresh, srtt, snd_wnd ----------
# It fires at the socket a segment reaches (in ESTABLISHED): a row's figures
# are the receiver's, in its own column; plausible, not exact, numbers
if [ -e /sys/kernel/tracing/events/tcp/tcp_probe/format ] ||
	[ -e /sys/kernel/debug/tracing/events/tcp/tcp_probe/format ]; then
	"$T" live --batch --format tsv --seconds 3600 -i lo tcp port $P >"$TMPD/probe.tsv" \
		2>"$TMPD/probe.err" &
	lv=$!
	wait_for "$TMPD/probe.err" "capturing on lo"
	expect_match "$(cat "$TMPD/probe.err")" "figures from tcp:tcp_probe" "tcp_probe: said to be on"
	python3 "$R/live/bulk.py" $P 64000 || fail "bulk.py: the transfer failed"
	kill -INT $lv
	wait_end $lv
	# S>C rows reach the client (column 17), C>S rows the server (18)
	bad=$(awk -F'\t' 'NR > 1 { mine = $4 == "S>C" ? $17 : $18; other = $4 == "S>C" ? $18 : $17
		if (other != "-") print "the sender has figures: " $0
		if (mine == "-") next
		if (mine !~ /^[0-9]+\/([0-9]+|-)\/[0-9]+\/[0-9]+$/) { print "form: " $0; next }
		split(mine, f, "/"); if (f[1] < 1 || f[3] <= 0 || f[4] <= 0) print "implausible: " $0
		if ($7 ~ /SYN/) print "a probe on a handshake segment: " $0 }' "$TMPD/probe.tsv")
	[ -z "$bad" ] && pass || fail "tcp_probe figures: $bad"
	n=$(awk -F'\t' 'NR > 1 && $4 == "S>C" && $10 > 0 && $17 != "-"' "$TMPD/probe.tsv" | wc -l)
	[ "$n" -ge 5 ] && pass || fail "tcp_probe: $n data rows with the client's figures
$(cat "$TMPD/probe.tsv")"
	n=$(awk -F'\t' 'NR > 1 && $4 == "C>S" && $10 == 0 && $18 != "-"' "$TMPD/probe.tsv" | wc -l)
	[ "$n" -ge 5 ] && pass || fail "tcp_probe: $n ACK rows with the server's (the sender's) figures
$(cat "$TMPD/probe.tsv")"
else
	echo "note: this kernel has no tcp:tcp_probe: its figures are not tested" >&2
fi

# text and JSON carry the same view
"$T" live --batch --format json --count 10 -i lo tcp port $P >"$TMPD/live.json" 2>"$TMPD/j.err" &
lv=$!
wait_for "$TMPD/j.err" "capturing on lo"
python3 "$TALK" normal $P
wait_end $lv
expect_status 0 $st "--count 10 ends by itself"
[ "$(wc -l <"$TMPD/live.json")" -eq 10 ] && pass || fail "--count 10: $(cat "$TMPD/live.json")"
expect_match "$(tail -n 1 "$TMPD/live.json")" '"client_state":"TIME-WAIT","server_state":"CLOSED",.*"client_kernel":"CLOSED","server_kernel":"CLOSED","kernel_why":"Linux hands TIME-WAIT' \
	"JSON: kernel columns and why"
if grep -q "tcp:tcp_probe" "$TMPD/j.err"; then
	expect_match "$(grep '"dir":"C>S"' "$TMPD/live.json" | grep '"len":[1-9]' | head -n 1)" \
		'"client_probe":null,"server_probe":\{"cwnd":[1-9][0-9]*,"ssthresh":(null|[0-9]+),"srtt_us":[1-9][0-9]*,"snd_wnd":[1-9][0-9]*\}' \
		"JSON: the server's figures where the client's data arrived"
fi

# --streams at the end
"$T" live --streams --format tsv --count 10 -i lo tcp port $P >"$TMPD/streams.tsv" 2>"$TMPD/s.err" &
lv=$!
wait_for "$TMPD/s.err" "capturing on lo"
python3 "$TALK" normal $P
wait_end $lv
expect_match "$(cat "$TMPD/streams.tsv")" "^0	127\\.0\\.0\\.1:[0-9]+	127\\.0\\.0\\.1:$P	10	yes	fin	TIME-WAIT	CLOSED$" \
	"--streams"

# --seconds ends it with nothing seen: the header only
"$T" live --batch --format tsv --seconds 0.5 -i lo tcp port $((P + 1)) >"$TMPD/none.tsv" 2>"$TMPD/n.err"
expect_status 0 $? "--seconds 0.5"
[ "$(wc -l <"$TMPD/none.tsv")" -eq 1 ] && pass || fail "--seconds: $(cat "$TMPD/none.tsv")"
"$T" live --batch --seconds 1 -i no-such-if0 >/dev/null 2>"$TMPD/err"
expect_status 1 $? "no such interface"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*no-such-if0" "no such interface: said"
"$T" live --batch --seconds 1 -i lo 'port nonsense' >/dev/null 2>"$TMPD/err"
expect_status 1 $? "bad filter"

# ---- privileges: dropped to the invoking user before the first packet -------
check_ids() { # pid uid gid what
	u=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$1/status")
	g=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$1/status")
	[ "$u" = "$2 $2 $2 $2" ] && [ "$g" = "$3 $3 $3 $3" ] && pass ||
		fail "$4: Uid $u, Gid $g; want $2, $3"
}
SUDO_UID=65534 SUDO_GID=65534 "$T" live --batch --format tsv --seconds 3600 -i lo tcp port $P \
	>"$TMPD/sudo.tsv" 2>"$TMPD/sudo.err" &
lv=$!
wait_for "$TMPD/sudo.err" "capturing on lo"
check_ids $lv 65534 65534 "SUDO_UID"
python3 "$TALK" normal $P
kill -INT $lv
wait_end $lv
[ "$(tail -n +2 "$TMPD/sudo.tsv" | wc -l)" -eq 10 ] && pass || fail "dropped, still capturing: $(cat "$TMPD/sudo.tsv" "$TMPD/sudo.err")"
nobody=$(id -u nobody 2>/dev/null)
if [ -n "$nobody" ]; then
	"$T" live --batch --seconds 3600 --user nobody -i lo tcp port $P >/dev/null 2>"$TMPD/user.err" &
	lv=$!
	wait_for "$TMPD/user.err" "capturing on lo"
	check_ids $lv "$nobody" "$(id -g nobody)" "--user nobody"
	kill -INT $lv
	wait_end $lv
fi
"$T" live --batch --seconds 1 --user no-such-user-x >/dev/null 2>"$TMPD/err"
expect_status 1 $? "--user unknown"
expect_match "$(cat "$TMPD/err")" "no such user 'no-such-user-x'" "--user unknown: said"

# no privilege at all: what is missing and how to grant it, then the
# kernel's states alone
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$T" live --batch --seconds 0.5 \
		-i lo >"$TMPD/np.out" 2>"$TMPD/np.err"
	expect_status 0 $? "unprivileged"
	expect_match "$(cat "$TMPD/np.err")" "CAP_NET_RAW.*sudo.*setcap cap_net_raw\\+ep" "unprivileged: how to grant it"
	expect_match "$(cat "$TMPD/np.err")" "sock_diag" "unprivileged: falls back to sock_diag"
fi

# ---- live -- COMMAND: only the command's connections ------------------------
python3 "$R/live/server.py" $P "$TMPD/ready" &
srv=$!
wait_for_file() { i=0; until [ -e "$1" ] || [ $i -ge 600 ]; do i=$((i + 1)); sleep 0.1; done; }
wait_for_file "$TMPD/ready"
"$T" live --batch --format tsv -i lo tcp -- python3 "$R/live/client.py" "$TMPD/go" $P \
	>"$TMPD/cmd.tsv" 2>"$TMPD/cmd.err" &
lv=$!
wait_for "$TMPD/cmd.err" "capturing on lo"
# a connection of someone else's, while the command waits
python3 "$TALK" normal $((P + 1))
python3 "$R/live/client.py" "$TMPD/ready" $P     # not the command: not followed
: >"$TMPD/go"
wait_end $lv
expect_status 0 $st "live -- COMMAND ends after the command"
kill $srv 2>/dev/null
wait $srv 2>/dev/null
n=$(tail -n +2 "$TMPD/cmd.tsv" | cut -f1 | sort -u | wc -l)
[ "$n" -eq 1 ] && pass || fail "live -- COMMAND: $n streams, want 1: $(cat "$TMPD/cmd.tsv" "$TMPD/cmd.err")"
expect_match "$(tail -n 1 "$TMPD/cmd.tsv")" "^0	" "live -- COMMAND: numbered from 0"
bad=$(tail -n +2 "$TMPD/cmd.tsv" | awk -F'\t' -v p=":$P" '$5 !~ p"$" && $6 !~ p"$"')
[ -z "$bad" ] && pass || fail "live -- COMMAND followed others: $bad"
"$T" live --batch --seconds 5 -i lo -- /no/such/command >/dev/null 2>"$TMPD/err"
expect_match "$(cat "$TMPD/err")" "cannot run '/no/such/command'" "live -- missing command"

# tracefs is left as it was: the instances of the runs above are gone
left() {
	for d in /sys/kernel/tracing/instances/tcptutor-*; do
		[ -d "$d" ] || continue
		kill -0 "${d##*-}" 2>/dev/null || echo "$d"
	done
}
i=0
while [ -n "$(left)" ] && [ $i -lt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
[ -z "$(left)" ] && pass || fail "tracefs instances left: $(left)"
finish

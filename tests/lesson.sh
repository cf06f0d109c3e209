#!/bin/sh
# tests/lesson.sh: every bundled lesson against its goldens (text in English
# and Chinese, TSV), the list, both languages on the same steps, RFC 9293
# state paths in the tables, and broken lessons reported as FILE:LINE.
# UPDATE_GOLDENS=1 rewrites the goldens from the current engine.
. "${top_srcdir:-.}/tests/lib.sh"
T="$top_srcdir/tests/lessons"
export TCPTUTOR_DATADIR="${TCPTUTOR_DATADIR:-$top_srcdir}"

golden() { # want-file got-file description
	if [ "${UPDATE_GOLDENS:-0}" = 1 ]; then cp "$2" "$1"; pass; else expect_same "$1" "$2" "$3"; fi
}

# RFC 9293 Figure 5 transitions a table row may show between two rows of the
# same host (any state may also drop to CLOSED on RST or ABORT).
cat > "$TMPD/edges" <<'EOF2'
CLOSED LISTEN
CLOSED SYN-SENT
CLOSED SYN-RECEIVED
LISTEN SYN-RECEIVED
LISTEN SYN-SENT
SYN-SENT SYN-RECEIVED
SYN-SENT ESTABLISHED
SYN-RECEIVED ESTABLISHED
SYN-RECEIVED LISTEN
SYN-RECEIVED FIN-WAIT-1
SYN-RECEIVED CLOSE-WAIT
ESTABLISHED FIN-WAIT-1
ESTABLISHED CLOSE-WAIT
FIN-WAIT-1 FIN-WAIT-2
FIN-WAIT-1 CLOSING
FIN-WAIT-1 TIME-WAIT
FIN-WAIT-2 TIME-WAIT
CLOSE-WAIT LAST-ACK
CLOSING TIME-WAIT
LAST-ACK CLOSED
TIME-WAIT CLOSED
EOF2

# Prints "stream host from to" for every state change between rows that is
# not an RFC 9293 transition.
bad_paths() {
	awk -F'\t' -v skip="$2" 'NR == FNR { ok[$0] = 1; next }
	FNR == 1 { next }
	{
		if (skip != "" && $1 == skip) next
		for (h = 0; h < 2; h++) {
			st = $(12 + h); k = $1 ":" h
			prev = (k in last) ? last[k] : "CLOSED"
			# between two rows a user call (OPEN, CLOSE) may have moved
			# the host one state further without a segment of its own
			via = 0
			split("LISTEN SYN-SENT FIN-WAIT-1 LAST-ACK", calls, " ")
			for (i in calls)
				if (((prev " " calls[i]) in ok) && ((calls[i] " " st) in ok))
					via = 1
			if (st != prev && st != "CLOSED" && !((prev " " st) in ok) && !via)
				print $1, (h ? "server" : "client"), prev, st
			last[k] = st
		}
	}' "$TMPD/edges" "$1"
}

# The state path of one host in one stream, repeated states folded.
path() { # tsv stream column
	awk -F'\t' -v s="$2" -v c="$3" 'FNR > 1 && $1 == s && $c != last { printf "%s ", $c; last = $c }' "$1"
}

n=0
for f in "$top_srcdir"/lessons/*.lesson; do
	name=$(basename "$f" .lesson)
	n=$((n + 1))
	for lang in en zh_CN; do
		"$TCPTUTOR" lesson "$name" --batch --lang "$lang" > "$TMPD/$name.$lang.txt" 2> "$TMPD/err"
		expect_status 0 $? "lesson $name --lang $lang"
		golden "$T/$name.$lang.txt" "$TMPD/$name.$lang.txt" "lesson $name ($lang) differs from its golden"
	done
	"$TCPTUTOR" lesson "$name" --batch --format tsv > "$TMPD/$name.tsv"
	expect_status 0 $? "lesson $name --format tsv"
	golden "$T/$name.tsv" "$TMPD/$name.tsv" "lesson $name (tsv) differs from its golden"
	"$TCPTUTOR" lesson "$name" --batch --format json > "$TMPD/$name.json"
	expect_status 0 $? "lesson $name --format json"
	rows=$(($(wc -l < "$TMPD/$name.tsv") - 1))
	expect_status "$rows" "$(wc -l < "$TMPD/$name.json")" "lesson $name: json rows"

	# Both languages walk the same steps: same table rows, same checkpoints
	# with the same answers, and the same number of narrated paragraphs.
	grep -E '^ +[0-9]+ +[0-9]+\.[0-9]{6} [CS]>' "$TMPD/$name.en.txt" > "$TMPD/rows.en"
	grep -E '^ +[0-9]+ +[0-9]+\.[0-9]{6} [CS]>' "$TMPD/$name.zh_CN.txt" > "$TMPD/rows.zh"
	expect_same "$TMPD/rows.en" "$TMPD/rows.zh" "lesson $name: the two languages show different rows"
	grep -E '^    a\) ' "$TMPD/$name.en.txt" > "$TMPD/ch.en"
	grep -E '^    a\) ' "$TMPD/$name.zh_CN.txt" > "$TMPD/ch.zh"
	expect_same "$TMPD/ch.en" "$TMPD/ch.zh" "lesson $name: the two languages offer different choices"
	a_en=$(grep -c '^? ' "$TMPD/$name.en.txt"); a_zh=$(grep -c '^? ' "$TMPD/$name.zh_CN.txt")
	expect_status "$a_en" "$a_zh" "lesson $name: checkpoints per language"
	[ "$a_en" -gt 0 ] && pass || fail "lesson $name has no checkpoint"
	expect_status "$rows" "$(grep -c . "$TMPD/rows.en")" "lesson $name: text and tsv rows"

	# Every state change in the table follows RFC 9293 (the what-if stream
	# of why-three deliberately breaks the rule and is left out).
	skip=""; [ "$name" = why-three ] && skip=2
	out=$(bad_paths "$TMPD/$name.tsv" "$skip")
	[ -z "$out" ] && pass || fail "lesson $name: transitions not in RFC 9293: $out"
done
[ "$n" -ge 6 ] && pass || fail "only $n lessons found"

# Specific RFC paths the lessons teach.
expect_match "$(path "$TMPD/header.tsv" 0 12)" "ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT" "header: the active closer"
expect_match "$(path "$TMPD/header.tsv" 0 13)" "ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED" "header: the passive closer"
expect_match "$(path "$TMPD/errors.tsv" 2 12)" "SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 CLOSING TIME-WAIT" "errors: simultaneous open and close (client)"
expect_match "$(path "$TMPD/errors.tsv" 2 13)" "SYN-RECEIVED ESTABLISHED CLOSING TIME-WAIT" "errors: simultaneous open and close (server)"
expect_match "$(path "$TMPD/handshake.tsv" 0 13)" "^SYN-RECEIVED ESTABLISHED" "handshake: the passive opener"
expect_match "$(path "$TMPD/why-three.tsv" 1 13)" "SYN-RECEIVED LISTEN SYN-RECEIVED ESTABLISHED" "why-three: an old SYN sends the server back to LISTEN"
expect_match "$(awk -F'\t' '$1 == 2' "$TMPD/why-three.tsv" | head -1)" "CLOSED	ESTABLISHED" "why-three: the two-way what-if"

# listen-queues: the third connection's final ACK meets a full accept queue
# (stream 2: ignored, its SYN,ACK sent twice more; stream 5: answered with a
# RST); the real client behind a SYN flood (stream 10) sends its SYN four
# times; the one behind SYN cookies (stream 15) goes from LISTEN straight to
# ESTABLISHED and gets segments of the MSS the cookie kept.
flags_of() { awk -F'\t' -v s="$2" 'FNR > 1 && $1 == s { printf "%s ", $7 }' "$1"; }
LQ="$TMPD/listen-queues.tsv"
expect_match "$(path "$LQ" 2 13)" "^SYN-RECEIVED ESTABLISHED $" "listen-queues: an ignored final ACK leaves the server in SYN-RECEIVED"
expect_match "$(flags_of "$LQ" 2)" "^SYN SYN,ACK ACK SYN,ACK ACK SYN,ACK ACK $" "listen-queues: the SYN,ACK sent again while the accept queue is full"
expect_match "$(flags_of "$LQ" 5)" "^SYN SYN,ACK ACK RST $" "listen-queues: tcp_abort_on_overflow answers the final ACK with a RST"
expect_match "$(path "$LQ" 5 12)" "^SYN-SENT ESTABLISHED CLOSED $" "listen-queues: the reset client had counted itself ESTABLISHED"
expect_match "$(flags_of "$LQ" 10)" "^SYN SYN SYN SYN SYN,ACK ACK $" "listen-queues: the real client's SYN dropped three times behind the flood"
expect_match "$(path "$LQ" 15 13)" "^LISTEN ESTABLISHED $" "listen-queues: a SYN cookie keeps the listener in LISTEN until the ACK"
expect_match "$(awk -F'\t' 'FNR > 1 && $1 == 15 && $4 == "S>C" && $10 > 0 { print $10 }' "$LQ" | tr '\n' ' ')" "^1300 100 $" "listen-queues: the cookie's MSS (1400 rounded down to 1300)"

# The teardown's first scene: the client still reads the response after its
# FIN, so its application half-closes with shutdown(SHUT_WR); a close() there
# would answer the response with a RST (RFC 2525 §2.17). The text shown with
# the client's FIN (from the step before it up to its FIN-WAIT-1 event) must
# name shutdown(SHUT_WR), and no text of that scene may have the client call
# close(). English lines are joined with blanks, Chinese ones without.
fin_text() { # text-file: what is shown with the step that sends the client's FIN
	awk '/^     / { if (index($0, "client: ESTABLISHED -> FIN-WAIT-1") || index($0, "客户端: ESTABLISHED -> FIN-WAIT-1")) { printf "%s", buf; found = 1; exit } buf = ""; next }
	{ buf = buf $0 "\n" } END { if (!found) print "NO FIN-WAIT-1 EVENT" }' "$1"
}
scene0_text() { # text-file end-marker: the first scene, up to the second one's narration
	awk -v m="$2" 'index($0, m) { exit } { print }' "$1"
}
for lang in en zh_CN; do
	if [ "$lang" = en ]; then
		join='tr "\n" " "'; marker="Second scene"
		close_re="[Cc]lient('s application)? (now |then |also )?(calls|called) close\(\)"
	else
		join='tr -d "\n"'; marker="第二个场景"
		close_re="客户端(的)?(应用程序|应用)?(也|便|就)?(调用了|调用) ?close\(\)"
	fi
	at_fin=$(fin_text "$TMPD/teardown.$lang.txt" | eval "$join")
	expect_match "$at_fin" "shutdown\(SHUT_WR\)" "teardown ($lang): the client's FIN step names shutdown(SHUT_WR)"
	expect_match "$(cat "$TMPD/teardown.$lang.txt")" "$marker" "teardown ($lang): the second scene begins with '$marker'"
	scene0=$(scene0_text "$TMPD/teardown.$lang.txt" "$marker" | eval "$join")
	if printf '%s\n' "$scene0" | grep -Eq -- "$close_re"; then
		fail "teardown ($lang): the first scene says the client calls close(): $(printf '%s\n' "$scene0" | grep -Eo -- ".{0,60}$close_re.{0,20}" | head -1)"
	else
		pass
	fi
done

# The list.
"$TCPTUTOR" lesson --list --batch --format tsv > "$TMPD/list.tsv"
expect_status 0 $? "lesson --list"
golden "$T/list.tsv" "$TMPD/list.tsv" "lesson --list differs from its golden"
expect_match "$(head -1 "$TMPD/list.tsv")" "^name	title	steps	checkpoints	languages$" "list header"
expect_status "$n" "$(($(wc -l < "$TMPD/list.tsv") - 1))" "one list row per lesson"
"$TCPTUTOR" lesson --list --batch --lang zh_CN > "$TMPD/list.txt"
expect_match "$(cat "$TMPD/list.txt")" "三次握手" "Chinese list"

# Broken lessons: FILE:LINE: message on stderr, exit 1, nothing on stdout.
while IFS= read -r want; do
	f=${want%%:*}
	out=$("$TCPTUTOR" lesson "$T/broken/$f" --batch 2> "$TMPD/err")
	st=$?
	expect_status 1 "$st" "broken $f"
	expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/broken/$(echo "$want" | sed 's/[][().*^$]/\\&/g')$" "broken $f message"
	[ -z "$out" ] && pass || fail "broken $f printed to stdout"
done < "$T/broken/expect.txt"

# The same under --lang zh_CN: the message in Chinese after the FILE:LINE:
# prefix (the keywords as the author types them), the exit status as in
# English.
while IFS= read -r want; do
	f=${want%%:*}
	"$TCPTUTOR" lesson "$T/broken/$f" --batch > /dev/null 2>&1
	st_en=$?
	out=$("$TCPTUTOR" --lang zh_CN lesson "$T/broken/$f" --batch 2> "$TMPD/err")
	expect_status "$st_en" $? "zh_CN: broken $f exits as in English"
	expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/broken/$(echo "$want" | sed 's/[][().*^$]/\\&/g')$" "zh_CN: broken $f message in Chinese"
	[ -z "$out" ] && pass || fail "zh_CN: broken $f printed to stdout"
done < "$T/broken/expect.zh_CN.txt"

# Usage errors.
"$TCPTUTOR" lesson no-such-lesson --batch > /dev/null 2> "$TMPD/err"
expect_status 2 $? "unknown lesson name"
expect_match "$(cat "$TMPD/err")" "no lesson named 'no-such-lesson'" "unknown lesson message"
"$TCPTUTOR" lesson handshake errors --batch > /dev/null 2>&1
expect_status 2 $? "two lessons at once"

finish

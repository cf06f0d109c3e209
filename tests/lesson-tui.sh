#!/bin/sh
# tests/lesson-tui.sh: what a new student and an instructor meet, through
# tmux: every checkpoint asked (also one before the first action) and none
# answered on screen before it is asked; the lesson list (scores, numbers,
# the first unfinished lesson, q in a lesson back to the list) from
# `tcptutor lesson` and from the menu, with the screen clean afterwards;
# replay's stream list; numbers never cut in the TCBs and the ladder; what
# a capture cannot know; the state diagram's shared state; the auto-play
# pace; the segment detail's direction.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay
A=${top_srcdir:-.}/assets
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE
unset NO_COLOR
# a learner of our own, so that earlier runs count for nothing
XDG_DATA_HOME="$TMPD/xdg"
export XDG_DATA_HOME

# Polls until the screen differs from $1 (at most TM_WAIT seconds).
tm_wait_change() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		[ "$(tm_screen)" != "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Polls until the screen is exactly the file $1 (at most TM_WAIT seconds).
tm_wait_same() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		tm_screen >"$TMPD/now"
		cmp -s "$1" "$TMPD/now" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The keys that answer lesson $1's checkpoints right, one line each: the
# number of the right choice, or "=NUMBER" for a typed answer.
answers() {
	"$T" lesson "$1" --batch --lang en | sed -n 's/^  Answer: \(.*\)$/\1/p' |
		awk '/^[a-h]\) / { print index("abcdefgh", substr($0, 1, 1)); next } { print "=" $1 }'
}

# Steps through the lesson on screen to its summary, answering every
# checkpoint from the file $1; prints how many were asked.
answer_all() {
	k=0
	i=0
	while [ $i -lt 200 ]; do
		scr=$(tm_screen)
		if printf '%s\n' "$scr" | grep -qF "Lesson finished:"; then
			break
		elif printf '%s\n' "$scr" | grep -qF "Press the number of your answer"; then
			k=$((k + 1))
			tm_keys "$(sed -n "${k}p" "$1")"
			tm_wait "Press n to see what happens." >/dev/null
		elif printf '%s\n' "$scr" | grep -qF "Press Enter to type your answer"; then
			k=$((k + 1))
			tm_keys Enter
			tm_wait "Your answer" >/dev/null
			tm_keys "$(sed -n "${k}p" "$1" | tr -d =)" Enter
			tm_wait "Press n to see what happens." >/dev/null
		else
			tm_keys n
			tm_wait_change "$scr" || break   # stuck: no summary comes
		fi
		i=$((i + 1))
	done
	echo "$k"
}

# ---- 1. a checkpoint before the first action is asked, with nothing shown --
answers handshake >"$TMPD/handshake.keys"
tm_open 80 24
tm_run "$T lesson handshake"
tm_expect "Checkpoint: predict what happens next." "handshake: the first checkpoint opens the lesson"
tm_expect "The server's application calls listen()" "handshake: it is the question before listen"
tm_expect "step 0/8" "handshake: before the first step"
tm_expect "(no segment yet)" "handshake: nothing in the table yet"
if tm_screen | grep -qF "listen ●"; then fail "handshake: the ladder shows the listen already"; else pass; fi
if tm_screen | grep -qF "Step 1 of 8"; then fail "handshake: the first step is explained already"; else pass; fi
tm_keys p
tm_expect "Press the number of your answer" "handshake: p stays at the first question"
asked=$(answer_all "$TMPD/handshake.keys")
expect_status 5 "$asked" "handshake: every checkpoint is asked"
tm_expect "Lesson finished: 5 of 5 checkpoints right." "handshake: all right scores 5 of 5, on screen"
tm_keys q
tm_expect "Lesson finished: 5 of 5 checkpoints right." "handshake: the score is printed after the screen is gone"
tm_expect_exit 0 "handshake quit"

# the answer of the next flags question is not spelled out on the step before
tm_open 160 48
tm_run "$T lesson handshake"
tm_expect "Press the number" "handshake 160x48 opens at its question"
tm_keys r n n r n n r n
tm_expect "Step 3 of 8" "handshake: the SYN has arrived"
tm_expect "SYN in LISTEN: IRS recorded, [?] sent" "reason text: what the server sends is the next question, the SYN that came is not"
tm_expect "[?]: left out until the next question is answered." "reason text: what [?] stands for is said"
if tm_screen | grep -qF "SYN,ACK sent"; then fail "the step before the flags question says SYN,ACK sent"; else pass; fi
tm_keys n 2 n
tm_expect "Step 4 of 8" "handshake: after the flags question"
tm_keys p
tm_expect "SYN,ACK sent" "once answered, the reason is whole again"
# a typed-number question hides the TCB numbers that would answer it
tm_keys n n
tm_expect "What relative acknowledgment number" "handshake: the ack question"
tm_expect "hidden until you answer" "ack question: the TCBs say their numbers are hidden"
if tm_screen | grep -q 'RCV.NXT  *[0-9]'; then fail "ack question: RCV.NXT is on screen"; else pass; fi
tm_keys q
tm_expect_exit 0 "handshake 160x48 quit"

# at the smallest size the step view takes, an open checkpoint shows all its
# choices: the middle panel gives its rows while the question is open
tm_open 64 16
tm_run "$T lesson teardown"
tm_expect "The four-way teardown" "teardown opens at 64x16"
i=0
while [ $i -lt 30 ] && ! tm_screen | grep -qF "calls shutdown(SHUT_WR). Which state"; do
	if tm_screen | grep -qF "(r: reveal)"; then tm_keys r; else tm_keys n; fi
	i=$((i + 1))
	sleep 0.1
done
tm_expect "1) FIN-WAIT-1   2) FIN-WAIT-2   3) CLOSE-WAIT   4) CLOSING" "64x16: every choice of the shutdown question shows"
tm_expect "Press the number of your answer" "64x16: and how to answer"
tm_keys q
tm_expect_exit 0 "teardown 64x16 quit"

# ---- 3. the capture lesson never shows what is still to come ---------------
tm_open 160 48
tm_run "$T lesson capture"
tm_expect "Which state does the observer put it in?" "capture: the question before frame 1 comes first"
tm_expect "(no segment yet)" "capture: no frame shown before it"
i=0
while [ $i -lt 20 ] && ! tm_screen | grep -qF "What ack does the server send in frame 5?"; do
	scr=$(tm_screen)
	if printf '%s\n' "$scr" | grep -qF "(r: reveal)"; then tm_keys r; else tm_keys n; fi
	tm_wait_change "$scr" >/dev/null
	i=$((i + 1))
done
tm_expect "What ack does the server send in frame 5?" "capture: the frame 5 question"
if tm_screen | grep -q '^ *5 0\.0'; then fail "capture: frame 5's row is on screen during its question"; else pass; fi
if tm_screen | grep -q '^ *10 0\.0'; then fail "capture: the last frame's row is on screen"; else pass; fi
tm_expect_re '4 0\.000078 C>S PSH,ACK   1   1  18    64 ESTABLISHED ESTABLISHED' "capture: frame 4's row is, whole"
tm_keys q
tm_expect_exit 0 "capture quit"

# ---- 4, 5. `tcptutor lesson`: the list ---------------------------------------
tm_open 80 24
rm -rf "$XDG_DATA_HOME"
tm_run "$T lesson"
tm_expect "Lessons" "lesson list opens"
tm_expect_re '^ ▸  1 TCP and UDP, clients, servers and ports *$' "a new student starts at lesson 1"
tm_expect_re '^   11 A real capture, read like the simulations' "lessons past 9 are numbered too"
tm_expect "10 When things go wrong: RST, abort, simultaneous open and close" "80x24: no title cut"
if tm_screen | grep -q '[0-9]  *[0-9][0-9]*\. '; then fail "lesson list: numbered twice"; else pass; fi
tm_keys 3
tm_expect "The three-way handshake" "3 opens lesson 3 at once"
tm_keys q
tm_expect "Lessons" "q in a lesson: back to the list"
tm_expect_re '^ ▸  3 The three-way handshake' "the list is back at the lesson left"
tm_keys 1
tm_expect "1_" "1: more lessons start with 1, so it waits"
tm_keys 1
tm_expect "A real capture, read like the simulations     " "11 opens lesson 11"
tm_keys q
tm_expect "Lessons" "back in the list again"
tm_keys q
tm_expect_exit 0 "q in the list leaves"
# with lesson 1 finished, the list opens on lesson 2 and shows the score
mkdir -p "$XDG_DATA_HOME/tcptutor"
printf 'tcptutor-progress 1\nlesson tcp-udp finished=1 best=2 last=2 of=3\n' >"$XDG_DATA_HOME/tcptutor/progress"
tm_run "$T lesson"
tm_expect_re '^ ▸  2 The TCP header: numbers and flags' "the first unfinished lesson"
tm_expect_re '^    1 TCP and UDP, clients, servers and ports  *\[2/3\]$' "a finished lesson shows its best score"
tm_keys q
tm_expect_exit 0 "list quit"
tm_run "$T --lang zh_CN lesson"
tm_expect "课程" "zh: the list"
tm_expect "TCP 与 UDP、客户端、服务器与端口" "zh: the titles"
tm_expect "[2/3]" "zh: the score"
tm_keys q
tm_expect_exit 0 "zh list quit"

# ---- 2. from the menu: the score on screen, and the screen clean after -----
rm -rf "$XDG_DATA_HOME"
tm_open 80 24
tm_run "$T"
tm_expect "1 Lessons" "menu"
tm_keys 1
tm_expect_re '^ ▸  1 TCP and UDP' "menu: the same list, at lesson 1"
tm_expect "10 When things go wrong: RST, abort, simultaneous open and close" "menu: no title cut"
tm_keys 3
tm_expect "The three-way handshake" "menu: lesson 3"
asked=$(answer_all "$TMPD/handshake.keys")
expect_status 5 "$asked" "menu: every checkpoint asked"
tm_expect "Lesson finished: 5 of 5 checkpoints right." "menu: the score at the end of the lesson"
tm_keys q
tm_expect "Lesson finished: 5 of 5 checkpoints right." "menu: the score over the list"
tm_expect_re '^    3 The three-way handshake  *\[5/5\]$' "menu: the list shows the score"
tm_expect_re '^ ▸  4 Why three segments, not two *$' "menu: the list moves on to the next lesson"
# what is on screen is what a full repaint draws: no debris
tm_screen >"$TMPD/before"
tm_resize 81 24
tm_resize 80 24
if tm_wait_same "$TMPD/before"; then
	pass
else
	fail "menu: the list after a lesson differs from a fresh paint"
	diff "$TMPD/before" "$TMPD/now" | sed 's/^/    | /' >&2
fi
tm_keys 4
tm_expect_re '^ Why three segments, not two  *step [0-9]*/28  t=[0-9.]* s *$' "menu: the next lesson's title line is clean"
tm_keys q
tm_expect "Lessons" "menu: back in the list"
tm_keys q
tm_expect "Language: English" "menu: q again, the menu"
tm_keys 9
tm_expect_exit 0 "menu quit"

# ---- 4, 5. replay's stream list ----------------------------------------------
tm_open 120 40
tm_run "$T --lang en replay $R/lo/lo-reuse.pcap"
tm_expect "Pick a TCP stream" "replay: the stream list"
tm_expect_re '^     1    127\.0\.0\.1:' "stream list: one number per stream, its own"
tm_keys 1
tm_expect "stream 1" "1 opens stream 1"
tm_keys q
tm_expect "Pick a TCP stream" "q in a stream: back to the list"
tm_keys q
tm_expect_exit 0 "q in the stream list leaves"

# ---- 7, 8, 11. numbers are never cut; what a capture cannot know --------------
tm_open 160 48
tm_run "$T --lang en replay $A/01-normal.pcap"
tm_expect "step 1/10" "replay 160x48"
tm_keys n n n n
tm_expect "step 5/10" "replay 160x48 step 5"
tm_expect_re 'SND\.UNA  *1146951154  *2743703158' "160x48: whole 32-bit numbers in the TCBs"
tm_resize 120 40
tm_expect "relative to ISS and IRS" "120x40: a short TCB panel says its numbers are relative"
tm_expect_re 'SND\.UNA 19  *SND\.NXT 19' "120x40: relative numbers, whole"
if tm_screen | grep -q 'SND\.UNA 1146[0-9]\{0,5\} \|SND\.UNA 11469[^0-9]'; then fail "120x40: a number cut"; else pass; fi
tm_keys Home
tm_expect "step 1/10" "replay: the first segment"
tm_expect "▶│ SYN-RECEIVED" "120x40 ladder: the state name whole"
tm_expect_re 'server SYN-RECEIVED' "the server presumed listening"
tm_expect_re 'SND\.UNA 0  *SND\.NXT 1  *SND\.UNA -  *SND\.NXT -' "replay: the server's unknown numbers are -"
tm_expect_re 'RCV\.WND 65495  *RCV\.WND - *$' "replay: the server's unknown window is -"
tm_keys q
tm_expect_exit 0 "replay 120x40 quit"
tm_open 80 24
tm_run "$T --lang en replay $A/01-normal.pcap"
tm_expect "step 1/10" "replay 80x24"
tm_keys v v
tm_expect "─ TCBs" "80x24: the TCBs"
tm_expect_re 'ISS 1146951135  *IRS -  *ISS -  *IRS 1146951135' "80x24: ISS - where the capture cannot know it"
tm_keys q
tm_expect_exit 0 "replay 80x24 quit"
# the ladder's narrow labels: raw 32-bit numbers on a short arrow
cat >"$TMPD/big.lesson" <<'EOF2'
lesson big
title en Big numbers
title zh 大数
host client 192.0.2.1 49152 iss=4000000000
host server 198.51.100.2 80 iss=3000000000
say en l
say zh l
listen server
say en c
say zh c
connect client
say en r
say zh r
run
say en s
say zh s
send client 2176
say en d
say zh d
run
summary en s
summary zh s
EOF2
tm_open 120 40
tm_run "$T --lang en --absolute lesson $TMPD/big.lesson"
tm_expect "Big numbers" "absolute lesson"
tm_keys End
tm_expect "PSH,ACK 4000001461 …" "narrow label: the last parts left out, marked"
tm_expect "ACK 3000000001/4000002177─" "narrow label: seq/ack whole"
# every number a label ends with, or writes around its slash, has all its
# ten digits: none is cut (the title bar's "step 10/10" left aside)
cut=$(tm_screen | sed 1d | grep -o '[ /=][0-9][0-9]*─\|[0-9][0-9]*/[0-9][0-9]*' | tr -c '0-9\n' ' ' |
	awk '{ for (i = 1; i <= NF; i++) if (length($i) != 10) print $i }')
if [ -z "$cut" ]; then pass; else fail "narrow label: numbers cut: $cut"; fi
tm_keys '?'
tm_expect '"PSH,ACK 1/1 +100" is seq 1, ack 1' "help explains the narrow label"
tm_keys q q
tm_expect_exit 0 "absolute lesson quit"
tm_run "$T --lang zh_CN replay $A/01-normal.pcap"
tm_expect "第 1/10 步" "zh replay"
tm_keys '?'
tm_expect "紧凑写法" "zh help explains the narrow label"
tm_keys q q
tm_expect_exit 0 "zh replay quit"

# ---- 10, 13, 16. the sandbox: detail, shared state, auto-play pace -----------
tm_open 160 48
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "sandbox"
tm_keys l h c n
tm_expect "C>S SYN " "sandbox: the SYN"
tm_keys Enter
tm_expect "Segment #1: 192.0.2.1:49152 → 198.51.100.2:80 (client → server)" "detail: an arrow between the addresses"
tm_keys q n n
tm_expect "SYN-RECEIVED → ESTABLISHED" "sandbox: both established"
tm_expect " client server both ─" "the legend names the shared state's colour"
attrs=$(tm capture-pane -e -p -t tt)
if printf '%s\n' "$attrs" | grep -q '43m.\{0,12\}both'; then pass; else fail "the legend's 'both' is not in the shared colour"; fi
tm_keys Home a
tm_expect "[auto: 1.50 s/step]" "auto-play shows its pace"
tm_keys +
tm_expect "[auto: 0.75 s/step]" "+: the pace doubles, on screen"
tm_keys a q
tm_expect_exit 0 "sandbox quit"
tm_run "NO_COLOR=1 $T --lang en sandbox"
tm_expect "Nothing has happened yet" "NO_COLOR sandbox"
tm_keys l h c n n n
tm_expect "CS ESTABLISHED" "NO_COLOR: a state both are in is marked CS"
tm_expect "CS both" "NO_COLOR: the legend says what CS is"
tm_keys q
tm_expect_exit 0 "NO_COLOR quit"

finish

#!/bin/sh
# tests/tui.sh: the terminal screens, driven through tmux at 80x24 and
# 160x48: the menu, the sandbox's step view (table, ladder, states, TCBs,
# explanation), stepping forward and back, resizing, the presenter layout,
# a lesson with a checkpoint, switching language, quitting, and the terminal
# restored afterwards (also on SIGINT and SIGTERM, and with no terminal).
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE
unset NO_COLOR

# ---- sandbox at 80x24: the step view, forward and back ----------------------
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox opens empty"
tm_expect "l listen" "sandbox shows its action keys"
tm_expect "q quit" "key bar shows q"
tm_keys l
tm_expect "LISTEN" "l: the server listens"
tm_keys h c
tm_expect "SYN-SENT" "h c: the client connects"
tm_keys n
tm_expect "C>S SYN " "n: the SYN is a table row"
tm_expect "SYN-SENT    SYN-RECEIVED" "the row shows both states"
tm_expect "SYN=1,ACK=0" "detail line writes the flags the classic way"
tm_expect "SYN in LISTEN: IRS recorded" "explanation names the rule"
tm_expect "RFC 9293 §3.10.7.2" "explanation cites RFC 9293"
tm_keys n n
tm_expect "SYN-RECEIVED → ESTABLISHED" "third segment: the server is established"
tm_expect "step 5/5" "title shows the step"
tm_expect "ESTABLISHED ESTABLISHED" "table row shows both states"
tm_expect "╰─────────────────────────▶│ ESTABLISHED" "ladder: arrow reaches the server and its state"
tm_keys p
tm_expect "step 4/5" "p goes back"
tm_expect "SYN=1,ACK=1" "back: the SYN,ACK is current again"
tm_expect "SYN-SENT → ESTABLISHED" "back: its explanation is back"
tm_keys Home
tm_expect "step 1/5" "Home: first step"
tm_keys End
tm_expect "step 5/5" "End: last step"
tm_keys g
tm_keys 1 Enter Enter
tm_expect "Acknowledgment:    - (ACK not set: ignored)" "detail: a SYN's acknowledgment field is no number"
tm_keys q
tm_keys g
tm_expect "Frame (# column) or step number" "g asks where to go"
tm_keys 2 Enter
tm_expect "#2  " "g 2: frame 2 is current"
tm_expect "SYN=1,ACK=1" "g 2: the SYN,ACK"
tm_keys /
tm_expect "Find a segment" "/ asks what to find"
tm_keys C-u A C K Enter
tm_expect "#3  " "/ACK: the next segment with ACK"
tm_keys End
tm_keys v
tm_expect "RFC 9293 states" "v: the state diagram"
tm_expect "FIN-WAIT-1 ─rcv FIN─▶ CLOSING" "state diagram drawn"
tm_keys v
tm_expect "SND.NXT" "v again: the TCBs"
tm_expect "RCV.WND" "TCB shows the receive window"
tm_keys v
tm_expect "─ Ladder " "v again: back to the ladder"
tm_keys Enter
tm_expect "Segment detail" "Enter: full header"
tm_expect "Acknowledgment:" "detail lists the acknowledgment"
tm_keys q
tm_keys '?'
tm_expect "Keys of the step view" "?: help"
tm_expect "auto-play" "help lists auto-play"
tm_keys q
# the wire under the user's keys: send, drop, deliver
tm_keys s
tm_expect "Text to send" "s asks what to send"
tm_keys C-u w o r l d Enter n
tm_expect "PSH,ACK" "the data segment is sent"
tm_keys d n
tm_expect "dropped" "d drops the next segment"
tm_expect "✕" "the ladder ends the lost segment in a cross"
tm_keys t
tm_expect "Advance the clock" "t asks how far to advance"
tm_keys Enter
tm_expect "retransmission" "the retransmission timer fires"
# resize: all panels at 160x48, the same step stays
tm_screen | sed -n 1p > "$TMPD/title"
tm_resize 160 48
tm_expect "─ RFC 9293 states" "160x48: state diagram shown"
tm_expect "─ TCBs" "160x48: TCBs shown"
tm_expect "─ Ladder" "160x48: ladder shown"
tm_expect "─ What happened" "160x48: explanation shown"
step=$(grep -o 'step [0-9]*/[0-9]*' "$TMPD/title")
tm_expect "$step" "resize keeps the current step"
tm_resize 50 12
tm_expect "enlarge the terminal" "too small: a clear message"
tm_resize 80 24
tm_expect "$step" "back to 80x24, same step"
# 120 columns: the sandbox's keys on the upper bar, the step view's below,
# and the state diagram's legend inside its own heading
tm_resize 120 40
tm_expect "─ RFC 9293 states" "120x40: state diagram shown"
bars=$(tm_screen | tail -2)
expect_match "$(printf '%s\n' "$bars" | sed -n 1p)" '^h .* w run *$' "120x40: sandbox keys on the upper bar"
expect_match "$(printf '%s\n' "$bars" | sed -n 2p)" '^n next p back .* / search *$' "120x40: step keys on the lower bar"
expect_match "$(tm_screen | grep -F '─ RFC 9293 states')" ' client server both ─$' "120x40: legend ends the heading"
tm_resize 80 24
tm_expect "$step" "back to 80x24 again"
tm_keys q
tm_expect_exit 0 "sandbox q"

# ---- the menu at 160x48: lessons, a checkpoint, language, quit --------------
tm_open 160 48
tm_run "$T"
tm_expect "Sandbox" "menu lists the sandbox"
tm_expect "Replay" "menu lists replay"
tm_expect "Quiz" "menu lists the quiz"
tm_expect "Language" "menu lists the language"
tm_keys 1
tm_expect "handshake" "lessons are listed"
tm_keys / h a n d s h a k e Enter Enter
tm_expect "The three-way handshake" "the handshake lesson opens"
tm_expect "─ RFC 9293 states" "160x48: all panels in a lesson"
i=0
while [ $i -lt 12 ] && ! tm_screen | grep -qF "Checkpoint"; do
	tm_keys n
	i=$((i + 1))
	tm_wait "step" >/dev/null
done
tm_expect "Checkpoint: predict what happens next." "a checkpoint stops the lesson"
tm_keys r
tm_expect "The answer:" "r reveals the answer"
tm_keys n
tm_expect "SYN" "after the checkpoint the lesson goes on"
tm_keys q
tm_expect "Why three segments, not two" "q: back to the lesson list"
tm_keys q
tm_expect "Language: English" "q again: the menu"
tm_keys 6
tm_expect "语言" "language switch: the menu in Chinese"
tm_keys 2
tm_expect "沙盒" "the sandbox in Chinese"
tm_keys l
tm_expect "监听" "Chinese explanation"
# wide characters counted right: rules still start at column 0, bars stay put
if tm_screen | sed -n 2p | grep -q '^─'; then pass; else fail "Chinese title bar pushed the next row"; fi
tm_keys q
tm_expect "语言" "back in the Chinese menu"
tm_keys 6
tm_expect "Language: English" "switched back to English"
tm_keys 9
tm_expect_exit 0 "menu quit"

# ---- the menu at 80x24: replay, quiz, help, a bad file --------------------
tm_open 80 24
tm_run "$T"
tm_expect "1 Lessons" "80x24 menu numbers its items"
tm_keys 3
tm_expect "C>S SYN " "replay: the sample's first segment"
tm_expect "─ Ladder" "replay: the ladder"
tm_expect "step 1/" "replay: at the first step"
tm_keys n
tm_expect "step 2/" "replay: n steps"
tm_expect "S>C SYN,ACK" "replay: the SYN,ACK row"
tm_keys q
tm_expect "Replay a file" "replay q: back in the menu"
tm_keys 5
tm_expect_gone "Replay a file" "quiz opens from the menu"
tm_keys q
tm_expect "Replay a file" "quiz q: back in the menu"
tm_keys 7
tm_expect "interview-style questions" "help from the menu"
tm_keys q
tm_keys 4
tm_expect "Path of a pcap" "replay a file asks for a path"
tm_keys /nonexistent/x.pcap Enter
tm_expect "Error" "a bad file: the error in a box"
tm_expect "x.pcap" "the box names the file"
tm_keys q
tm_expect "Replay a file" "back in the menu after the error"
tm_keys q
tm_expect_exit 0 "menu q"

# ---- a lesson at 80x24, and the quiz at 160x48 -------------------------------
tm_open 80 24
tm_run "$T lesson handshake"
tm_expect "The three-way handshake" "80x24 lesson opens"
tm_expect "─ What happened" "80x24 lesson: explanation"
i=0
while [ $i -lt 12 ] && ! tm_screen | grep -qF "Checkpoint"; do
	tm_keys n
	i=$((i + 1))
	tm_wait "step" >/dev/null
done
tm_expect "Checkpoint: predict what happens next." "80x24 lesson: a checkpoint"
tm_expect "1) " "80x24 lesson: the choices are numbered"
tm_keys q
tm_expect_exit 0 "80x24 lesson q"
tm_open 160 48
tm_run "$T"
tm_expect "Replay a file" "160x48 menu"
tm_keys 5
tm_expect_gone "Replay a file" "160x48: the quiz opens from the menu"
tm_keys q
tm_expect "Replay a file" "160x48: quiz q, back in the menu"
tm_keys q
tm_expect_exit 0 "160x48 menu q"

# ---- replay at 160x48: every panel --------------------------------------------
tm_open 160 48
tm_run "$T replay"
tm_expect "C>S SYN " "160x48 replay: table"
tm_expect "─ RFC 9293 states" "160x48 replay: state diagram"
tm_expect "─ TCBs" "160x48 replay: TCBs"
tm_keys End
tm_expect_re 'step \([0-9][0-9]*\)/\1 ' "replay End: the last step"
tm_keys q
tm_expect_exit 0 "replay q"

# ---- presenter mode ----------------------------------------------------------
tm_open 160 48
tm_run "$T --present sandbox"
tm_expect "Nothing has happened yet" "presenter sandbox opens"
tm_keys l h c n n n
# both states in big letters: the top row of ESTABLISHED, once per side, and
# the ACK flags between them under an arrow from client to server
big_est='████  ███ █████  ██  ███  █    ███  ███ █  █ ████ ███'
tm_expect "$big_est" "presenter: big letters for the states"
if [ "$(tm_screen | grep -oF "$big_est" | wc -l)" -eq 2 ]; then pass; else fail "presenter: not both states in big letters"; fi
tm_expect " ██   ███ █  █ " "presenter: the flags in big letters"
tm_expect "─────▶" "presenter: the segment's direction over the flags"
if tm_screen | grep -qF "client: ESTABLISHED    server: ESTABLISHED"; then
	fail "presenter: states spelled out again under the big letters"
else
	pass
fi
tm_expect "─ RFC 9293 states" "presenter: state diagram beside the ladder"
# colours: the edge just taken (SYN-RECEIVED to ESTABLISHED on "rcv ACK") is
# marked in reverse video, and both hosts in ESTABLISHED light it in the
# "both" colour (yellow background)
attrs=$(tm capture-pane -e -p -t tt)
if printf '%s\n' "$attrs" | grep -q '7m.\{0,12\}rcv ACK'; then pass; else fail "the transition taken is not marked"; fi
if printf '%s\n' "$attrs" | grep -q '43m.\{0,12\}ESTABLISHED'; then pass; else fail "ESTABLISHED is not lit for both"; fi
if tm_screen | grep -qF "─ Segments"; then fail "presenter: the table should be a key away"; else pass; fi
tm_keys v
tm_expect "─ Segments" "presenter: v shows the table"
# smaller terminals: half-block letters from 30 rows, then plain words
tm_resize 120 34
tm_expect "▀▀█▀▀" "presenter 120x34: letters in half blocks"
tm_resize 80 24
tm_expect "client: ESTABLISHED    server: ESTABLISHED" "presenter 80x24: the states spelled out"
tm_keys q
tm_expect_exit 0 "presenter quit"
tm_resize 160 48
tm_run "LC_ALL=C LANG=C $T --present sandbox"
tm_expect "Nothing has happened yet" "presenter in the C locale"
tm_keys l
tm_expect "#    ###  ### ##### #### #   #" "presenter, C locale: LISTEN in '#' letters"
tm_keys q
tm_expect_exit 0 "presenter C locale quit"

# ---- --autoplay: steps on by itself, waits at each checkpoint -----------------
out=$("$T" --autoplay=soon sandbox 2>&1)
expect_status 2 $? "--autoplay=soon is a usage error"
expect_match "$out" "invalid auto-play interval 'soon'" "--autoplay=soon says why"
tm_open 160 48
tm_run "$T --present --autoplay=0.2 lesson handshake"
tm_expect "[auto: waits for the answer]" "autoplay: stops at the first checkpoint"
tm_expect "Press r to reveal the answer." "autoplay: the checkpoint asks"
at=$(tm_screen | sed -n 1p | grep -o 'step [0-9]*/[0-9]*')
sleep 1   # five intervals: a running timer would have moved on by now
if tm_screen | sed -n 1p | grep -qF "$at  "; then pass; else fail "autoplay: went past an open checkpoint"; fi
tm_keys r
tm_expect "The answer:" "autoplay: r reveals"
tm_expect_gone "$at  " "autoplay: goes on after the answer"
# on to the end, revealing every checkpoint on the way (polled, bounded)
i=0
while [ $i -lt 150 ] && ! tm_screen | sed -n 1p | grep -q 'step \([0-9]*\)/\1 '; do
	if tm_screen | grep -qF "Press r to reveal"; then tm_keys r; fi
	sleep 0.2
	i=$((i + 1))
done
tm_expect_re 'step \([0-9][0-9]*\)/\1 ' "autoplay: reaches the last step"
tm_expect_gone "[auto" "autoplay: stops at the end"
tm_keys q
tm_expect_exit 0 "autoplay quit"

# ---- auto-play runs on a timer and stops at the end ---------------------------
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for auto-play"
tm_keys l h c n n n Home a
tm_expect "[auto: 1.50 s/step]" "a starts auto-play, at its pace"
tm_keys + + +
tm_expect "step 5/5" "auto-play reaches the last step"
tm_expect_gone "[auto" "auto-play stops by itself at the end"
# acting on an earlier step continues from there
tm_keys p p r
tm_expect "Rewound to the step on screen" "acting after going back rewinds"
tm_expect "SYN-SENT → CLOSED" "the abort acts on the state on screen"
tm_expect "step 4/4" "later steps are gone"
tm_keys q
tm_expect_exit 0 "auto-play quit"

# ---- signals and missing terminals restore or refuse cleanly ------------------
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for SIGINT"
tm_keys C-c
tm_expect_signal_exit 130 "Ctrl-C"
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for SIGTERM"
child=$(tm_child)
if [ -n "$child" ]; then kill -TERM "$child"; else fail "no program in the pane to signal"; fi
tm_expect_exit 143 "SIGTERM"
tm_run "TERM= $T sandbox"
tm_expect "TERM is not set" "no TERM: a clear message"
tm_expect "EXIT=1" "no TERM: exit 1"
tm_run "TERM=no-such-terminal $T sandbox"
tm_expect "unknown terminal type" "unknown TERM: a clear message"
# every screen says so itself, and fails: the menu, a lesson, the quiz's
# topic list, a replay
n=0
for cmd in "" "lesson handshake" "quiz" "replay $(cd "${top_srcdir:-.}" && pwd)/assets/01-normal.pcap"; do
	n=$((n + 1))
	tm_run "clear; echo RUN-$n; TERM=no-such-terminal $T $cmd"
	tm_expect "RUN-$n" "unknown TERM: '$cmd' runs"
	tm_expect "tcptutor: no terminal: unknown terminal type 'no-such-terminal'" "unknown TERM: '$cmd' says so"
	tm_expect "EXIT=1" "unknown TERM: '$cmd' exits 1"
done

# ---- NO_COLOR: attributes, no colours -----------------------------------------
tm_run "NO_COLOR=1 $T sandbox"
tm_expect "Nothing has happened yet" "NO_COLOR sandbox opens"
tm_keys l
tm_expect "LISTEN" "NO_COLOR sandbox"
if tm capture-pane -e -p -t tt | grep -q '\[[0-9;]*3[0-7]m\|;3[0-7][;m]'; then
	fail "NO_COLOR: colour escape sequences on screen"
else
	pass
fi
tm_keys q
tm_expect_exit 0 "NO_COLOR quit"

# ---- ASCII fallback outside UTF-8 ------------------------------------------------
tm_run "LC_ALL=C LANG=C $T sandbox"
tm_expect "Nothing has happened yet" "C locale sandbox opens"
tm_keys l h c n
tm_expect "|-SYN seq=0" "C locale: ASCII line drawing"
tm_keys q
tm_expect_exit 0 "ASCII quit"
tm_run "LC_ALL=C LANG=C $T"
tm_expect "Language: English" "C locale menu"
tm_keys 6
tm_expect "语言" "C locale: switching to Chinese still shows Chinese"
tm_keys 9
tm_expect_exit 0 "C locale menu quit"

# ---- several connections: each row says which one it belongs to -----------------
printf 'listen server\nconnect client\nrun\nconnect client new\nrun\nsend client:0 10\nrun\n' \
	> "$TMPD/two.scenario"
tm_run "$T lesson $TMPD/two.scenario"
tm_keys End
tm_expect " conn # " "two connections: the table has a conn column"
tm_expect "    1 6 0.250000 C>S ACK       1   1" "two connections: the second one's rows are in conn 1"
tm_expect "0 8 0.350000 S>C ACK       1  11" "two connections: each counts its own relative numbers"
tm_keys p p p
tm_expect "192.0.2.1:49153" "two connections: the second one's port in the detail line and ladder"
tm_keys q
tm_expect_exit 0 "two connections quit"
printf 'listen server\nconnect client\nrun\n' > "$TMPD/one.scenario"
tm_run "$T lesson $TMPD/one.scenario"
tm_keys End
tm_expect "ESTABLISHED ESTABLISHED" "one connection: its table"
if tm_screen | grep -q " conn # "; then fail "one connection: no conn column"; else pass; fi
tm_keys q
tm_expect_exit 0 "one connection quit"

# ---- a flags checkpoint: no flag of its answer in the rule text before it ------
printf '%s\n' 'lesson hint' 'title en Hint' 'title zh 提示' 'connect client' \
	'say en The SYN reaches a port where nothing listens.' 'say zh SYN 到达没有监听的端口。' \
	'deliver' 'check flags' 'ask en Which flags does the reply carry?' 'ask zh 回复带有哪些标志位？' \
	'why en A RST that acknowledges the SYN.' 'why zh 确认了 SYN 的 RST。' 'deliver' \
	'summary en Done.' 'summary zh 完成。' > "$TMPD/hint.lesson"
tm_run "$T lesson $TMPD/hint.lesson"
tm_keys n
tm_expect "answered with a [?] (RFC 9293" "flags checkpoint: the RST in the rule text is left out"
if tm_screen | grep -q "answered with a RST"; then fail "flags checkpoint: RST given away"; else pass; fi
tm_keys q
tm_expect_exit 0 "flags checkpoint quit"

finish

#!/bin/sh
# tests/sandbox-tui.sh: the sandbox and the start menu (cmd/sandbox.c,
# ui/sandbox.c) through tmux, and the command line on a terminal:
# - an action lands on the last step it made (w delivers everything and
#   shows the end, and the next action does not rewind anything);
# - the sandbox's help and hints say where its keys are (the bottom bar);
# - B and K set the next listen()'s backlog and SYN cookies: a flood fills a
#   small SYN queue without cookies, and with them the client gets through;
# - the menu's language item in a locale that cannot show Chinese;
# - "Replay a file" expands ~ and names an empty file as such;
# - an explicit --format prints in that format, also on a terminal.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE

# the step counter in the title bar shows the last step: "step N/N "
at_end() { tm_expect_re 'step \([0-9][0-9]*\)/\1 ' "$1"; }

# ---- w delivers everything and shows where that left the hosts -------------
for size in "80 24" "160 48"; do
	# shellcheck disable=SC2086
	tm_open $size
	tm_run "$T --lang en sandbox"
	tm_expect "Nothing has happened yet" "$size: sandbox opens"
	tm_keys l h c w
	tm_expect "step 5/5" "$size: l h c w: the handshake's three segments, at its end"
	tm_expect "ESTABLISHED ESTABLISHED" "$size: w: both hosts established"
	tm_keys s
	tm_expect "Text to send" "$size: s asks what to send"
	tm_keys C-u d a t a Enter w
	at_end "$size: send, w: the last step is on screen"
	tm_keys x w
	at_end "$size: close, w: the last step is on screen"
	tm_expect_gone "Rewound" "$size: acting after w rewinds nothing"
	tm_keys t Enter
	at_end "$size: advancing the clock ends at its last step"
	tm_keys q
	tm_expect_exit 0 "$size: sandbox q"
done

# ---- the state diagram whole at 80x24 ---------------------------------------
# v puts the diagram in the middle; its last row (TIME-WAIT's 2MSL edge to
# CLOSED) shows too, the table keeping one row
tm_open 80 24
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "80x24 diagram: sandbox opens"
tm_keys v l h c n
tm_expect "2MSL" "80x24 diagram: its last row, TIME-WAIT to CLOSED, shows"
tm_expect "SYN-RECEIVED" "80x24 diagram: and its states"
tm_keys q
tm_expect_exit 0 "80x24 diagram: sandbox q"

# ---- the table's columns stay as the rows pass 9 (80x24) -----------------
tm_open 80 24
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "80x24 columns: sandbox opens"
tm_keys l h c w
tm_expect "step 5/5" "80x24 columns: the handshake"
head3=$(tm_screen | sed -n 3p)
for i in 1 2 3; do
	tm_keys s C-u d a t a Enter w
	sleep 0.2
done
tm_keys x w
tm_expect_re "^▸ *1[0-9] " "80x24 columns: past row 9"
[ "$(tm_screen | sed -n 3p)" = "$head3" ] && pass "80x24 columns: the same header at row 10 as at row 3" ||
	fail "80x24 columns: the header changed: '$head3' then '$(tm_screen | sed -n 3p)'"
expect_match "$head3" " time dir " "80x24 columns: with the time column"
tm_keys q
tm_expect_exit 0 "80x24 columns: sandbox q"

# ---- a number of bytes, receive() and keep-alive from the keyboard --------
# s 20000 sends that many bytes, which the server's application does not
# read (its window shrinks by as much); G makes it read, so that its close
# is a FIN, not a RST; A turns keep-alive on and t advances the clock to
# the first probe, which the client answers
tm_open 100 30
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "bytes: sandbox opens"
tm_keys l h c w s
tm_expect "or a number of bytes" "bytes: s takes a count too"
tm_expect "typing replaces it" "bytes: the proposal is marked as one"
tm_keys - 5 Enter
tm_expect "a send takes 1 to 16777216 bytes" "bytes: -5 is a count, refused, saying why"
tm_keys s 2 0 0 0 0 Enter w
tm_expect "ack=20001" "bytes: 20000 bytes sent and acknowledged"
tm_expect "win=45535" "bytes: the unread bytes close the server's window by as much"
tm_keys h G
tm_expect "server: RECEIVE: the application reads" "bytes: G reads at the server"
tm_keys A
tm_expect "Keep-alive on at the server" "keep-alive: A turns it on"
tm_keys t
tm_expect "7200" "keep-alive: t proposes the probe's time"
tm_keys Enter w
tm_expect "keep-alive-ack" "keep-alive: the probe goes out and the client answers it"
tm_keys x w
tm_expect "FIN-WAIT-2" "bytes: read, then closed: the server's FIN"
tm_expect_gone "RST" "bytes: read, then closed: no reset"
tm_keys q
tm_expect_exit 0 "bytes: sandbox q"

# A after going back toggles keep-alive as it was at the step on screen:
# on, then data, then back before the A, then A again is on, not off
tm_open 100 30
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "keep-alive rewind: sandbox opens"
tm_keys l h c w A
tm_expect "Keep-alive on at the client" "keep-alive rewind: on"
tm_keys s d a t a Enter w
at_end "keep-alive rewind: data sent"
tm_keys p p p p
tm_keys A
tm_expect "Rewound to the step on screen" "keep-alive rewind: said"
tm_expect "Keep-alive on at the client" "keep-alive rewind: on as at the step on screen, not off"
tm_keys q
tm_expect_exit 0 "keep-alive rewind: sandbox q"

# ---- going back past a fault armed on the wire keeps what came before it ---
# d arms a drop (no step of its own), l listens, h c connects: the SYN is
# dropped. Back at the listen's step, c again: the rewind replays the drop
# and the listen, so the server still listens and the new SYN is dropped
tm_open 100 30
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "rewind: sandbox opens"
tm_keys d
tm_keys l
tm_expect "LISTEN" "rewind: the server listens"
tm_keys h c
tm_expect "dropped" "rewind: the SYN is dropped as armed"
tm_keys p p
tm_expect "step 1/3" "rewind: back at the listen"
tm_keys c
tm_expect "Rewound to the step on screen" "rewind: said"
tm_expect "SYN-SENT    LISTEN      dropped" "rewind: the listen stays, the drop too"
tm_keys q
tm_expect_exit 0 "rewind: sandbox q"

# ---- the listen queues: B sets the backlog, K the SYN cookies ---------------
# a backlog of 1 without cookies: a flood of spoofed SYNs fills the SYN
# queue, and the real client's SYN meets it full (Linux tcp_conn_request)
tm_open 100 30
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "queues: sandbox opens"
tm_keys B
tm_expect "listen() backlog" "B asks for the backlog"
tm_keys C-u 1 Enter
tm_expect "next listen() has backlog 1" "B 1: the next listen's backlog said"
tm_keys K
tm_expect "SYN cookies (tcp_syncookies = 0)" "K: cookies off"
tm_keys l F w h c w
tm_expect "SYN queue full" "backlog 1, no cookies: the client's SYN is dropped after a flood"
tm_keys B
tm_keys C-u x Enter
tm_expect "'x' is not a backlog" "B x: not a number, said"
tm_keys q
tm_expect_exit 0 "queues: sandbox q"
# the same flood with cookies on (K twice more: 1, then 2: always) goes through
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "cookies: sandbox opens"
tm_keys B C-u 1 Enter K K K
tm_expect "(tcp_syncookies = 2)" "K K K: cookies always"
tm_keys l F w h c w
tm_expect "ESTABLISHED ESTABLISHED" "cookies always: the client gets through the flood"
tm_keys q
tm_expect_exit 0 "cookies: sandbox q"

# ---- where the sandbox's keys are ----------------------------------------
tm_open 80 24
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "sandbox for its help"
tm_keys n
tm_expect "act with the keys in the bar at the bottom" "n with nothing on the wire: where the keys are"
# the sandbox's part of '?' comes after the step view's keys
help_page() { # text: PgDn through the help until it is on screen
	tm_keys '?'
	tm_wait "Keys of the step view" >/dev/null
	for k in 1 2 3 4 5 6; do
		tm_screen | grep -qF -- "$1" && break
		tm_keys NPage
		tm_wait "$1" >/dev/null
	done
}
help_page "Sandbox keys ("
tm_expect "Sandbox keys (bar at the bottom)" "help: the sandbox's keys are on the bottom bar"
tm_expect_gone "upper bar" "help: no 'upper bar'"
tm_keys q
tm_keys q
tm_expect_exit 0 "sandbox help q"
tm_run "$T --lang zh_CN sandbox"
help_page "沙盒按键（"
tm_expect "沙盒按键（底部的按键栏）" "zh help: the bottom bar"
tm_keys q
tm_keys q
tm_expect_exit 0 "zh sandbox q"

# ---- the menu's language item where Chinese cannot be shown -----------------
tm_open 80 24
tm_run "LC_ALL=C LANG=C $T"
tm_expect "Language: English (switch to Chinese, zh_CN)" "C locale: the language item in ASCII"
tm_expect_gone "??" "C locale: no question marks in the menu"
tm_keys 6
tm_expect "语言：中文" "C locale: switching still gives Chinese"
tm_keys q
tm_expect_exit 0 "C locale menu q"
tm_run "$T --lang en"
tm_expect "Language: English (switch to 中文)" "UTF-8: the Chinese name shown"
tm_keys q
tm_expect_exit 0 "UTF-8 menu q"

# ---- "Replay a file": ~ is the home folder; an empty file says so ---------
mkdir -p "$TMPD/home"
cp "$R/lo/lo-normal.pcap" "$TMPD/home/normal.pcap"
: >"$TMPD/home/empty.pcap"
tm_open 80 24
tm_run "HOME='$TMPD/home' $T --lang en"
tm_expect "Replay a file" "menu for replay"
tm_keys 4
tm_expect "Path of a pcap or pcapng file" "4 asks for a path"
tm_keys "~/normal.pcap" Enter
tm_expect "normal.pcap, stream 0" "~/normal.pcap opens the capture in the home folder"
tm_expect "step 1/10" "its ten segments"
tm_keys q
tm_expect "Replay a file" "q: back in the menu"
tm_keys 4
tm_expect "Path of a pcap or pcapng file" "4 again"
tm_keys "~/empty.pcap" Enter
tm_expect "empty.pcap: empty file" "an empty file is named as such"
tm_expect_gone "file header bytes" "not libpcap's header-bytes message"
tm_keys Enter q
tm_expect_exit 0 "menu q"

# ---- F floods the listener from spoofed sources, e is accept() ----------------
tm_open 100 30
tm_run "$T --lang en sandbox"
tm_expect "Nothing has happened yet" "flood: sandbox opens"
tm_keys l F w
tm_expect "spoofed" "F: SYNs from spoofed sources"
tm_expect "dropped,no-host" "F: their SYN,ACKs go to no host"
tm_expect "198.51.100.2:80 → 198.18.0.4:" "F: the detail line names the spoofed source"
tm_keys e
tm_expect "server: accept(): the accept queue is empty" "e: accept() at the server"
tm_keys '?' NPage NPage
tm_expect "F   flood: four SYNs to the server from spoofed addresses" "? lists F"
tm_keys q q
tm_expect_exit 0 "flood: q leaves"

# ---- an explicit --format means that output, also on a terminal ------------
tm_open 160 48
tm_run "$T --lang en lesson handshake --format tsv"
tm_expect "client_state" "lesson --format tsv on a terminal: the TSV header"
tm_expect_exit 0 "lesson --format tsv: printed, no screen"
tm_run "$T --lang en replay $R/lo/lo-normal.pcap --format json"
tm_expect '{"stream":0,"frame":1,' "replay --format json on a terminal: JSON rows"
tm_expect_exit 0 "replay --format json: printed, no screen"
tm_run "$T --lang en quiz --format tsv --topic handshake --seed 1 </dev/null"
tm_expect_re "^question  *id  *topic" "quiz --format tsv on a terminal: the TSV header"
tm_expect_exit 0 "quiz --format tsv: printed, no screen"
finish

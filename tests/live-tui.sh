#!/bin/sh
# tests/live-tui.sh: tcptutor live's step view through tmux while real
# traffic runs on loopback (as root; skipped otherwise): the view follows
# the newest segment, p steps back and stays there while segments keep
# coming, End follows again, the kernel's word is in the explanation, the
# detail view opens, resizing keeps the step, q restores the terminal; and
# Watch live from the menu twice in one session (privileges kept for it).
set -u
. "${top_srcdir:-.}/tests/lib.sh"
if [ "$(id -u)" -ne 0 ]; then
	skip_rest "the live step view needs root to capture (CI runs it as root)"
fi
command -v python3 >/dev/null || skip_rest "python3 is not installed"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
TALK=${top_srcdir:-.}/tests/replay/record/talk.py
TM_WAIT=60
P=$((35000 + $$ % 1000 * 2))

tm_open 100 30
tm_run "$T --lang en live -i lo tcp port $P"
tm_expect "Waiting for the first TCP segment" "live: waits for traffic"
python3 "$TALK" normal $P
tm_expect "step 10/10" "live: follows to the newest segment"
tm_expect "[live: following]" "live: says it follows"
tm_expect "The kernel (" "live: the kernel's word in the explanation"
if [ -e /sys/kernel/tracing/events/tcp/tcp_probe/format ]; then
	tm_keys v v     # the ladder's place: the states, then the TCBs
	tm_expect "cwnd " "live: tcp_probe's figures in the TCB panel"
	tm_keys v
fi
tm_keys p
tm_expect "step 9/10" "p: one step back"
tm_expect "[live: End follows]" "p: no longer following"
python3 "$TALK" normal $P
tm_expect "step 9/20" "p: stays while segments come"
tm_keys End
tm_expect "step 20/20" "End: the newest again"
tm_expect "[live: following]" "End: following again"
# two connections now: the ladder is headed by the current step's own
newest=$(tm_screen | grep -o '^client 127\.0\.0\.1:[0-9]*')
tm_keys g
tm_wait "Frame (# column)" >/dev/null
tm_keys 5 Enter
tm_expect "step 5/20" "g 5: the first connection's step"
first=$(tm_screen | grep -o '^client 127\.0\.0\.1:[0-9]*')
[ -n "$first" ] && [ -n "$newest" ] && [ "$first" != "$newest" ] && pass ||
	fail "the ladder's heading at step 5 ('$first') is the first connection's, not the newest's ('$newest')"
tm_keys End
tm_expect "step 20/20" "End again"
tm_keys Enter
tm_expect "header length" "Enter: the detail view, the decoded header"
tm_expect "The kernel (" "Enter: the detail view, the kernel's word"
tm_keys Escape
# a SYN's options, decoded as replay decodes a capture's
tm_keys g
tm_wait "Frame (# column)" >/dev/null
tm_keys 1 Enter
tm_expect "step 1/20" "g 1: the first SYN"
tm_keys Enter
tm_expect "  MSS " "Enter: the SYN's options"
tm_keys Escape
tm_keys End
tm_resize 80 24
tm_expect "step 20/20" "resize keeps the step"
python3 "$TALK" refused $P
tm_expect "step 22/22" "still following after the resize"
# six conversations at once, faster than the view redraws: the capture's
# ring keeps their segments until they are read, none dropped
# (tcpdump counts them beside it, in small frames so that it drops none)
if command -v tcpdump >/dev/null; then
	tcpdump -i lo --immediate-mode -U -s 128 -B 16384 -w "$TMPD/burst.pcap" "tcp port $P" 2>"$TMPD/td.log" &
	td=$!
	until grep -q listening "$TMPD/td.log" 2>/dev/null; do sleep 0.1; done
	python3 "$TALK" burst $P
	sleep 1
	kill $td
	wait $td 2>/dev/null
	n=$(( $(tcpdump -r "$TMPD/burst.pcap" 2>/dev/null | wc -l) + 22 ))
	tm_expect "step $n/$n" "a burst of conversations: every segment shown"
	tm_screen | grep -q "dropped" && fail "the burst: packets dropped" || pass
fi
tm_keys q
tm_expect "EXIT=0" "q: leaves with 0"
[ "$(tm_alt)" = 0 ] && pass || fail "q: the terminal is restored (alternate screen off)"

# Watch live from the menu, twice in one session: the live view drops its
# privileges (here to nobody, as under sudo) in a child of its own, so the
# menu keeps them for the second time
tm_open 100 30
tm_run "SUDO_UID=65534 SUDO_GID=65534 $T --lang en"
tm_expect "Watch live" "menu: open"
tm_keys 8
tm_expect "live on lo" "menu: Watch live (others' traffic may be shown at once)"
python3 "$TALK" normal $P
# Watch live has no filter: others' traffic on lo may come too, so only
# that segments are shown counts ("no steps yet" before)
tm_expect "[live: following]" "menu: Watch live captures"
tm_keys q
tm_expect "Watch live" "menu: back from Watch live"
tm_keys 8
tm_expect "live on lo" "menu: Watch live again"
python3 "$TALK" normal $P
tm_expect "[live: following]" "menu: Watch live captures the second time too"
tm_screen | grep -q "cannot capture" && fail "menu: the second Watch live cannot capture" || pass
tm_keys q
tm_expect "Watch live" "menu: back again"
tm_keys q
tm_expect "EXIT=0" "menu: q leaves with 0"
[ "$(tm_alt)" = 0 ] && pass || fail "menu: the terminal is restored"
tm_close
finish

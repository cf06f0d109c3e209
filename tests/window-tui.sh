#!/bin/sh
# tests/window-tui.sh: the step view's windows over the bytes (b), its charts
# (m) and the TCB panel's congestion control rows, through tmux, at 80x24
# and 160x48, in English and Chinese, and in a locale that is not UTF-8.
# The numbers on screen are checked against the --tcb table of the same
# scenario: SND.UNA, SND.NXT, SND.UNA+cwnd, SND.UNA+SND.WND, the bytes in
# flight and the usable window (min(SND.WND, cwnd) - in flight) at the step.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
S=${top_srcdir:-.}
FR="$S/lessons/scenarios/fast-retransmit.scenario"
CAP="$S/assets/01-normal.pcap"
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE

"$T" lesson "$FR" --batch --format tsv --tcb > "$TMPD/fr.tsv"
# fig FRAME: "una nxt wnd cwnd ssthresh flight usable" of the client after that row
fig() {
	awk -F '\t' -v f="$1" 'NR > 1 && $2 == f {
		una = $15; nxt = $16; wnd = $17; cwnd = $18; fl = $22
		eff = (cwnd != "-" && cwnd + 0 < wnd + 0) ? cwnd : wnd
		us = eff - fl; if (us < 0) us = 0
		print una, nxt, wnd, cwnd, $19, fl, us }' "$TMPD/fr.tsv"
}
# the figures the windows must show at step 16 (frame 13, the third
# duplicate ACK: fast retransmit) and step 15 (frame 12)
set -- $(fig 13)
una13=$1 nxt13=$2 wnd13=$3 cwnd13=$4 ssth13=$5 fl13=$6 us13=$7
set -- $(fig 12)
una12=$1 nxt12=$2 wnd12=$3 cwnd12=$4 ssth12=$5 fl12=$6 us12=$7
[ "$cwnd13" = 2750 ] && [ "$ssth13" = 1250 ] && [ "$ssth12" = - ] && pass ||
	fail "the --tcb table's figures: cwnd $cwnd13 ssthresh $ssth13 / $ssth12"

# ---- 80x24: the windows, step forward and back ---------------------------------
tm_open 80 24
tm_run "$T --lang en lesson $FR"
tm_expect "step 1/19" "80x24: the scenario opens"
tm_expect "q quit b window m chart" "the key bar lists q, b and m at 80x24"
tm_keys n n n n n n n n n n n n n n n
tm_expect "step 16/19" "80x24: at the third duplicate ACK"
tm_keys b
tm_expect "─ Windows over the bytes" "b: the windows in the ladder's place"
tm_expect "client sends (RFC 9293 Fig. 3): in flight $fl13, usable $us13" "the sender's flight and usable window"
tm_expect "▲SND.UNA $una13" "SND.UNA marked with its relative number"
tm_expect "▲SND.NXT $nxt13" "SND.NXT marked"
tm_expect_re "▲\(SND.UNA\)\{0,1\}+cwnd $((una13 + cwnd13))" "cwnd's limit marked at SND.UNA+cwnd"
tm_expect_re "SND.UNA+SND.WND $((una13 + wnd13))▲" "SND.UNA+SND.WND marked"
tm_expect "server receives (RFC 9293 Fig. 4)" "the receiver's receive space"
tm_expect "▲RCV.NXT $una13" "RCV.NXT is the sender's SND.UNA after the ACK"
tm_expect "█ acknowledged ▓ sent, unacknowledged ░ usable ▒ beyond cwnd" "the legend"
tm_keys p
tm_expect "step 15/19" "p: one step back"
tm_expect "client sends (RFC 9293 Fig. 3): in flight $fl12, usable $us12" "back: the window as it was"
tm_expect_re "+cwnd $((una12 + cwnd12))" "back: cwnd's limit as it was"
tm_keys n
tm_expect "in flight $fl13, usable $us13" "forward again"
# ---- the charts ------------------------------------------------------------------
tm_keys m
tm_expect "─ cwnd and ssthresh over time" "m: the cwnd chart"
tm_expect "here: cwnd $cwnd13, ssthresh $ssth13" "the chart's cursor figures at the step"
[ "$(tm_screen | grep -c '⠒')" -ge 2 ] && pass || fail "the chart is drawn in braille"
tm_keys p
tm_expect "here: cwnd $cwnd12, ssthresh ∞" "back: ssthresh still arbitrarily high"
tm_keys n m
tm_expect "─ Time-sequence graph" "m again: the time-sequence graph"
tm_expect "client → server: time-sequence graph" "the direction of the data"
tm_keys m
tm_expect "─ Ladder" "m a third time: the ladder again"
tm_keys b b
tm_expect "─ Ladder" "b twice: the ladder again"
tm_keys '?'
tm_expect "the windows over the bytes (RFC 9293 Figures 3 and 4)" "help lists b"
tm_expect "charts in the ladder's place" "help lists m"
tm_keys q q
tm_expect_exit 0 "80x24: q leaves"

# ---- 160x48: all four spaces, both charts, the TCB rows ---------------------------
tm_open 160 48
tm_run "$T --lang en lesson $FR"
tm_expect "step 1/19" "160x48: the scenario opens"
tm_keys n n n n n n n n n n n n n n n
tm_expect "step 16/19" "160x48: at the third duplicate ACK"
tm_expect_re "cwnd  *$cwnd13 recovery " "the TCBs: cwnd, in recovery"
tm_expect_re "ssthresh  *$ssth13 " "the TCBs: ssthresh"
tm_expect_re "SRTT/RTO  *0.1s / 1s " "the TCBs: SRTT and RTO"
tm_expect_re "SND.UNA  *$((una13 + 1000))  *5001" "the TCBs' numbers whole"
tm_keys b
tm_expect "client sends (RFC 9293 Fig. 3): in flight $fl13, usable $us13" "160x48: the client's send space"
tm_expect_re "▲\(SND.UNA\)\{0,1\}+cwnd $((una13 + cwnd13))" "160x48: cwnd's mark"
tm_expect "server sends (RFC 9293 Fig. 3): in flight 0" "160x48: the server's send space"
tm_expect "client receives (RFC 9293 Fig. 4)" "160x48: the client's receive space"
tm_expect "─ TCBs" "160x48: the TCBs stay"
tm_keys m
tm_expect "client: cwnd" "160x48: the client's chart"
tm_expect "server: cwnd" "160x48: the server's chart"
tm_expect "No congestion window yet" "the server has sent no data"
tm_keys Home
tm_expect "step 1/19" "Home"
tm_expect "No congestion window yet" "at the start no cwnd yet"
tm_keys q
tm_expect_exit 0 "160x48: q leaves"

# ---- Chinese --------------------------------------------------------------------
tm_open 80 24
tm_run "$T --lang zh_CN lesson $FR"
tm_expect "第 1/19 步" "zh: opens"
tm_expect "q 退出 b 窗口 m 图表" "zh: the key bar lists b and m"
tm_keys n n n n n n n n n n n n n n n b
tm_expect "─ 字节上的窗口" "zh: the windows"
tm_expect "客户端发送（RFC 9293 图 3）：在途 $fl13，可用 $us13" "zh: the sender's numbers"
tm_expect "█ 已确认 ▓ 已发送未确认 ░ 可用" "zh: the legend"
tm_keys m
tm_expect "此处：cwnd $cwnd13，ssthresh $ssth13" "zh: the chart"
tm_keys m
tm_expect "─ 时间-序号图" "zh: the time-sequence graph"
tm_keys '?'
tm_expect "字节上的窗口（RFC 9293 图 3、图 4）" "zh: help lists b"
tm_keys q q
tm_expect_exit 0 "zh: q leaves"

# ---- a capture, and a locale that is not UTF-8 ---------------------------------------
tm_open 160 48
tm_run "$T --lang en replay $CAP"
tm_expect "step 1/10" "replay opens"
tm_keys n n n n n b
tm_expect "client sends (RFC 9293 Fig. 3): in flight 0, usable 65536  (a capture shows no cwnd)" \
	"replay: what the wire shows, and no cwnd"
tm_keys m
tm_expect "─ Bytes in flight and window over time" "replay: the chart of what a capture knows"
if tm_screen | grep -q "^ *cwnd "; then fail "replay: no cwnd row in the TCBs"; else pass; fi
tm_keys q
tm_expect_exit 0 "replay: q leaves"
tm_open 80 24
tm_run "LC_ALL=C LANG=C $T --lang en replay $CAP"
tm_expect "step 1/10" "C locale: replay opens"
tm_keys n n n n b
tm_expect "# acknowledged = sent, unacknowledged - usable : beyond cwnd . not yet allowed" "C locale: ASCII bars"
tm_expect "^SND.UNA 19" "C locale: ASCII marks"
tm_keys m
tm_expect "client: bytes in flight *, the window offered -" "C locale: an ASCII chart"
tm_keys m
tm_expect "client -> server: time-sequence graph: segments |" "C locale: an ASCII time-sequence graph"
tm_keys q
tm_expect_exit 0 "C locale: q leaves"

# a lesson's `view` line opens the windows itself, and b still leaves them
tm_open 100 30
tm_run "$T --lang en lesson flow-control"
tm_expect "step 1/33" "flow-control opens"
tm_keys n n n n n n n n n n
tm_expect "step 11/33" "flow-control: the first ACK comes back"
tm_expect "Windows over the bytes" "the lesson's view line shows the windows"
tm_expect "client sends (RFC 9293 Fig. 3)" "the windows are the client's send space"
tm_keys b
tm_expect "Ladder" "b goes back to the ladder"
tm_keys n
tm_expect "step 12/33" "the next step of the same action"
if tm_screen | grep -q "Windows over the bytes"; then fail "the learner's b was overruled within the action"; else pass; fi
tm_keys q
tm_expect_exit 0 "flow-control: q leaves"
finish

#!/bin/sh
# tests/replay-tui.sh: replay's screens through tmux: the stream picker for a
# capture with several streams, the step view on the chosen one, the detail
# view with the decoded options, a capture piped on standard input, Chinese.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay

tm_open 120 40
tm_run "$T --lang en replay $R/lo/lo-reuse.pcap"
tm_expect "Pick a TCP stream" "several streams: a picker"
tm_expect "final states" "picker: the column heads"
# the heads stand over their columns
hcol=$(tm_screen | awk '/final states/ { print index($0, "client"); exit }')
rcol=$(tm_screen | awk '/^   [0-9]/ && /127\.0\.0\.1/ { print index($0, "127.0.0.1"); exit }')
[ -n "$hcol" ] && [ "$hcol" = "$rcol" ] && pass || fail "picker: 'client' head over the addresses ($hcol vs $rcol)"
tm_expect "CLOSED/TIME-WAIT" "picker: final states of each stream"
tm_keys Down Enter
tm_expect "stream 1" "the chosen stream opens"
tm_expect "step 1/8" "its eight segments"
tm_expect "C>S SYN " "first row: the SYN"
tm_keys Enter
tm_expect "MSS 65495" "detail: decoded MSS"
tm_expect "window scale 10" "detail: window scale"
tm_expect "Frame 9," "detail: the frame number in the file"
tm_keys Escape
tm_keys q
tm_expect "EXIT=0" "q leaves with status 0"

# a capture on standard input: the keys still come from the terminal
tm_open 120 40
tm_run "cat $R/lo/lo-normal.pcap | $T --lang en replay -"
tm_expect "standard input, stream 0" "stdin: one stream, no picker"
tm_keys n n
tm_expect "step 3/10" "stdin: keys read from the terminal"
tm_keys q
tm_expect "EXIT=0" "stdin: q leaves with status 0"

# Chinese
tm_open 120 40
tm_run "$T --lang zh_CN replay $R/lo/lo-reuse.pcap"
tm_expect "选择一条 TCP 流" "zh: the picker's title"
tm_keys q
tm_expect "EXIT=" "zh: q leaves the picker"
finish

#!/bin/sh
# tests/replay-tui.sh: replay's screens through tmux: the stream picker for a
# capture with several streams, the step view on the chosen one, the detail
# view with the decoded options, a capture piped on standard input, Chinese;
# a damaged capture (the damage on screen, status 1), nothing to show.
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
# (a row without the cursor glyph: awk may count its bytes)
rcol=$(tm_screen | awk '/127\.0\.0\.1/ && !/final states/ && !/\342\226\270/ { print index($0, "127.0.0.1"); exit }')
[ -n "$hcol" ] && [ "$hcol" = "$rcol" ] && pass || fail "picker: 'client' head over the addresses ($hcol vs $rcol)"
tm_expect "CLOSED/TIME-WAIT" "picker: final states of each stream"
tm_expect "closed     CLOSED/TIME-WAIT" "picker: how each stream ended, in words"
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
tm_expect "Pick a TCP stream" "q in a stream chosen from the list: back to the list"
tm_keys q
tm_expect "EXIT=0" "q in the list leaves with status 0"

# a capture on standard input: the keys still come from the terminal
tm_open 120 40
tm_run "cat $R/lo/lo-normal.pcap | $T --lang en replay -"
tm_expect "standard input, stream 0" "stdin: one stream, no picker"
tm_keys n n
tm_expect "step 3/10" "stdin: keys read from the terminal"
tm_keys q
tm_expect "EXIT=0" "stdin: q leaves with status 0"

# replay - with the terminal as standard input would wait for bytes nobody
# types: a usage error at once
tm_open 100 30
tm_run "$T --lang en replay -"
tm_expect "standard input is a terminal" "replay - on a terminal: said at once"
tm_expect "EXIT=2" "replay - on a terminal: a usage error"

# at 80 columns a long note gives room before the len column goes, and a
# cut note ends in an ellipsis (05-options: frame 37 is a 65483-byte
# retransmission of a segment the capture cut)
tm_open 80 24
tm_run "$T --lang en replay ${top_srcdir:-.}/assets/05-options.pcap"
tm_expect "step 1/" "80 columns: the capture opens"
tm_keys g 3 7 Enter
tm_expect "step 37/" "80 columns: frame 37"
tm_expect_re "# dir flags .* len client" "80 columns: the len column stays"
tm_expect_re "65483 ESTABLISHED ESTABLISHED  retransmiss" "80 columns: frame 37's length"
tm_expect "retransmiss…" "80 columns: the cut note ends in an ellipsis"
# the state diagram in the middle at 80x24 leaves the table three lines:
# the current row shows there, not the detail line in its place
tm_keys g 7 Enter v
tm_expect "RFC 9293 states" "80 columns: v, the state diagram"
tm_expect_re "^▸ *7 S>C ACK" "80 columns: with the diagram, frame 7's row shows"
tm_keys v v
# what a search or go-to did not find is said where it is seen, at the
# explanation's top however long it is, and goes with the next that does
tm_keys / R S T Enter
tm_expect "No segment matches 'RST'." "80 columns: a search that finds nothing says so"
tm_keys g 9 9 9 Enter
tm_expect "There is no frame or step 999." "80 columns: a go-to past the end says so"
if tm_screen | grep -q "No segment matches"; then fail "80 columns: the search's message stays"; else pass; fi
tm_keys / F I N Enter
tm_expect "step 46/51" "80 columns: a search that finds (the FIN, frame 46)"
if tm_screen | grep -q "There is no frame"; then fail "80 columns: a message outlives the search that found"; else pass; fi
tm_keys q
tm_expect "EXIT=0" "80 columns: q"

# the same with the table in three lines (01-normal's last step): the
# row, not the detail line
tm_open 80 24
tm_run "$T --lang en replay ${top_srcdir:-.}/assets/01-normal.pcap"
tm_expect "step 1/10" "80 columns, 01-normal: opens"
tm_keys End v
tm_expect "RFC 9293 states" "80 columns, 01-normal: the state diagram"
tm_expect_re "^▸10 0.050720 C>S ACK" "80 columns, 01-normal: the last row shows beside the diagram"
tm_expect "LISTEN       SYN-SENT" "80 columns, 01-normal: the diagram whole"
tm_keys q
tm_expect "EXIT=0" "80 columns, 01-normal: q"

# a capture with nanosecond times: the step view rounds each to the
# microsecond as the tables and tshark do (frame 2 is 15.6 us, frame 8
# 50344.8 us: the golden tshark TSV says 0.000016 and 0.050345)
tm_open 120 40
tm_run "$T --lang en replay $R/lo/lo-normal-nano.pcap"
tm_expect " 2 0.000016 S>C" "nanoseconds: rounded to the microsecond, as tshark"
tm_expect " 8 0.050345 C>S" "nanoseconds: a later frame too"
grep -q "	0.000016	" "$R/lo/lo-normal-nano.tsv" && pass || fail "nanoseconds: tshark's golden says 0.000016"
tm_keys q
tm_expect "EXIT=0" "nanoseconds: q"

# a segment the capture shows lost (its receiver asked for it again) is
# drawn with the cross the help promises, not delivered
tm_open 100 30
tm_run "$T --lang en replay ${top_srcdir:-.}/assets/05-options.pcap"
tm_expect "step 1/" "05-options: the step view"
tm_keys g 3 0 Enter
tm_expect "Lost on the way" "frame 30: the explanation says it was lost"
tm_expect "─✕" "frame 30: the ladder's arrow ends in a cross"
tm_keys q
tm_expect "EXIT=0" "05-options: q leaves with status 0"

# FINs that crossed on the wire: the server's is still on its way while
# the client's is not yet sent, then the two lines cross in one cell and
# arrive side by side, neither drawn over the other
tm_open 100 30
tm_run "$T --lang en replay $R/lo/lo-simultaneous-close.pcap"
tm_expect "step 1/7" "simultaneous close: the step view"
tm_keys n n n
tm_expect "step 4/7" "simultaneous close: the server's FIN"
tm_expect "…─" "step 4: its arrow stops on the wire, not yet arrived"
tm_keys n
tm_expect "step 5/7" "simultaneous close: the client's FIN"
tm_expect "──┼╮" "step 5: the server's FIN goes through the client's in one cell"
tm_expect "──╯╰──" "step 5: both arrive on the same row, apart"
tm_keys q
tm_expect "EXIT=0" "simultaneous close: q leaves with status 0"

# Chinese
tm_open 120 40
tm_run "$T --lang zh_CN replay $R/lo/lo-reuse.pcap"
tm_expect "选择一条 TCP 流" "zh: the picker's title"
tm_expect "已关闭" "zh: how each stream ended, in Chinese"
tm_keys q
tm_expect "EXIT=" "zh: q leaves the picker"

# a damaged capture: the damage is on screen while the frames before it are
# stepped through, and the exit status is 1 as in batch
head -c 500 "$R/lo/lo-normal.pcap" >"$TMPD/cut.pcap"
for size in "80 24" "160 48"; do
	# shellcheck disable=SC2086
	tm_open $size
	tm_run "$T --lang en replay $TMPD/cut.pcap"
	tm_expect "cut.pcap, stream 0, damaged at frame 6" "$size damaged: the title says so"
	tm_expect "The capture is damaged: frame 6: truncated dump file" "$size damaged: the message at the first step"
	tm_expect "step 1/5" "$size damaged: the five frames before the damage"
	tm_keys n
	tm_expect "step 2/5" "$size damaged: stepping on"
	tm_expect "damaged at frame 6" "$size damaged: still said on the next step"
	tm_keys End
	tm_expect "The capture is damaged: frame 6: truncated dump file" "$size damaged: the message at the last step"
	tm_keys q
	tm_expect_exit 1 "$size damaged: q leaves with status 1"
	tm_expect "tcptutor: $TMPD/cut.pcap: frame 6: truncated dump file" "$size damaged: the message on stderr too"
done
# several streams and damage: the picker says so too
size=$(wc -c <"$R/lo/lo-reuse.pcap")
head -c $((size * 3 / 4)) "$R/lo/lo-reuse.pcap" >"$TMPD/cut2.pcap"
tm_open 80 24
tm_run "$T --lang en replay $TMPD/cut2.pcap"
tm_expect "Pick a TCP stream" "damaged, two streams: the picker"
tm_expect_re "The capture is damaged: frame [0-9]*: " "damaged, two streams: the picker says so"
tm_keys q
tm_expect_exit 1 "damaged, two streams: q in the picker leaves with status 1"
tm_run "$T --lang zh_CN replay $TMPD/cut.pcap"
tm_expect "抓包文件已损坏：第 6 帧：" "zh damaged: the message in Chinese"
tm_expect "cut.pcap，流 0，第 6 帧处损坏" "zh damaged: the title in Chinese"
tm_keys q
tm_expect_exit 1 "zh damaged: status 1"

# nothing to show: the same message and status as in batch (replay.sh)
tm_open 160 48
tm_run "$T --lang en replay $R/bad/arp-oobr.pcap"
tm_expect "arp-oobr.pcap: no TCP stream in the capture" "no TCP: the message"
tm_expect_exit 1 "no TCP: status 1"
tm_run "$T --lang en replay $R/lo/lo-normal.pcap udp"
tm_expect "lo-normal.pcap: no TCP stream passes the filter 'udp'" "filter leaves no TCP: the message"
tm_expect_exit 1 "filter leaves no TCP: status 1"
tm_run "$T --lang en --stream 7 replay $R/lo/lo-reuse.pcap"
tm_expect "lo-reuse.pcap: no stream 7 (the capture's streams are 0 to 1)" "--stream 7: the message"
tm_expect_exit 1 "--stream 7: status 1"
# an empty capture on standard input
tm_run "$T --lang en replay - </dev/null"
tm_expect "tcptutor: standard input: empty file" "empty standard input: named, and called empty"
tm_expect_exit 1 "empty standard input: status 1"
# a capture of 20,000 streams (a SYN each, as a scan or a flood makes): the
# picker numbers them by their own stream numbers, and typing one opens it
syn_capture "$TMPD/many.pcap" 20000
tm_open 100 30
tm_run "$T --lang en replay $TMPD/many.pcap"
tm_expect "Pick a TCP stream" "20,000 streams: the picker"
tm_keys 1 9 9 9 9
tm_expect "many.pcap, stream 19999" "20,000 streams: typing 19999 opens that stream"
tm_expect "10.1.78.31" "20,000 streams: its client"
tm_keys q q
tm_expect "EXIT=0" "20,000 streams: q, q leaves"
finish

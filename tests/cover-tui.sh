#!/bin/sh
# tests/cover-tui.sh: the sandbox's challenge through tmux (ui/challenge.c):
# o opens it at 80x24 and 160x48, an action that takes a transition makes
# the count go up, i shows which remain with a hint, and after quitting the
# progress is still there when it is opened again; R forgets it. Then the
# same in Chinese, and the progress file's folder not writable.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
XDG_DATA_HOME=$TMPD/xdg
export LANG LC_ALL LANGUAGE XDG_DATA_HOME

for size in "80 24" "160 48"; do
	rm -rf "$XDG_DATA_HOME"
	# shellcheck disable=SC2086
	tm_open $size
	tm_run "$T --lang en sandbox"
	tm_expect "Nothing has happened yet" "$size: sandbox opens"
	tm_keys o
	tm_expect "Challenge: 0 of 27 transitions taken" "$size: o opens the challenge at 0"
	tm_keys l
	tm_expect "Challenge: 1 of 27 transitions taken" "$size: listen: the count goes up"
	tm_expect "New: CLOSED → LISTEN" "$size: the new transition is named"
	tm_keys h c
	tm_expect "Challenge: 2 of 27" "$size: connect: one more"
	tm_keys i
	tm_expect "Challenge: cover every transition" "$size: i opens the checklist"
	tm_expect "[x] CLOSED → LISTEN, passive OPEN (listen)" "$size: the checklist ticks what was taken"
	tm_expect "Next: LISTEN → SYN-RECEIVED" "$size: the hint names the next transition"
	tm_expect "Try: with the server listening" "$size: and suggests how to take it"
	tm_keys q q
	tm_expect_exit 0 "$size: quit"
	tm_run "$T --lang en sandbox"
	tm_expect "Nothing has happened yet" "$size: sandbox again"
	tm_keys o
	tm_expect "Challenge: 2 of 27 transitions taken" "$size: progress kept after quitting"
	tm_keys R
	tm_expect "Type yes to confirm" "$size: R asks first"
	tm_keys C-u y e s Enter
	tm_expect "Challenge: 0 of 27" "$size: R forgets"
	tm_keys q
	tm_expect_exit 0 "$size: quit again"
	expect_match "$(cat "$XDG_DATA_HOME/tcptutor/cover-progress")" "^tcptutor-cover 1$" "$size: an empty progress file after R"
	tm_close
done

# Chinese, at 80x24
rm -rf "$XDG_DATA_HOME"
tm_open 80 24
tm_run "$T --lang zh_CN sandbox"
tm_keys o l
tm_expect "挑战：已走过 1 / 27 条转换" "zh: the count in Chinese"
tm_keys i
tm_expect "走遍每一条转换" "zh: the checklist in Chinese"
tm_keys q q
tm_expect_exit 0 "zh: quit"
tm_close

# a folder that cannot be made: the challenge works, progress is not kept
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$TMPD/ro"
	chmod 500 "$TMPD/ro"
	tm_open 80 24
	tm_run "XDG_DATA_HOME=$TMPD/ro/x $T --lang en sandbox"
	tm_keys o l
	tm_expect "progress will not be kept" "read-only: said"
	tm_expect "Challenge: 1 of 27" "read-only: the challenge still counts"
	tm_keys q
	tm_expect_exit 0 "read-only: quit"
	tm_close
	chmod 700 "$TMPD/ro"
else
	skip "read-only folder: root writes into any folder"
fi
finish

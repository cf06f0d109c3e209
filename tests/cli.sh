#!/bin/sh
# tests/cli.sh: the command line's contract: help, version, usage errors.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}

out=$("$T" --help) ; expect_status 0 $? "--help"
expect_match "$out" "Usage: tcptutor" "--help prints usage"
expect_match "$out" "replay \[FILE|-\] \[FILTER...\]" "--help lists replay"
out=$("$T" --version); expect_status 0 $? "--version"
expect_match "$out" "^tcptutor [0-9]" "--version GNU style"
out=$("$T" --lang zh_CN --help); expect_status 0 $? "zh help"
expect_match "$out" "用法" "--lang zh_CN --help is Chinese"
out=$(LANG=zh_CN.UTF-8 LANGUAGE= LC_ALL= "$T" --help); expect_match "$out" "用法" "LANG=zh_CN.UTF-8 --help is Chinese"
"$T" --frobnicate >/dev/null 2>"$TMPD/err"; expect_status 2 $? "unknown option exits 2"
expect_match "$(cat "$TMPD/err")" "Try 'tcptutor --help'" "unknown option hints"
[ "$(wc -l < "$TMPD/err")" -eq 2 ] || fail "unknown option: message plus one hint line"
# a command's own usage errors end with the same hint, once
for args in "sandbox a b" "lesson a b" "quiz extra" "live --write x.pcap"; do
	"$T" $args </dev/null >/dev/null 2>"$TMPD/err"; expect_status 2 $? "$args: a usage error, 2"
	[ "$(grep -c "Try 'tcptutor --help'" "$TMPD/err")" -eq 1 ] && pass ||
		fail "$args: one hint line: $(cat "$TMPD/err")"
done
"$T" frobnicate --help >/dev/null 2>"$TMPD/err"; expect_status 2 $? "unknown command with --help exits 2"
expect_match "$(cat "$TMPD/err")" "unknown command 'frobnicate'" "unknown command with --help named"
"$T" lesson "$TMPD" >/dev/null 2>"$TMPD/err"; expect_status 1 $? "lesson DIR exits 1"
expect_match "$(cat "$TMPD/err")" "a directory, not a lesson file" "lesson DIR: said so"
"$T" frobnicate >/dev/null 2>"$TMPD/err"; expect_status 2 $? "unknown command exits 2"
expect_match "$(cat "$TMPD/err")" "unknown command 'frobnicate'" "unknown command named"
"$T" --format xml lesson >/dev/null 2>&1; expect_status 2 $? "bad --format exits 2"
"$T" --lang fr --help >/dev/null 2>&1; expect_status 2 $? "bad --lang exits 2"
finish

#!/bin/sh
# tests/quiz-tui.sh: the quiz screen driven through tmux: the topic picker,
# choices picked by letter, multiple choice ticked, a typed number, the
# feedback with the wrong answer explained, the score, the summary, and the
# progress saved.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
FIX=${top_srcdir:-.}/tests/quiz
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE
P="$TMPD/xdg/tcptutor/quiz-progress"

tm_open 80 24
tm_run "XDG_DATA_HOME='$TMPD/xdg' TCPTUTOR_DATADIR='$FIX' '$T' quiz --seed 5"
tm_expect "Quiz: pick a topic" "the topic picker opens"
tm_expect "Basics" "topics listed by name"
tm_keys 2
# Seed 5 asks b-multiple, b-single, b-number.
tm_expect "question 1 of 3" "a sitting of the topic's three questions"
tm_expect "[ ] a) SYN" "multiple choice shows boxes"
tm_keys a c
tm_expect "[x] c) FIN" "letters tick choices"
tm_keys Enter
tm_expect "Right." "right answer"
tm_expect "score 1/1" "score in the title bar"
tm_expect "Show me (s): lesson handshake, step 2" "feedback names the lesson step"
tm_keys Enter
tm_expect "Which flag aborts a connection?" "next question"
tm_keys a
tm_expect "Wrong. The answer is b." "wrong answer"
tm_expect "Why a is wrong: FIN is the orderly close." "the wrong answer explained"
tm_expect "RST aborts; FIN closes one direction." "the explanation"
tm_keys Enter
tm_expect "Type a number and press Enter:" "a number is typed"
tm_keys 1 0 0 1 Enter
tm_expect "score 2/3" "typed number graded"
tm_keys Enter
tm_expect "Score: 2 of 3 right" "summary"
tm_expect "2/3  Basics" "summary per topic"
tm_keys Enter
tm_expect "EXIT=0" "the quiz ends with status 0"
[ "$(awk '$1 == "q" { s += $5 } END { print s + 0 }' "$P" 2>/dev/null)" = 3 ] && pass ||
	fail "three answers saved"

# the bundled topics in Chinese: the counts line up in one column although
# the names mix double-width characters and ASCII (columns = ASCII bytes +
# 2 per 3-byte CJK character, counted in the C locale)
tm_run "XDG_DATA_HOME='$TMPD/xdg2' '$T' --lang zh_CN quiz"
tm_expect "全部主题" "Chinese topic picker"
tm_expect "三次握手" "Chinese topic names"
cols=$(tm_screen | grep -F '题到期' | sed -n '2,$p' | LC_ALL=C awk '{
	i = index($0, "\357\274\210")   # the full-width "("
	p = substr($0, 1, i - 1); hi = 0
	for (k = 1; k <= length(p); k++) if (substr(p, k, 1) > "\177") hi++
	print length(p) - hi + 2 * hi / 3 }' | sort -u | wc -l)
if [ "$cols" -eq 1 ]; then pass; else fail "Chinese topic counts start in $cols different columns"; fi
tm_keys q
tm_expect "EXIT=0" "Chinese picker q"
tm_close
finish

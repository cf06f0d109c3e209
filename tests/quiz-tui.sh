#!/bin/sh
# tests/quiz-tui.sh: the quiz screen driven through tmux: the topic picker,
# choices picked by letter, multiple choice ticked, a typed number, the
# feedback with the wrong answer explained, the score, the summary, and the
# progress saved; at 80x24 long prompts, the eleven states, a long explanation
# paged with PgDn and a long open answer all stay readable.
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
tm_run "XDG_DATA_HOME='$TMPD/xdg' TCPTUTOR_DATADIR='$FIX' '$T' quiz --seed 11"
tm_expect "Quiz: pick a topic" "the topic picker opens"
tm_expect "Basics" "topics listed by name"
tm_keys 2
# Seed 11 asks b-multiple, b-single, b-number.
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

# ---- long questions at 80x24: the feedback keeps its room -------------------
# A bank written here: a state question (eleven choices) with a three-line
# prompt and an explanation of 30 numbered lines, and an open question with
# four long key points; seed 1 asks the state question first.
mkdir -p "$TMPD/long/quiz"
{
	printf 'topic-name.en long Long\ntopic-name.zh long 长\n\n'
	printf 'question l-state\ntopic long\nkind state\ntitle.en A long state question\n'
	printf 'title.zh 很长的状态题\n'
	for i in 1 2 3; do
		printf 'prompt.en Prompt line %s: a host in FIN-WAIT-1 receives a FIN whose ack covers its own FIN.\n' $i
		printf 'prompt.zh 第 %s 行：FIN-WAIT-1 的主机收到一个确认了自己 FIN 的 FIN。\n' $i
	done
	printf 'answer TIME-WAIT\n'
	for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
		printf 'explain.en Explanation line %s.\nexplain.zh 解析第 %s 行。\n' $i $i
	done
	printf 'show handshake 1\n\n'
	printf 'question l-open\ntopic long\nkind open\ntitle.en An open question\ntitle.zh 开放题\n'
	printf 'prompt.en Say it in your own words.\nprompt.zh 用自己的话说。\n'
	for i in 1 2 3 4; do
		printf 'key.en Key point %s: a sentence long enough to wrap over more than one line of an eighty-column screen.\n' $i
		printf 'key.zh 要点 %s。\n' $i
	done
	printf 'explain.en The open explanation.\nexplain.zh 开放题解析。\nshow handshake 1\n'
} >"$TMPD/long/quiz/long.quiz"
tm_open 80 24
tm_run "XDG_DATA_HOME='$TMPD/xdg3' TCPTUTOR_DATADIR='$TMPD/long' '$T' --lang en quiz --topic long --seed 1"
tm_expect "A long state question" "long bank: the state question first"
tm_expect "k) TIME-WAIT" "80x24: all eleven states are choices"
tm_keys a
tm_expect "Wrong. The answer is TIME-WAIT." "80x24: the verdict"
tm_expect "Explanation:" "80x24: the explanation's heading"
tm_expect "Explanation line 01." "80x24: the explanation itself is on screen, not only its heading"
rows=$(tm_screen | grep -c "Explanation line")
[ "$rows" -ge 6 ] && pass || fail "80x24: only $rows explanation lines on screen, want 6 or more"
# PgDn pages through the explanation without skipping a line
# (each page is read once it is on screen: a busy machine may draw it late,
# and two keys drawn as one would skip a page)
page() { tm_screen | grep -o "Explanation line [0-9]*" | tr '\n' ' '; }
shown=$(page)
seen=$(tm_screen | grep -o "Explanation line [0-9]*" | sort -u)
for k in 1 2 3 4 5 6 7 8; do
	tm_keys NPage
	i=0
	while [ "$(page)" = "$shown" ] && ! tm_screen | grep -qF "Show me (s)" &&
		[ "$i" -lt $((TM_WAIT * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	shown=$(page)
	seen=$(printf '%s\n%s\n' "$seen" "$(tm_screen | grep -o 'Explanation line [0-9]*')" | sort -u)
done
n=$(printf '%s\n' "$seen" | grep -c "Explanation line")
[ "$n" -eq 30 ] && pass || fail "PgDn through the explanation: $n of its 30 lines were ever on screen"
tm_expect "Show me (s): lesson handshake, step 1" "PgDn reaches the end"
tm_keys Enter
tm_expect "An open question" "the open question"
long="my answer is that a FIN says the sender has no more data to send although it may still receive everything the peer sends LASTWORD"
tm_keys -l "$long"
tm_expect "LASTWORD_" "typing: the end of a long open answer is on screen"
tm_expect "my answer is that" "typing: and its beginning"
tm_keys Enter
tm_expect "Did your answer cover them? (y/n)" "self-grade"
tm_expect "LASTWORD" "self-grade: the whole answer is shown"
tm_expect "Key point 4:" "self-grade: every key point"
tm_keys y
tm_expect "Graded right." "graded"
tm_expect "LASTWORD" "feedback: the whole answer is shown"
tm_expect "my answer is that" "feedback: from its beginning"
tm_keys q
tm_expect "Score: 1 of 2 right" "long bank: the summary"
tm_keys Enter
tm_expect "EXIT=0" "long bank: the quiz ends"
tm_close
finish

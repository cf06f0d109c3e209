#!/bin/sh
# tests/quiz.sh: the quiz from the command line. The listing (columns, both
# languages, the four classic questions), a bad bank reported as file:line,
# scripted sittings with known answers (golden output), a full sitting over
# the bundled bank, generated practice answered from its own output, the
# progress file saved after every answer and intact after a kill -9 midway,
# and a corrupt progress file moved aside.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
SRC=${top_srcdir:-.}
FIX="$SRC/tests/quiz"
XDG_DATA_HOME="$TMPD/xdg"
export XDG_DATA_HOME
P="$XDG_DATA_HOME/tcptutor/quiz-progress"
TAB=$(printf '\t')

# Sum of the "asked" column of the progress file (0 if there is none).
asked() { if [ -f "$P" ]; then awk '$1 == "q" { s += $5 } END { print s + 0 }' "$P"; else echo 0; fi; }

# ---- the listing ----
out=$("$T" quiz --list --batch --format tsv); expect_status 0 $? "list tsv"
[ "$(printf '%s\n' "$out" | head -1)" = "id${TAB}topic${TAB}kind${TAB}lesson${TAB}languages${TAB}title" ] &&
	pass || fail "tsv header"
bad=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 && (NF != 6 || $5 != "en,zh_CN" || $4 !~ /^[a-z0-9-]+:[0-9]+$/)' | wc -l)
[ "$bad" -eq 0 ] && pass || fail "$bad rows without 6 columns, both languages and LESSON:STEP"
nbank=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 && $2 != "practice"' | wc -l)
[ "$nbank" -ge 44 ] && pass || fail "the bank has $nbank questions, want at least 44"
for id in classic-why-not-two classic-three-vs-four classic-time-wait classic-client-dies; do
	expect_match "$out" "^$id${TAB}[a-z-]+${TAB}open${TAB}" "list has the classic question $id"
done
kinds=$(printf '%s\n' "$out" | awk -F'\t' 'NR > 1 { print $3 }' | sort -u | tr '\n' ' ')
[ "$kinds" = "multiple number open order single state " ] && pass || fail "kinds listed: $kinds"
expect_match "$out" "^practice-data-ack${TAB}practice${TAB}number${TAB}" "generated templates listed"
out=$("$T" quiz --list --batch --format json --topic handshake --lang zh_CN); expect_status 0 $? "list json"
expect_match "$out" '^\{"id":"classic-why-not-two","topic":"handshake","kind":"open","lesson":"why-three:[0-9]+","languages":"en,zh_CN","title":"为什么不能用两次握手建立连接？"\}$' \
	"json row, title in Chinese"
[ "$(printf '%s\n' "$out" | grep -vc '"topic":"handshake"')" -eq 0 ] && pass || fail "--topic filters the list"
out=$("$T" quiz --list --batch); expect_status 0 $? "list text"
expect_match "$out" "^classic-time-wait +time-wait +open +time-wait:[0-9]+ +en,zh_CN +Why does TIME-WAIT" "text row"
"$T" quiz --list --batch --topic nosuch >/dev/null 2>"$TMPD/err"; expect_status 2 $? "unknown topic exits 2"
expect_match "$(cat "$TMPD/err")" "unknown quiz topic 'nosuch'" "unknown topic named"
"$T" quiz stray --batch </dev/null >/dev/null 2>&1; expect_status 2 $? "stray argument exits 2"

# ---- a broken bank is reported as file:line ----
mkdir -p "$TMPD/bad/quiz"
printf 'question a\ntopic t\nkind sideways\n' >"$TMPD/bad/quiz/x.quiz"
TCPTUTOR_DATADIR="$TMPD/bad" "$T" quiz --list --batch >/dev/null 2>"$TMPD/err"
expect_status 1 $? "bad bank exits 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/x\.quiz:3: unknown kind 'sideways'" "bad bank: file:line"
[ "$(wc -l <"$TMPD/err")" -eq 1 ] && pass || fail "bad bank: one line on stderr"
# --lang zh_CN: the same status, the message in Chinese after file:line, the
# keywords (kind single ...) as the author types them
TCPTUTOR_DATADIR="$TMPD/bad" "$T" quiz --list --batch >/dev/null 2>&1; st_en=$?
TCPTUTOR_DATADIR="$TMPD/bad" "$T" --lang zh_CN quiz --list --batch >/dev/null 2>"$TMPD/err"
expect_status "$st_en" $? "zh_CN: bad bank exits as in English"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/x\.quiz:3: 未知的题型“sideways”（可用 single、multiple、number、order、state、open）$" \
	"zh_CN: bad bank: the message in Chinese"
printf 'question a\ntopic t\nkind single\ntitle.en A\nprompt.en P\nexplain.en E\n' >"$TMPD/bad/quiz/x.quiz"
TCPTUTOR_DATADIR="$TMPD/bad" "$T" quiz --list --batch >/dev/null 2>&1; st_en=$?
TCPTUTOR_DATADIR="$TMPD/bad" "$T" --lang zh_CN quiz --list --batch >/dev/null 2>"$TMPD/err"
expect_status "$st_en" $? "zh_CN: a question without title.zh exits as in English"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/x\.quiz:1: 题目 a：没有 title\.zh$" \
	"zh_CN: a question without title.zh: the message in Chinese"

# ---- scripted sittings with known answers: golden output ----
# basic (seed 11 asks b-multiple, b-single, b-number): right, unreadable, wrong.
printf 'c a\nz\n1000\n' | TCPTUTOR_DATADIR="$FIX" "$T" quiz --batch --seed 11 --topic basic \
	>"$TMPD/basic.out" 2>"$TMPD/err"
expect_status 0 $? "scripted sitting exits 0"
sed "s|$XDG_DATA_HOME|XDG|" "$TMPD/basic.out" >"$TMPD/basic.got"
expect_same "$FIX/basic.out" "$TMPD/basic.got" "golden: basic sitting"
[ -s "$TMPD/err" ] && fail "scripted sitting wrote to stderr: $(cat "$TMPD/err")" || pass
[ "$(asked)" -eq 3 ] && pass || fail "progress after the basic sitting: $(asked) answers saved, want 3"
# Sitting 2 of basic: b-multiple (right in sitting 1, now in box 2) is not due.
out=$(TCPTUTOR_DATADIR="$FIX" "$T" quiz --batch --seed 11 --topic basic </dev/null)
expect_match "$out" "^Question 1 of 2 " "Leitner: a question answered right waits a sitting"
if printf '%s\n' "$out" | grep -q 'b-multiple'; then fail "b-multiple asked although not due"; else pass; fi
# more, in Chinese (m-open, m-state, m-order): open graded y, state with an
# alias, order right.
printf '发送方不再发送数据\ny\nclose_wait\n231\n' |
	TCPTUTOR_DATADIR="$FIX" "$T" --lang zh_CN quiz --batch --seed 10 --topic more >"$TMPD/more.out"
expect_status 0 $? "Chinese sitting exits 0"
sed "s|$XDG_DATA_HOME|XDG|" "$TMPD/more.out" >"$TMPD/more.got"
expect_same "$FIX/more.zh.out" "$TMPD/more.got" "golden: Chinese sitting"
# --format tsv|json: one row per answered question instead of the dialogue
rm -rf "$XDG_DATA_HOME"
printf 'c a\nz\n1000\n' | TCPTUTOR_DATADIR="$FIX" "$T" quiz --batch --seed 11 --topic basic \
	--format tsv >"$TMPD/sit.tsv" 2>"$TMPD/err"
expect_status 0 $? "tsv sitting exits 0"
printf 'question\tid\ttopic\tkind\tanswer\tright\texpected\n1\tb-multiple\tbasic\tmultiple\tc a\tyes\ta c\n2\tb-single\tbasic\tsingle\tz\tno\tb\n3\tb-number\tbasic\tnumber\t1000\tno\t1001\n' >"$TMPD/sit.want"
expect_same "$TMPD/sit.want" "$TMPD/sit.tsv" "tsv sitting: a header and one row per answer"
[ "$(asked)" -eq 3 ] && pass || fail "tsv sitting: $(asked) answers saved, want 3"
rm -rf "$XDG_DATA_HOME"
printf '发送方不再发送数据\ty\ny\nclose_wait\n' |
	TCPTUTOR_DATADIR="$FIX" "$T" --lang zh_CN quiz --seed 10 --topic more --format json >"$TMPD/sit.json"
expect_status 0 $? "json sitting exits 0"
printf '%s\n' '{"question":1,"id":"m-open","topic":"more","kind":"open","answer":"发送方不再发送数据\ty","right":true,"expected":null}' \
	'{"question":2,"id":"m-state","topic":"more","kind":"state","answer":"close_wait","right":true,"expected":"CLOSE-WAIT"}' >"$TMPD/sit.want"
expect_same "$TMPD/sit.want" "$TMPD/sit.json" "json sitting: one object per answer, the sitting ends with the input"

# ---- a full sitting over the bundled bank ----
rm -rf "$XDG_DATA_HOME"
yes a | head -400 | "$T" quiz --batch --seed 11 >"$TMPD/full.out" 2>"$TMPD/err"
expect_status 0 $? "full sitting exits 0"
total=$((nbank + 3))
expect_match "$(cat "$TMPD/full.out")" "^Score: [0-9]+ of $total right$" "full sitting: every question asked"
expect_match "$(cat "$TMPD/full.out")" "^Question $total of $total " "full sitting: numbered to the end"
[ "$(asked)" -eq "$total" ] && pass || fail "full sitting saved $(asked) answers, want $total"
[ "$(tail -1 "$P")" = "end" ] && pass || fail "progress file ends with its end line"
[ -s "$TMPD/err" ] && fail "full sitting wrote to stderr: $(head -3 "$TMPD/err")" || pass
# Every question of the bank was asked once, under its id.
missing=$("$T" quiz --list --batch --format tsv | awk -F'\t' 'NR > 1 && $2 != "practice" { print $1 }' |
	while read -r id; do grep -Eq "^q $id [12] 1 1 [01]\$" "$P" || echo "$id"; done)
[ -z "$missing" ] && pass || fail "not recorded as asked once, wrong: $missing"

# ---- generated practice never runs out; its answers check out ----
rm -rf "$XDG_DATA_HOME"
printf '1\n2\n3\n' | "$T" quiz --batch --topic practice --seed 9 >"$TMPD/p1.out"
expect_status 0 $? "practice sitting exits 0"
expect_match "$(cat "$TMPD/p1.out")" "^Question 4 \\S" "practice goes on until input ends"
expect_match "$(cat "$TMPD/p1.out")" "^Score: [0-3] of 3 right" "practice score"
expect_match "$(cat "$TMPD/p1.out")" "^    host client 192\\.0\\.2\\.1 49152 iss=[0-9]+$" "practice shows its scenario"
# Answer the same questions again with the answers the first run gave.
answers=$(sed -n 's/^Wrong\. The answer is \(.*\)\.$/\1/p; s/^Right\.$/KEEP/p' "$TMPD/p1.out")
if printf '%s\n' "$answers" | grep -q KEEP; then
	fail "a practice answer 1, 2 or 3 was right by chance; pick another seed"
else
	rm -rf "$XDG_DATA_HOME"
	printf '%s\n' "$answers" | "$T" quiz --batch --topic practice --seed 9 >"$TMPD/p2.out"
	expect_match "$(cat "$TMPD/p2.out")" "^Score: 3 of 3 right" "practice: the stated answers are right"
fi

# ---- progress survives a kill -9 midway ----
rm -rf "$XDG_DATA_HOME"
mkfifo "$TMPD/fifo"
"$T" quiz --batch --seed 2 --topic flags <"$TMPD/fifo" >"$TMPD/killed.out" 2>&1 &
pid=$!
exec 3>"$TMPD/fifo"
printf 'a\na\na\n' >&3
n=0
while [ "$(asked)" -lt 3 ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(asked)" -eq 3 ] && pass || fail "three answers saved before the kill: $(asked)"
printf 'b\n' >&3
kill -9 $pid
wait $pid 2>/dev/null
exec 3>&-
a=$(asked)
[ "$a" -eq 3 ] || [ "$a" -eq 4 ] && pass || fail "after kill -9: $a answers saved, want 3 or 4"
head -2 "$P" | grep -q '^tcptutor-quiz-progress 1$' && [ "$(tail -1 "$P")" = "end" ] &&
	pass || fail "progress file intact after kill -9"
# a kill -9 in the middle of a save may leave its PATH.tmp.PID: the next
# sitting that saves takes it away
out=$("$T" quiz --batch --seed 2 --topic flags </dev/null 2>&1)
if printf '%s\n' "$out" | grep -q damaged; then fail "killed sitting left a damaged file"; else pass; fi
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>&1
ls "$XDG_DATA_HOME/tcptutor" | grep -q 'tmp' && fail "temporary file left behind" || pass

# ---- a corrupt progress file is moved aside, nothing else lost ----
printf 'this is not progress\n' >"$P"
printf 'keep me\n' >"$XDG_DATA_HOME/tcptutor/progress"
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
expect_status 0 $? "corrupt progress: the sitting still runs"
expect_match "$(cat "$TMPD/err")" "quiz-progress: line 1: not a tcptutor quiz progress file: the progress file is damaged; it was moved to .*quiz-progress\\.corrupt-1" \
	"corrupt progress: warning"
[ "$(cat "$P.corrupt-1")" = "this is not progress" ] && pass || fail "corrupt file kept as .corrupt-1"
[ "$(cat "$XDG_DATA_HOME/tcptutor/progress")" = "keep me" ] && pass || fail "other files untouched"
[ "$(asked)" -eq 1 ] && pass || fail "fresh progress after the corrupt one: $(asked) answers"

finish

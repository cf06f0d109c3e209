#!/bin/sh
# tests/cover.sh: the batch form of the challenge, `sandbox --coverage`:
# each cover-*.scenario against its golden report (tests/scenarios/*.coverage),
# together they cover every transition, TSV and JSON carry one row per
# transition in the same order, and the option's usage errors.
#   src/tcptutor --lang en sandbox --coverage lessons/scenarios/NAME.scenario > tests/scenarios/NAME.coverage
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
S=${top_srcdir:-.}

for n in cover-open cover-close cover-fail; do
	f=$S/lessons/scenarios/$n.scenario
	"$T" --lang en sandbox --coverage "$f" > "$TMPD/$n.coverage"
	expect_status 0 $? "$n: --coverage runs"
	expect_same "$S/tests/scenarios/$n.coverage" "$TMPD/$n.coverage" "$n: report matches tests/scenarios/$n.coverage"
	"$T" sandbox --coverage --format tsv < "$f" > "$TMPD/$n.tsv"
	expect_status 0 $? "$n: --coverage from standard input"
	awk -F '\t' '$1 == "yes" { print $2 }' "$TMPD/$n.tsv" >> "$TMPD/all"
	"$T" sandbox --coverage --format json "$f" > "$TMPD/$n.json"
	[ "$(wc -l < "$TMPD/$n.json")" -eq $(($(wc -l < "$TMPD/$n.tsv") - 1)) ] && pass ||
		fail "$n: one JSON object per TSV row"
	[ "$(grep -c '"covered":true' "$TMPD/$n.json")" -eq "$(grep -c '^yes' "$TMPD/$n.tsv")" ] && pass ||
		fail "$n: JSON and TSV agree on what is covered"
done
total=$(($(wc -l < "$TMPD/cover-open.tsv") - 1))
expect_match "$(sort -u "$TMPD/all" | wc -l | tr -d ' ')" "^$total\$" "the cover scenarios together take all $total transitions"
# the order is the list's: the same ids in the same order for any scenario
awk -F '\t' '{ print $2 }' "$TMPD/cover-open.tsv" > "$TMPD/ids1"
printf 'listen server\n' | "$T" sandbox --coverage --format tsv | awk -F '\t' '{ print $2 }' > "$TMPD/ids2"
expect_same "$TMPD/ids1" "$TMPD/ids2" "a stable order of transitions"
out=$(printf 'listen server\n' | "$T" --lang en sandbox --coverage)
expect_match "$out" "Transitions covered: 1 of $total" "one listen: one transition"
expect_match "$out" "Next: act as the client and press c: connect" "the report suggests the next one"
out=$(printf 'listen server\n' | "$T" --lang zh_CN sandbox --coverage)
expect_match "$out" "走过的转换：1 / $total" "the report in Chinese"
# errors: a broken scenario exits 1 with FILE:LINE, the option elsewhere 2
printf 'listen server\nfrobnicate\n' | "$T" sandbox --coverage > /dev/null 2> "$TMPD/err"
expect_status 1 $? "a broken scenario: exit 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: <stdin>:2: " "a broken scenario: FILE:LINE"
"$T" lesson --coverage > /dev/null 2> "$TMPD/err"
expect_status 2 $? "--coverage with lesson: usage error"
expect_match "$(cat "$TMPD/err")" "--coverage is for 'sandbox'" "--coverage with lesson: says so"
finish

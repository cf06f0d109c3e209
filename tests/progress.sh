#!/bin/sh
# tests/progress.sh: the learner's files when things go wrong: a read-only
# data folder (the quiz says once that progress was not saved and goes on),
# temporaries left by a killed writer removed by the next save (a live
# writer's kept), two quiz sittings at once keeping every answer, a damaged
# line or CRLF line endings costing nothing but that line, and a directory
# where a progress file belongs named as such.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
FIX=${top_srcdir:-.}/tests/quiz
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE
XDG_DATA_HOME="$TMPD/xdg"
export XDG_DATA_HOME
D="$XDG_DATA_HOME/tcptutor"
P="$D/quiz-progress"

# Sum of the "asked" column of the quiz progress file (0 if there is none).
asked() { if [ -f "$P" ]; then awk '$1 == "q" { s += $5 } END { print s + 0 }' "$P"; else echo 0; fi; }
# A process number that no process has: a child already reaped.
dead_pid() { sh -c 'echo $$'; }
# Runs a command with folder $1 read-only: by its mode, or, as root (whom
# modes do not stop), through a read-only bind mount in a user namespace.
# Status 77 when neither can be arranged.
read_only() {
	dir=$1
	shift
	if [ "$(id -u)" -ne 0 ]; then
		chmod 555 "$dir"
		"$@"
		st=$?
		chmod 755 "$dir"
		return $st
	fi
	unshare -rm true 2>/dev/null || return 77
	unshare -rm sh -c 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"' \
		"$dir" "$@"
}

# ---- a read-only data folder: said once, the sitting goes on ----------------
rm -rf "$XDG_DATA_HOME"
printf 'a\n' | TCPTUTOR_DATADIR="$FIX" "$T" quiz --batch --seed 11 --topic basic >/dev/null 2>&1
before=$(cat "$P")
printf 'c a\nb\n1000\n' | read_only "$D" env TCPTUTOR_DATADIR="$FIX" "$T" quiz --batch --seed 11 \
	--topic basic >"$TMPD/ro.out" 2>"$TMPD/ro.err"
st=$?
if [ $st -eq 77 ]; then
	skip "cannot make a folder read-only here: the read-only folder part"
else
	expect_status 1 $st "read-only folder: a failed save ends with status 1"
	[ "$(wc -l <"$TMPD/ro.err")" -eq 1 ] && pass ||
		{ fail "read-only folder: want one line on stderr, got:"; cat "$TMPD/ro.err" >&2; }
	expect_match "$(cat "$TMPD/ro.err")" \
		"^tcptutor: progress not saved: cannot write in .*/tcptutor: (Read-only file system|Permission denied)$" \
		"read-only folder: what is wrong and where"
	expect_match "$(cat "$TMPD/ro.out")" "^Question 3 of 3 " "read-only folder: the sitting goes on"
	expect_match "$(cat "$TMPD/ro.out")" "^Score: [0-3] of 3 right$" "read-only folder: every answer graded"
	if grep -q 'Progress saved' "$TMPD/ro.out"; then
		fail "read-only folder: the summary says the progress was saved"
	else
		pass
	fi
	[ "$(cat "$P")" = "$before" ] && pass || fail "read-only folder: the progress file changed"
fi

# ---- temporaries of a killed writer go; a live writer's stay ----------------
rm -rf "$XDG_DATA_HOME"
mkdir -p "$D"
dead=$(dead_pid)
printf 'half' >"$P.tmp.$dead"
printf 'half' >"$P.tmp.$$"              # this shell: a writer still at work
printf 'x' >"$P.tmp.notanumber"
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
expect_status 0 $? "sitting with stale temporaries"
[ -e "$P.tmp.$dead" ] && fail "the temporary of a writer that is gone is still there" || pass
[ -e "$P.tmp.$$" ] && pass || fail "a live writer's temporary was removed"
[ -e "$P.tmp.notanumber" ] && pass || fail "a file not named PATH.tmp.PID was removed"
[ "$(asked)" -eq 1 ] && pass || fail "stale temporaries: $(asked) answers saved, want 1"

# ---- two sittings at once keep every answer ----------------------------------
rm -rf "$XDG_DATA_HOME"
nbank=$("$T" quiz --list --batch --format tsv | awk -F'\t' 'NR > 1 && $2 != "practice"' | wc -l)
total=$((nbank + 3))
for seed in 1 2 3; do
	yes a | head -400 | "$T" quiz --batch --seed $seed >"$TMPD/par$seed.out" 2>"$TMPD/par$seed.err" &
done
wait
# a sitting that starts after another saved a right answer finds that
# question not yet due (Leitner): it asks one fewer; every answer of all
# three must be kept all the same
want=0
for seed in 1 2 3; do
	expect_match "$(cat "$TMPD/par$seed.out")" "^Score: [0-9]+ of [0-9]+ right$" "sitting $seed of three at once"
	n=$(sed -n 's/^Score: [0-9]* of \([0-9]*\) right$/\1/p' "$TMPD/par$seed.out")
	[ -n "$n" ] && [ "$n" -le "$total" ] && [ "$n" -ge $((total - 10)) ] && pass ||
		fail "sitting $seed asked ${n:-no} questions of $total"
	want=$((want + ${n:-0}))
	[ -s "$TMPD/par$seed.err" ] && fail "sitting $seed wrote: $(head -3 "$TMPD/par$seed.err")" || pass
done
[ "$(asked)" -eq "$want" ] && pass ||
	fail "three sittings at once: $(asked) answers kept, want $want"
[ "$(tail -1 "$P")" = "end" ] && pass || fail "after three sittings: the file ends with its end line"

# ---- a damaged byte costs one record; CRLF costs nothing --------------------
before=$(asked)
# One byte of the first record's box turned into a letter.
awk 'BEGIN { done = 0 } $1 == "q" && !done { sub(/ [0-9] /, " x "); done = 1 } { print }' "$P" \
	>"$P.new" && mv "$P.new" "$P"
lost=$(awk '$1 == "q" && $3 == "x" { print $5 }' "$P")
line=$(awk '$1 == "q" && $3 == "x" { print NR }' "$P")
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
expect_status 0 $? "sitting over a damaged line"
expect_match "$(cat "$TMPD/err")" \
	"^tcptutor: .*/quiz-progress: line $line: not a progress line: skipped; every other record was kept$" \
	"damaged line: one warning naming the line"
[ "$(wc -l <"$TMPD/err")" -eq 1 ] && pass || fail "damaged line: more than one warning"
ls "$D" | grep -q corrupt && fail "damaged line: the file was moved aside" || pass
[ "$(asked)" -eq $((before - lost + 1)) ] && pass ||
	fail "damaged line: $(asked) answers kept, want $((before - lost + 1))"
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
[ -s "$TMPD/err" ] && fail "the save after a damaged line left it damaged: $(cat "$TMPD/err")" || pass
before=$(asked)
sed 's/$/\r/' "$P" >"$P.new" && mv "$P.new" "$P"
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
expect_status 0 $? "sitting over CRLF lines"
[ -s "$TMPD/err" ] && fail "CRLF: warned: $(cat "$TMPD/err")" || pass
[ "$(asked)" -eq $((before + 1)) ] && pass || fail "CRLF: $(asked) answers kept, want $((before + 1))"
# The lessons' file too.
printf 'tcptutor-progress 1\r\nlesson handshake finished=1 best=2 last=2 of=5\r\n' >"$D/progress"
out=$("$T" lesson --list 2>"$TMPD/err")
[ -s "$TMPD/err" ] && fail "lesson progress with CRLF: warned: $(cat "$TMPD/err")" || pass
expect_match "$out" "^handshake +[0-9]+ +[0-9]+ +2/5 " "lesson progress with CRLF read"
printf 'tcptutor-progress 1\nlesson handshake finished=1 best=2 last=2 of=5\nlesson data fin\n' >"$D/progress"
out=$("$T" lesson --list 2>"$TMPD/err")
expect_match "$(cat "$TMPD/err")" "progress:3: 1 damaged line skipped; every other record kept" \
	"lesson progress: a damaged line named"
expect_match "$out" "^handshake +[0-9]+ +[0-9]+ +2/5 " "lesson progress: the good line kept"

# ---- a directory where a progress file belongs --------------------------------
rm -rf "$XDG_DATA_HOME"
mkdir -p "$P" "$D/progress"
printf 'a\n' | "$T" quiz --batch --seed 2 --topic flags >/dev/null 2>"$TMPD/err"
expect_status 1 $? "quiz progress is a directory: status 1"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/tcptutor/quiz-progress is a directory, not a file$" \
	"quiz progress is a directory: said so, with the path"
"$T" lesson --list >/dev/null 2>"$TMPD/err"
expect_match "$(cat "$TMPD/err")" "^tcptutor: .*/tcptutor/progress is a directory, not a file$" \
	"lesson progress is a directory: said so, with the path"

finish

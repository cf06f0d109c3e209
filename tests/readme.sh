#!/bin/sh
# tests/readme.sh: every example command of README.md runs as written.
#
# Examples are the README's indented code lines that start with a command
# (tcptutor, printf, tcpdump, ./bootstrap, make), without the trailing
# "# comment" or description (two or more blanks), and its inline `tcptutor
# ...` spans that hold no placeholder (an upper-case word such as NAME or
# FILE). Each must be listed below with the exit status and a pattern of its
# standard output (extended regular expression), and each listed command
# must still be in the README: a new example needs a line here, a changed
# one a changed line. Build commands are listed as "skip".
#
# Each runs through sh in a scratch folder, with standard input from
# /dev/null unless the example gives its own, standard output not a
# terminal (so every command prints), a fresh $XDG_DATA_HOME, and on PATH
# this build's tcptutor and a stand-in tcpdump that "captures" a recorded
# loopback conversation. The file names the examples use are copies of
# recorded captures and bundled content:
#   capture.pcap  a loopback conversation (tests/replay/lo/lo-normal.pcap)
#   x.pcap        HTTP on port 80 (tests/replay/good/print-flags.pcap)
#   trace.pcapng  OpenFlow on 127.0.0.1 port 6633 (good/of13_ericsson.pcapng)
#   trace.pcap    fifteen Redis connections (good/resp_1_benchmark.pcap)
#   my.scenario   lessons/scenarios/handshake.scenario
#   my.lesson     lessons/handshake.lesson
# It also checks the README's counts of bundled things against the tree.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
SRC=${top_srcdir:-.}
README="$SRC/README.md"
R="$SRC/tests/replay"
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
case $SRC in /*) ;; *) SRC="$(pwd)/$SRC" ;; esac
# the examples run in another folder: data and catalogs by absolute paths
for v in TCPTUTOR_DATADIR TCPTUTOR_LOCALEDIR; do
	eval "d=\${$v:-}"
	case $d in ''|/*) ;; *) eval "$v=\$(pwd)/\$d; export $v" ;; esac
done
TAB=$(printf '\t')

# ---- the examples and what each must do -----------------------------------
# command <TAB> status (or skip) <TAB> pattern of standard output
cat >"$TMPD/want" <<'EOF'
./bootstrap && src/tcptutor	skip	-
make check	skip	-
tcptutor live [-i IFACE] [--count N] [--seconds S] [FILTER...]	skip	-
tcptutor	0	^Usage: tcptutor
tcptutor lesson --list	0	^handshake +[0-9]+ +[0-9]+ .*three-way handshake
tcptutor lesson handshake	0	C>S +SYN +0
tcptutor sandbox	0	^ *frame +time +dir
tcptutor replay capture.pcap	0	^-- stream 0: 127\.0\.0\.1:39204 <-> 127\.0\.0\.1:47010
tcptutor replay x.pcap 'port 80'	0	:80( |$)
tcptutor quiz	0	^Question 1 of [0-9]+ 
tcptutor --lang zh_CN	0	用法
tcptutor --present --autoplay=4 lesson handshake	0	ESTABLISHED
tcptutor lesson lessons/scenarios/simultaneous-close.scenario --batch	0	CLOSING
tcptutor lesson lessons/scenarios/fast-retransmit.scenario --format tsv --tcb	0	c_snd_una	c_snd_nxt	c_snd_wnd	c_cwnd
tcptutor lesson --list --batch --format tsv	0	^name	title	steps	checkpoints	languages
tcptutor lesson handshake --batch	0	C>S +SYN +0
tcptutor lesson handshake --batch --lang zh_CN	0	三次握手
tcptutor lesson handshake --format tsv	0	^stream	frame	time	dir	src	dst	flags
tcptutor quiz --topic practice	0	^Question 1 · generated practice
tcptutor quiz --list --batch --format tsv	0	^id	topic	kind	lesson	languages	title$
printf 'stale SYNs: the server cannot tell\ny\n2 3 4 1\n' | tcptutor quiz --batch --topic handshake --seed 5	0	^Score: 2 of 2 right$
tcpdump -i lo -U -w - port 8080 | tcptutor replay --batch -	0	^ +10 +[0-9.]+ C>S ACK 
tcpdump -c 40 -w - port 8080 | tcptutor replay -	0	^ +1 +0\.000000 C>S SYN 
tcptutor replay trace.pcapng 'host 127.0.0.1 and port 6633'	0	^-- stream 0: 127\.0\.0\.1:6633 <-> 
tcptutor replay trace.pcap --batch --streams	0	^ +14 +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:6379 
tcptutor replay trace.pcap --batch --stream 3 --format tsv	0	^3	[0-9]+	[0-9.]+	C>S	127\.0\.0\.1:[0-9]+	127\.0\.0\.1:6379	SYN	
tcptutor replay	0	^-- stream 0: 
tcptutor sandbox --batch < my.scenario	0	ESTABLISHED +ESTABLISHED
tcptutor lesson	0	^handshake +[0-9]+
tcptutor lesson handshake	0	C>S +SYN +0
tcptutor lesson ./my.lesson --batch	0	C>S +SYN +0
EOF

# ---- what the README holds ---------------------------------------------------
awk '
/^    (tcptutor|printf|tcpdump|\.\/bootstrap|make)( |$)/ {
	s = substr($0, 5)
	sub(/ +#.*$/, "", s)
	sub(/  +[^ ].*$/, "", s)
	sub(/ +$/, "", s)
	print s
}' "$README" >"$TMPD/block"
grep -o '`tcptutor[ `][^`]*`\|`tcptutor`' "$README" | tr -d '`' |
	grep -Ev '(^|[ <])[A-Z][A-Z]+( |$)' >"$TMPD/inline"
cat "$TMPD/block" "$TMPD/inline" | sort -u >"$TMPD/have"
cut -f1 "$TMPD/want" | sort -u >"$TMPD/listed"
missing=$(comm -23 "$TMPD/have" "$TMPD/listed" | sed 's/\\/\\\\/g')
stale=$(comm -13 "$TMPD/have" "$TMPD/listed" | sed 's/\\/\\\\/g')
[ -z "$missing" ] && pass || fail "README examples not listed in tests/readme.sh: $missing"
[ -z "$stale" ] && pass || fail "listed in tests/readme.sh but no longer in the README: $stale"
[ "$(wc -l <"$TMPD/have")" -ge 25 ] && pass || fail "only $(wc -l <"$TMPD/have") examples found in the README"

# ---- the scratch folder ------------------------------------------------------
W="$TMPD/work"
mkdir -p "$W" "$TMPD/bin"
ln -s "$T" "$TMPD/bin/tcptutor"
cat >"$TMPD/bin/tcpdump" <<EOF
#!/bin/sh
# a stand-in: what tcpdump -w - would write for one loopback conversation
cat "$SRC/tests/replay/lo/lo-normal.pcap"
EOF
chmod +x "$TMPD/bin/tcpdump"
cp "$R/lo/lo-normal.pcap" "$W/capture.pcap"
cp "$R/good/print-flags.pcap" "$W/x.pcap"
cp "$R/good/of13_ericsson.pcapng" "$W/trace.pcapng"
cp "$R/good/resp_1_benchmark.pcap" "$W/trace.pcap"
cp "$SRC/lessons/scenarios/handshake.scenario" "$W/my.scenario"
cp "$SRC/lessons/handshake.lesson" "$W/my.lesson"
ln -s "$SRC/lessons" "$W/lessons"

# ---- run each one --------------------------------------------------------------
n=0
while IFS="$TAB" read -r cmd status pattern; do
	[ "$status" = skip ] && continue
	n=$((n + 1))
	rm -rf "$TMPD/xdg"
	(cd "$W" && XDG_DATA_HOME="$TMPD/xdg" PATH="$TMPD/bin:$PATH" sh -c "$cmd" \
		</dev/null >"$TMPD/out" 2>"$TMPD/err")
	rc=$?
	if [ "$rc" -ne "$status" ]; then
		fail "README example '$cmd': exit status $rc, want $status"
		head -3 "$TMPD/err" >&2
		continue
	fi
	if grep -Eq -- "$pattern" "$TMPD/out"; then
		pass
	else
		fail "README example '$cmd': no line matches /$pattern/:"
		head -8 "$TMPD/out" >&2
		head -3 "$TMPD/err" >&2
	fi
	if grep -v '^tcptutor: ' "$TMPD/err" | grep -q .; then
		fail "README example '$cmd': stray output on standard error"
		head -3 "$TMPD/err" >&2
	fi
done <"$TMPD/want"
[ "$n" -ge 25 ] && pass || fail "only $n examples were run"

# ---- counts the README states ------------------------------------------------
# A number of bundled things, spelled out or in digits, must be the real one
# (better: not stated at all, so it cannot drift).
words="one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty"
count_of() { # word or digits -> number
	case $1 in *[!0-9]*) ;; *) echo "$1"; return ;; esac
	i=0
	for w in $words; do
		i=$((i + 1))
		[ "$w" = "$1" ] && { echo $i; return; }
	done
	echo "?"
}
nscen=$(ls "$SRC"/lessons/scenarios/*.scenario | wc -l)
nlesson=$(ls "$SRC"/lessons/*.lesson | wc -l)
for what in "scenarios:$nscen" "lessons:$nlesson"; do
	noun=${what%%:*}
	real=${what#*:}
	claims=$(tr '\n' ' ' <"$README" | grep -Eio "\\b[a-z0-9]+ (small |bundled )?$noun\\b" |
		awk '{ print tolower($1) }')
	for c in $claims; do
		k=$(count_of "$c")
		[ "$k" = "?" ] && continue
		[ "$k" -eq "$real" ] && pass || fail "README says $c $noun; there are $real"
	done
done
finish

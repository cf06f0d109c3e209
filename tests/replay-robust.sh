#!/bin/sh
# tests/replay-robust.sh: damaged captures never crash replay.
# Every file of tests/replay/bad (files that once crashed tcpdump or libpcap)
# and truncated and byte-flipped copies of the good ones: exit 0 or 1, every
# stderr line a "tcptutor: FILE: ..." message, and for a cut-off file the
# rows before the damage exactly as the whole file gives them. Under the
# sanitizer build a report makes the run fail too.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
T=${TCPTUTOR:-src/tcptutor}
R=${top_srcdir:-.}/tests/replay

check() { # file description
	"$T" --batch --format tsv replay "$1" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ $rc -gt 1 ]; then
		fail "$2: exit status $rc"
		head -5 "$TMPD/err" >&2
		return
	fi
	if grep -v '^tcptutor: ' "$TMPD/err" | grep -q .; then
		fail "$2: stray output on stderr"
		head -5 "$TMPD/err" >&2
		return
	fi
	if [ $rc -eq 1 ] && ! grep -q "^tcptutor: $1: " "$TMPD/err"; then
		fail "$2: exit 1 without a message naming the file"
		return
	fi
	"$T" --batch --format json --streams replay "$1" >/dev/null 2>&1
	[ $? -le 1 ] && pass || fail "$2: --streams exit status"
}

for f in "$R"/bad/*.pcap "$R"/bad/*.pcapng; do
	check "$f" "bad/$(basename "$f")"
done

# byte $2 of file $1 becomes value $3 (0-255)
poke() {
	printf "\\$(printf %o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

for f in "$R"/good/*.pcap "$R"/good/*.pcapng "$R"/lo/*.pcap "$R"/lo/*.pcapng; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	size=$(wc -c <"$f")
	"$T" --batch --format tsv replay "$f" 2>/dev/null | cut -f1-11 >"$TMPD/whole"
	for k in 3 7 13; do
		cut_at=$((size * k / 17 + 11))
		[ $cut_at -lt "$size" ] || cut_at=$((size - 1))
		head -c "$cut_at" "$f" >"$TMPD/x"
		check "$TMPD/x" "$name cut at $cut_at"
		cut -f1-11 "$TMPD/out" >"$TMPD/part"
		n=$(wc -l <"$TMPD/part")
		head -n "$n" "$TMPD/whole" >"$TMPD/prefix"
		expect_same "$TMPD/prefix" "$TMPD/part" "$name cut at $cut_at: rows before the damage"
		cp "$f" "$TMPD/x"
		chmod u+w "$TMPD/x"
		for j in 0 1 2 3; do
			o=$(((size * k / 19 + j * 97) % size))
			poke "$TMPD/x" "$o" $(((o * 31 + k * 17 + j) % 256))
		done
		check "$TMPD/x" "$name with bytes changed near $((size * k / 19))"
	done
done
finish

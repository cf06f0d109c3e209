#!/bin/sh
# bench/replay.sh: replay's speed and memory against a bare libpcap loop
# (doc/design.md: --streams within 1.5x, the TSV table within 3x, peak memory
# under 64 MiB on 1.5 million packets in 100,000 connections). Beside each
# time, the processor time of all the command's threads and its ratio.
# Reports ratios; asserts nothing. Run from the build tree: `make bench`
# (BENCH_RUNS=N rounds, 5 unless set; BENCH_INSTR=1 also counts instructions).
set -eu
B=${top_builddir:-.}
T=$B/src/tcptutor
F=${TMPDIR:-/tmp}/tcptutor-bench.pcap
[ -f "$F" ] || "$B/bench/mkpcap" "$F" 100000
now() { date +%s.%N; }  # GNU date
# median: the median of the times on standard input. once COMMAND...: one
# run's wall-clock time in seconds. The runs below interleave the commands
# (BENCH_RUNS rounds, 5 unless set) so that a busy machine slows each alike.
median() { sort -n | awk '{ t[NR] = $1 } END { printf "%.3f", t[int((NR + 1) / 2)] }'; }
# once COMMAND...: one run's wall-clock time in seconds, then (GNU time, if
# there is one) the processor time it took in all its threads, user and
# system: replay reads ahead in a second thread, so the two differ.
once() {
	s=$(now)
	if [ -x /usr/bin/time ]; then
		c=$(/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ print $1 + $2 }')
	else
		"$@" >/dev/null
		c=0
	fi
	e=$(now)
	awk -v s="$s" -v e="$e" -v c="$c" 'BEGIN { printf "%.4f %.2f\n", e - s, c }'
}
peak() { # command... : peak resident memory in KiB (GNU time if present)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	else
		echo "?"
	fi
}
R=${BENCH_RUNS:-5}
: >"$F.floor"; : >"$F.unlocked"; : >"$F.streams"; : >"$F.tsv"; : >"$F.one"
i=0
while [ "$i" -lt "$R" ]; do
	once "$B/bench/pcaploop" "$F" >>"$F.floor"
	once "$B/bench/pcaploop" -u "$F" >>"$F.unlocked"
	once "$T" --batch --streams --format tsv replay "$F" >>"$F.streams"
	once "$T" --batch --format tsv replay "$F" >>"$F.tsv"
	once "$T" --batch --format tsv --tcb --stream 5 replay "$F" >>"$F.one"
	i=$((i + 1))
done
wall() { cut -d' ' -f1 <"$1" | median; }
cpu() { cut -d' ' -f2 <"$1" | median; }
floor=$(wall "$F.floor")
unlocked=$(wall "$F.unlocked")
streams=$(wall "$F.streams")
tsv=$(wall "$F.tsv")
echo "== replay: $(ls -l "$F" | awk '{ print $5 }') bytes, 1.5M packets, 100k connections (medians of $R, interleaved)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '   bare libpcap loop   %6.3f s              cpu %5.2f s\n' "$floor" "$(cpu "$F.floor")"
printf '   ... stdio unlocked  %6.3f s  %5.2fx       cpu %5.2f s  (as replay reads)\n' "$unlocked" \
	"$(ratio "$unlocked" "$floor")" "$(cpu "$F.unlocked")"
printf '   replay --streams    %6.3f s  %5.2fx  (goal 1.5x)  cpu %5.2f s %5.2fx  peak %s KiB\n' \
	"$streams" "$(ratio "$streams" "$floor")" "$(cpu "$F.streams")" \
	"$(ratio "$(cpu "$F.streams")" "$(cpu "$F.floor")")" "$(peak "$T" --batch --streams replay "$F")"
printf '   replay --format tsv %6.3f s  %5.2fx  (goal 3x)    cpu %5.2f s %5.2fx  peak %s KiB (goal < 65536)\n' \
	"$tsv" "$(ratio "$tsv" "$floor")" "$(cpu "$F.tsv")" \
	"$(ratio "$(cpu "$F.tsv")" "$(cpu "$F.floor")")" "$(peak "$T" --batch --format tsv replay "$F")"
# one stream of them, with its TCBs, as the step view takes it (followed
# alone: the others are only numbered)
printf '   --tcb --stream 5    %6.3f s  %5.2fx               cpu %5.2f s %5.2fx  peak %s KiB\n' \
	"$(wall "$F.one")" "$(ratio "$(wall "$F.one")" "$floor")" "$(cpu "$F.one")" \
	"$(ratio "$(cpu "$F.one")" "$(cpu "$F.floor")")" \
	"$(peak "$T" --batch --format tsv --tcb --stream 5 replay "$F")"
rm -f "$F.floor" "$F.unlocked" "$F.streams" "$F.tsv" "$F.one"
# both threads on one processor, as on a busy machine (for information: the
# threads must hand the processor over, not spin, while they wait)
if command -v taskset >/dev/null 2>&1; then
	: >"$F.pin"
	i=0
	while [ "$i" -lt "$R" ]; do
		once taskset -c 0 "$T" --batch --format tsv replay "$F" >>"$F.pin"
		i=$((i + 1))
	done
	printf '   tsv, one processor  %6.3f s  %5.2fx               (taskset -c 0)\n' \
		"$(wall "$F.pin")" "$(ratio "$(wall "$F.pin")" "$floor")"
	rm -f "$F.pin"
fi

# Instructions, which a busy machine does not change (BENCH_INSTR=1, with
# valgrind): the same kind of capture at a tenth of the size, counted by
# callgrind; the ratios to the floor's count beside the times'.
if [ "${BENCH_INSTR:-0}" = 1 ] && command -v valgrind >/dev/null 2>&1; then
	S=${TMPDIR:-/tmp}/tcptutor-bench-small.pcap
	[ -f "$S" ] || "$B/bench/mkpcap" "$S" 10000
	instr() { # command...: instructions it ran
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
			awk '/refs:/ { gsub(",", "", $NF); print $NF }'
	}
	fi=$(instr "$B/bench/pcaploop" "$S")
	si=$(instr "$T" --batch --streams --format tsv replay "$S")
	ti=$(instr "$T" --batch --format tsv replay "$S")
	per() { awk -v a="$1" 'BEGIN { printf "%.0f", a / 150000 }'; }
	echo "== replay: instructions on 150,000 packets, 10k connections (callgrind)"
	printf '   bare libpcap loop   %5s a packet\n' "$(per "$fi")"
	printf '   replay --streams    %5s a packet  %5.2fx  (goal 1.5x)\n' "$(per "$si")" "$(ratio "$si" "$fi")"
	printf '   replay --format tsv %5s a packet  %5.2fx  (goal 3x)\n' "$(per "$ti")" "$(ratio "$ti" "$fi")"
fi

# versus OPTION PLAIN CRAFTED: the median wall times of replay OPTION over
# two captures, run in turn R times, in $plain and $crafted.
versus() {
	: >"$2.t"; : >"$3.t"
	i=0
	while [ "$i" -lt "$R" ]; do
		once "$T" --batch "$1" --format tsv replay "$2" >>"$2.t"
		once "$T" --batch "$1" --format tsv replay "$3" >>"$3.t"
		i=$((i + 1))
	done
	plain=$(wall "$2.t")
	crafted=$(wall "$3.t")
	rm -f "$2.t" "$3.t"
}

# Adversarial input: 100,000 SYNs whose 4-tuples an unkeyed hash would pile
# into one bucket, against as many unrelated ones (goal: within 2x), and the
# peak memory of a SYN flood of a million (goal < 192 MiB).
C=${TMPDIR:-/tmp}/tcptutor-bench-collide.pcap
P=${TMPDIR:-/tmp}/tcptutor-bench-syn.pcap
M=${TMPDIR:-/tmp}/tcptutor-bench-flood.pcap
[ -f "$C" ] || "$B/bench/mkpcap" "$C" 100000 collide
[ -f "$P" ] || "$B/bench/mkpcap" "$P" 100000 syn
[ -f "$M" ] || "$B/bench/mkpcap" "$M" 1000000 syn
versus --streams "$P" "$C"
echo "== replay: crafted collisions and a SYN flood"
printf '   100k unrelated SYNs  %6.3f s\n' "$plain"
printf '   100k crafted SYNs    %6.3f s  %5.2fx  (goal 2x)\n' "$crafted" "$(ratio "$crafted" "$plain")"
printf '   1M SYN flood --streams      peak %s KiB (goal < 196608, < 160 bytes a stream: 156250)\n' \
	"$(peak "$T" --batch --streams replay "$M")"

# What is in flight (--tcb, the step view): 100,000 segments, each
# answered by an ACK that covers none of them (Wireshark's list of them
# stays full, 10,000), against as many acknowledged one by one (goal:
# within 2x).
U=${TMPDIR:-/tmp}/tcptutor-bench-unacked.pcap
A=${TMPDIR:-/tmp}/tcptutor-bench-acked.pcap
[ -f "$U" ] || "$B/bench/mkpcap" "$U" 100000 unacked
[ -f "$A" ] || "$B/bench/mkpcap" "$A" 100000 acked
versus --tcb "$A" "$U"
echo "== replay --tcb: bytes in flight"
printf '   100k segments, each acked          %6.3f s\n' "$plain"
printf '   100k segments, ACKs covering none  %6.3f s  %5.2fx  (goal 2x)\n' "$crafted" \
	"$(ratio "$crafted" "$plain")"

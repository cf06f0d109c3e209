# tests/lib.sh: tiny helpers shared by the shell tests (sourced).
#
# Each assertion is one line of the Test Anything Protocol on standard
# output, read by automake's tap-driver.sh: "ok N - what" or "not ok N -
# what", the details of a failure after it on standard error (the driver
# merges it into the log, in order). finish prints the plan; a script that
# dies before it has none, and the driver reports the error.
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/tcptutor-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
ntest=0
npass=0
nfail=0
nskip=0
# One TAP line: the first line of the description after "STATUS N", the
# rest as comments; '#' escaped, so that no text reads as a directive.
tap_line() { # status description [directive]
	printf '%s\n' "$2" | sed 's/#/\\#/g' | {
		IFS= read -r first
		printf '%s %d%s%s\n' "$1" "$ntest" "${first:+ - $first}" "${3:+ # $3}"
		while IFS= read -r more; do printf '#   %s\n' "$more"; done
	}
}
pass() { ntest=$((ntest + 1)); npass=$((npass + 1)); tap_line ok "$*"; }
fail() { ntest=$((ntest + 1)); nfail=$((nfail + 1)); tap_line "not ok" "$*"; }
# An assertion that cannot be made here (a folder that cannot be made
# read-only, ...): a SKIP in TAP terms, saying why.
skip() { ntest=$((ntest + 1)); nskip=$((nskip + 1)); tap_line ok "" "SKIP $*"; }
# The rest of the script cannot run here (no tmux, not root): the whole
# script is skipped when nothing ran yet, else one skipped assertion ends it.
skip_rest() {
	if [ "$ntest" -eq 0 ]; then
		echo "1..0 # SKIP $*"
	else
		skip "$*"
		finish
	fi
	exit 0
}
expect_status() { if [ "$2" -eq "$1" ]; then pass "$3"; else fail "$3: status $2, want $1"; fi; }
expect_match() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass "$3"; else fail "$3: no match for /$2/ in:"; printf '%s\n' "$1" | head -20 >&2; fi
}
expect_same() { # file-want file-got description
	if cmp -s "$1" "$2"; then pass "$3"; else fail "$3"; diff -u "$1" "$2" | head -40 >&2; fi
}
finish() {
	echo "1..$ntest"
	echo "# $npass passed, $nfail failed, $nskip skipped"
	[ "$nfail" -eq 0 ]
}
# syn_capture FILE N: a raw-IPv4 capture of N SYNs, each its own stream
# (10.1.x.y to 10.0.0.1:80), as a scan or a flood makes
syn_capture() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))  # raw IPv4
    for i in range(int(sys.argv[2])):
        tcp = struct.pack(">HHIIBBHHH", 1024 + i % 60000, 80, i, 0, 5 << 4, 2, 65535, 0, 0)
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0,
                         bytes([10, 1, i >> 8 & 255, i & 255]), bytes([10, 0, 0, 1])) + tcp
        f.write(struct.pack("<IIII", 1700000000, i, len(ip), len(ip)) + ip)
PY
}

# tests/lib.sh: tiny helpers shared by the shell tests (sourced).
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/tcptutor-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
npass=0
nfail=0
pass() { npass=$((npass + 1)); }
fail() { nfail=$((nfail + 1)); echo "FAIL: $*" >&2; }
expect_status() { if [ "$2" -eq "$1" ]; then pass; else fail "$3: status $2, want $1"; fi; }
expect_match() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then pass; else fail "$3: no match for /$2/ in:"; printf '%s\n' "$1" | head -20 >&2; fi
}
expect_same() { # file-want file-got description
	if cmp -s "$1" "$2"; then pass; else fail "$3"; diff -u "$1" "$2" | head -40 >&2; fi
}
finish() {
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
}

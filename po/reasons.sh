#!/bin/sh
# po/reasons.sh: print the engine's reason texts as a C file of N_() calls,
# so that xgettext sees them (they live in the TT_REASONS list in tcp.h).
sed -n '/#define TT_REASONS(_)/,/^$/p' "${1:-src/engine/tcp.h}" |
	sed -n 's/.*_([A-Z0-9_]*, *"[^"]*", *\("[^"][^"]*"\)).*/N_(\1);/p'
# and the two sources tt_reason_source() names in words (engine/names.c)
printf 'N_("%s");\n' "simulation" "what-if rule"

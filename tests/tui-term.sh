#!/bin/sh
# tests/tui-term.sh: what ui/term.c owns, driven through tmux: the terminal
# restored on Ctrl-\ (SIGQUIT), Ctrl-Z suspending with the terminal given
# back to the shell and `fg` repainting with the keypad working again, a
# SIGCONT repainting the screen, and help boxes at 80x24
# and narrower whose hard-broken lines are not wrapped into orphans.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/tmux.sh"
T=${TCPTUTOR:-src/tcptutor}
LANG=C.UTF-8
LC_ALL=C.UTF-8
LANGUAGE=
export LANG LC_ALL LANGUAGE
unset NO_COLOR

# The shell's view of the terminal: canonical input, echo, signals, and the
# cursor shown.
sane() {
	tm_keys "clear; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-*icanon\\|-*echo\\|-*isig' | tr '\\n' ' '; echo" Enter
	tm_expect "isig icanon echo" "$1: stty shows icanon isig echo"
	[ "$(tm display-message -p -t tt '#{cursor_flag}')" = 1 ] && pass || fail "$1: cursor hidden"
}

# ---- Ctrl-\ (SIGQUIT) restores the terminal, then ends the program --------
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for SIGQUIT"
tm_keys 'C-\'
tm_expect_exit 131 "Ctrl-\\"
sane "after SIGQUIT"

# ---- Ctrl-Z suspends with the terminal restored; fg repaints ----------------
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for Ctrl-Z"
tm_keys l h c n n n
tm_expect "step 5/5" "five steps before Ctrl-Z"
tm_keys C-z
tm_expect "Stopped" "Ctrl-Z: the shell reports the job stopped"
if tm_wait_normal; then pass; else fail "Ctrl-Z: alternate screen still on"; fi
sane "after Ctrl-Z"
tm_keys fg Enter
tm_expect "step 5/5" "fg: the step view is repainted"
[ "$(tm_alt)" = 1 ] && pass || fail "fg: not back on the alternate screen"
tm_expect_gone "icanon" "fg: the shell's output is painted over"
[ "$(tm display-message -p -t tt '#{cursor_flag}')" = 0 ] && pass || fail "fg: cursor shown"
tm_keys Left
tm_expect "step 4/5" "fg: the arrow keys work again (keypad mode back)"
# Ctrl-Z in a dialog: it comes back with its cursor.
tm_keys s
tm_expect "Text to send" "a dialog before Ctrl-Z"
tm_keys C-z
tm_expect "Stopped" "Ctrl-Z in a dialog"
sane "after Ctrl-Z in a dialog"
tm_keys fg Enter
tm_expect "Text to send" "fg: the dialog is repainted"
[ "$(tm display-message -p -t tt '#{cursor_flag}')" = 1 ] && pass || fail "fg: the dialog lost its cursor"
tm_keys Escape
tm_expect_gone "Text to send" "the dialog still takes keys"
# Continued (SIGCONT, as after a SIGSTOP that cannot be caught): the screen
# is repainted, so whatever else wrote to the terminal meanwhile is gone.
child=$(tm_child)
printf '\033[12;30HXYZZY' >"$(tm display-message -p -t tt '#{pane_tty}')"
tm_expect "XYZZY" "text written over the screen"
if [ -n "$child" ]; then kill -CONT "$child"; else fail "no program in the pane to continue"; fi
tm_expect_gone "XYZZY" "SIGCONT: the screen is repainted"
tm_expect "step 4/5" "SIGCONT: the step view is back"
tm_keys Left
tm_expect "step 3/5" "SIGCONT: keys still work"
tm_keys q
# (the job came back with fg: the shell asks fg for its status)
tm_expect_signal_exit 0 "quit after the stops"

# ---- help boxes: hard-broken text is not wrapped into orphans ---------------
# The menu's help is written for 76 columns: at 80x24 the box is wide
# enough for it, and all of it fits.
tm_open 80 24
tm_run "$T"
tm_expect "1 Lessons" "menu for help"
tm_keys 7
tm_expect "│ tcptutor shows how TCP connections live and die, segment by segment, as" \
	"80x24 help: the first line as written"
tm_expect "│ RFC 9293 describes them." "80x24 help: the second line as written"
if tm_screen | grep -q '│ segment, as *│'; then fail "80x24 help: an orphan 'segment, as' row"; else pass; fi
tm_expect "(see tcptutor --help)." "80x24 help: the last line is in the box"
tm_keys q q
tm_expect_exit 0 "menu after help"
# Narrower, a paragraph is reflowed as a whole; an indented item hangs
# under its text.
tm_open 60 30
tm_run "$T"
tm_expect "1 Lessons" "60x30 menu for help"
tm_keys 7
tm_expect "│ segment by segment, as RFC 9293 describes them." "60x30 help: the paragraph reflowed"
tm_expect "│             with checkpoints" "60x30 help: a wrapped item hangs under its text"
tm_expect "│ back, Enter the full segment, a auto-play, ? every key," "60x30 help: the keys paragraph reflowed"
if tm_screen | grep -q '│ RFC 9293 describes them\.'; then fail "60x30 help: a row broken where the text was"; else pass; fi
tm_keys q q
tm_expect_exit 0 "60x30 menu after help"
# The step view's help in the pager: a line longer than the screen wraps
# under its description, not at the left edge.
tm_open 80 24
tm_run "$T sandbox"
tm_expect "Nothing has happened yet" "sandbox for help"
tm_keys '?'
tm_expect "Keys of the step view" "the step view's help"
tm_expect_re '^│ \{21\}TCBs)' "pager: the long key line hangs under its text"
if tm_screen | grep -q '^│ TCBs)'; then fail "pager: an orphan 'TCBs)' at the left edge"; else pass; fi
tm_keys q q
tm_expect_exit 0 "sandbox after help"

finish

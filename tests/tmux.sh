# tests/tmux.sh: drive the TUI inside a private tmux server (sourced after
# lib.sh). Each test opens a pane running a plain shell, types a command
# line into it, sends keys, and polls the pane's text until what it expects
# shows up (at most TM_WAIT seconds) -- never a fixed sleep.
#
#   tm_open COLS ROWS        a fresh server and pane of that size
#   tm_run 'COMMAND'         types COMMAND; echo EXIT=$? into the shell
#   tm_keys KEY...           tmux send-keys (n, Enter, Right, C-c, ...)
#   tm_screen                the pane's text now
#   tm_wait TEXT             waits until TEXT (fixed string) is on screen
#   tm_expect TEXT DESC      tm_wait, counting a pass or a failure
#   tm_resize COLS ROWS      resizes the window (the program gets SIGWINCH)
#   tm_alt                   1 while the program holds the alternate screen
#   tm_close                 kills the server

command -v tmux >/dev/null 2>&1 || skip_rest "tmux not found: the TUI tests need it"

TM_N=0
TM_SOCK="$TMPD/tmux-$TM_N"
TM_WAIT=${TM_WAIT:-10}
# The server's socket lives in the test's scratch folder, removed at exit.
tm() { tmux -S "$TM_SOCK" -f /dev/null "$@"; }

tm_close() { tm kill-server >/dev/null 2>&1 || :; }
trap 'tm_close; rm -rf "$TMPD"' EXIT

tm_open() {
	tm_close
	# A new server on a new socket: the old one may still be shutting down.
	TM_N=$((TM_N + 1))
	TM_SOCK="$TMPD/tmux-$TM_N"
	tm new-session -d -s tt -x "$1" -y "$2" "env PS1='$ ' TERM=screen sh" \; \
		set-option -g status off >/dev/null 2>&1 ||
		{ fail "tmux: cannot start a session"; return 1; }
	tm_wait '$' >/dev/null
}

tm_run() { tm send-keys -t tt "$1; echo EXIT=\$?" Enter; }
tm_keys() { tm send-keys -t tt "$@"; }
tm_screen() { tm capture-pane -p -t tt; }
tm_resize() { tm resize-window -t tt -x "$1" -y "$2"; }
tm_alt() { tm display-message -p -t tt '#{alternate_on}'; }

# Polls up to TM_WAIT seconds (in tenths) for a fixed string on screen.
tm_wait() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		if tm_screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tm_expect() {
	if tm_wait "$1"; then
		pass "$2"
	else
		fail "$2: '$1' not on screen:"
		tm_screen | sed 's/^/    | /' >&2
	fi
}

# The pid of the program running in the pane (the pane's shell's child),
# read from /proc so that no process tools are needed.
tm_child() {
	shell=$(tm display-message -p -t tt '#{pane_pid}')
	for st in /proc/[0-9]*/stat; do
		pp=$(sed 's/.*) [A-Za-z] \([0-9]*\) .*/\1/' "$st" 2>/dev/null)
		if [ "$pp" = "$shell" ]; then
			pid=${st#/proc/}
			echo "${pid%/stat}"
			return 0
		fi
	done
	return 1
}

# Polls until a basic regular expression matches a line on screen.
tm_expect_re() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		if tm_screen | grep -q -- "$1"; then
			pass "$2"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: /$1/ not on screen:"
	tm_screen | sed 's/^/    | /' >&2
}

# Polls until a fixed string has left the screen.
tm_expect_gone() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		if ! tm_screen | grep -qF -- "$1"; then
			pass "$2"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: '$1' still on screen"
}

# Waits until the program has left the alternate screen.
tm_wait_normal() {
	i=0
	while [ "$i" -lt $((TM_WAIT * 10)) ]; do
		[ "$(tm_alt)" = "0" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# A program killed by a signal ends the shell's command list, so its status
# is asked for afterwards.
tm_expect_signal_exit() {
	if tm_wait_normal; then pass "$2: normal screen"; else fail "$2: alternate screen still on"; fi
	tm_keys "echo STATUS=\$?" Enter
	tm_expect "STATUS=$1" "$2: exit status $1"
}

# After the program ended: its exit status printed by the shell, and the
# terminal back on the normal screen.
tm_expect_exit() {
	tm_expect "EXIT=$1" "$2: exit status $1"
	if [ "$(tm_alt)" = "0" ]; then pass "$2: normal screen"; else fail "$2: alternate screen still on"; fi
}

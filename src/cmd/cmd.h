/* cmd/cmd.h: what the command line decided, handed to each subcommand,
 * and what the commands share (cmd/cmd.c). main.c fills it; the commands
 * (cmd/) read it. Nothing here touches curses or pcap. */
#ifndef TT_CMD_H
#define TT_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"    /* enum tt_format */

/* Exit statuses (doc/design.md): 0 ok, 1 runtime error, 2 usage error. */
enum { TT_EXIT_OK = 0, TT_EXIT_FAIL = 1, TT_EXIT_USAGE = 2 };

struct tt_cli {
	const char *prog;       /* "tcptutor" */
	int batch;              /* no TUI: print to stdout (also set by --format) */
	enum tt_format format;
	int format_given;       /* --format was given: batch output in that format,
	                         * on a terminal too (main.c sets batch as well) */
	int zh;                 /* content language: 0 English, 1 Simplified Chinese */
	int list;               /* --list */
	int absolute;           /* --absolute: raw sequence numbers */
	int streams;            /* --streams: one row per stream */
	int tcb;                /* --tcb: batch tables carry both TCBs' figures */
	int present;            /* --present: presenter layout */
	int autoplay;           /* --autoplay: the step view starts auto-playing */
	int autoplay_ms;        /* --autoplay=SECONDS: its pace; 0 the default */
	const char *topic;      /* quiz --topic */
	int stream;             /* replay --stream N, -1 for all */
	unsigned long seed;     /* --seed, for generated practice */
	int has_seed;
	const char *datadir;    /* holds lessons/, quiz/, assets/ */
	int coverage;           /* --coverage: sandbox prints the transitions covered */
	const char *write_path; /* --write FILE: lesson and sandbox also write the
	                         * segments as a pcap file; NULL: not asked */
	const char *iface;      /* live -i IFACE; NULL: lo */
	unsigned long count;    /* live --count N: stop after N TCP segments; 0 never */
	long seconds_ms;        /* live --seconds S: stop after S seconds; 0 never */
	const char *user;       /* live --user NAME (-Z): drop to this user */
	char **command;         /* live -- COMMAND [ARGS...] (NULL-terminated), or NULL */
	const char *exe;        /* the program as it was started (argv[0]) */
};

/* Each subcommand takes the words after its name (cmd/NAME.c; the menu
 * is cmd/sandbox.c's). */
int cmd_lesson(const struct tt_cli *cli, int argc, char **argv);
int cmd_sandbox(const struct tt_cli *cli, int argc, char **argv);
int cmd_replay(const struct tt_cli *cli, int argc, char **argv);
int cmd_quiz(const struct tt_cli *cli, int argc, char **argv);
int cmd_live(const struct tt_cli *cli, int argc, char **argv);
int cmd_menu(const struct tt_cli *cli);

/* ---- cmd/cmd.c: what the commands share ---- */

/* Prints "tcptutor: message" to stderr (printf-style), standard output
 * flushed first. */
void tt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* After a usage error's message: "Try 'tcptutor --help' for more
 * information." (doc/design.md), and the exit status, TT_EXIT_USAGE. */
int tt_usage_hint(void);
/* The start menu runs the commands under its screen: while a capture is
 * on, what tt_warn() would print is kept in buf instead (NULL: print again),
 * to be shown in a box afterwards. */
void tt_warn_capture(char *buf, size_t len);
/* What the capture holds so far ("" when none is on). */
const char *tt_warn_captured(void);
/* Flushes standard output: 0, or -1 when it could not be written (a full
 * disk, a closed pipe), said with tt_warn(). */
int tt_flush_output(void);
/* After a screen (ui_*) returned: says why it could not be shown, when that
 * is what happened, and returns rc. */
int tt_ui_result(int rc);
/* Sets the language of messages and content (0 English, 1 Simplified
 * Chinese) from here on; returns 1 when the character type had to change
 * for it (a screen that is up must then be told: ui_locale_changed()). */
int tt_language(int zh);
/* The step view's options as the command line gave them. */
struct ui_opts;
void tt_ui_opts(const struct tt_cli *cli, struct ui_opts *o);
/* The words of a capture filter given after the command (replay, live)
 * joined into one expression (malloc'd; NULL when out of memory). */
char *tt_join_words(int argc, char **argv);

/* ---- what one command lends another ---- */

/* cmd/scenario.c: runs a plain scenario file ("-" for standard input):
 * the table in batch mode, the step view otherwise (lesson FILE.scenario);
 * tt_scenario_batch() always prints the table (sandbox --batch). */
int tt_scenario_command(const struct tt_cli *cli, const char *path);
int tt_scenario_batch(const struct tt_cli *cli, const char *path);

/* cmd/lesson.c, for the quiz's "show me": the step view's panel (enum
 * ui_view) for step i of a lesson, what its `view` line chose for the
 * action that made the step; host h's address in step i's own connection
 * (a scene may hold several: other clients, a flood's spoofed sources), or
 * NULL: the scene's. */
struct tt_lesson;
int tt_lesson_view(const struct tt_lesson *l, size_t i);
const char *tt_lesson_endpoint(const struct tt_lesson *l, size_t i, int h);

/* cmd/write.c, --write: the segments that crossed the simulated wire as a
 * pcap file of raw IP packets, time order, each simulation (a lesson's
 * scene) starting 1 s after the last frame of the one before; a capture
 * lesson's frames copied from its capture. TT_EXIT_OK, or TT_EXIT_FAIL after
 * "tcptutor: FILE: reason". */
struct tt_sim;
struct tt_scenario;
struct tt_step;
int tt_write_sims(const char *path, const struct tt_sim *const *sims, size_t n);
/* Runs each scenario in a simulation of its own, then tt_write_sims(). */
int tt_write_scenarios(const char *path, const struct tt_scenario *const *scs, size_t n);
/* The frames of the segment steps (by frame number) copied from capture. */
int tt_write_frames(const char *path, const char *capture, const struct tt_step *steps,
                    size_t n);

#endif

/* cli.h: what the command line decided, handed to each subcommand.
 * main.c fills it; cmd_*.c read it. Nothing here touches curses or pcap. */
#ifndef TT_CLI_H
#define TT_CLI_H

enum tt_format { TT_FMT_TEXT, TT_FMT_TSV, TT_FMT_JSON };

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
	int present;            /* --present: presenter layout */
	int autoplay;           /* --autoplay: the step view starts auto-playing */
	int autoplay_ms;        /* --autoplay=SECONDS: its pace; 0 the default */
	const char *topic;      /* quiz --topic */
	int stream;             /* replay --stream N, -1 for all */
	unsigned long seed;     /* --seed, for generated practice */
	int has_seed;
	const char *datadir;    /* holds lessons/, quiz/, assets/ */
};

/* Each subcommand takes the words after its name. */
int cmd_lesson(const struct tt_cli *cli, int argc, char **argv);
int cmd_sandbox(const struct tt_cli *cli, int argc, char **argv);
int cmd_replay(const struct tt_cli *cli, int argc, char **argv);
int cmd_quiz(const struct tt_cli *cli, int argc, char **argv);
int cmd_menu(const struct tt_cli *cli);
/* Runs a plain scenario file ("-" for standard input): the table in batch
 * mode, the step view otherwise. */
int tt_scenario_command(const struct tt_cli *cli, const char *path);
/* The same, always printing the table (sandbox --batch). */
int tt_scenario_batch(const struct tt_cli *cli, const char *path);

/* Prints "tcptutor: message" to stderr (printf-style). */
void tt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

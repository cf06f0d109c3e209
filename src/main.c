/* main.c: the command line. Parses options with getopt_long, sets up the
 * language, decides batch or TUI, and hands over to one subcommand. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/paths.h"
#include "ui/ui.h"

static void
usage(FILE *f)
{
	fprintf(f, _("Usage: tcptutor [OPTION]... [COMMAND [ARG]...]\n"
	             "An interactive terminal tutor for the TCP state machine (RFC 9293).\n"
	             "\n"));
	fprintf(f, _("Commands:\n"
	             "  (none)                       start menu: lessons, sandbox, replay, quiz\n"
	             "  lesson [NAME|FILE] [--list]  run a lesson; NAME from the bundled lessons\n"
	             "  sandbox [FILE]               free play: both hosts under your keys;\n"
	             "                               FILE (or a pipe on stdin): its scenario\n"
	             "                               actions run in batch\n"
	             "  replay [FILE|-] [FILTER...]  step through a pcap/pcapng capture;\n"
	             "                               FILTER is tcpdump (BPF) syntax; no FILE:\n"
	             "                               the bundled sample capture\n"
	             "  quiz [--topic T] [--list]    interview questions with explanations\n"
	             "\n"));
	fprintf(f, _("  live [FILTER...]             watch this machine's TCP live (libpcap),\n"
	             "                               the kernel's own states beside the inferred\n"
	             "                               ones; live [OPTION]... -- COMMAND [ARG]...\n"
	             "                               follows only COMMAND's connections\n"
	             "\n"
	             "Live:\n"
	             "  -i, --interface IFACE  capture on IFACE (default lo; any: all)\n"
	             "      --count N          stop after N TCP segments\n"
	             "      --seconds S        stop after S seconds\n"
	             "  -Z, --user NAME        drop privileges to NAME (default: SUDO_UID)\n"
	             "\n"));
	fprintf(f, _("Options:\n"
	             "  -b, --batch          no TUI: print to stdout (implied when stdout is\n"
	             "                       not a terminal)\n"
	             "  -f, --format FMT     print in this format (implies --batch): text,\n"
	             "                       tsv or json (default text)\n"
	             "  -L, --lang LANG      en or zh_CN (default: from the locale)\n"
	             "  -l, --list           list lessons or questions\n"
	             "  -a, --absolute       replay: raw sequence numbers, not relative\n"
	             "  -s, --streams        replay: one row per TCP stream\n"
	             "  -S, --stream N       replay: only stream N\n"
	             "      --tcb            the table also shows each host's TCB after each\n"
	             "                       row: SND.UNA, SND.NXT, SND.WND, cwnd, ssthresh,\n"
	             "                       SRTT, RTO and the bytes in flight\n"
	             "  -t, --topic TOPIC    quiz: only this topic\n"
	             "      --seed N         quiz: seed for generated practice questions\n"
	             "  -p, --present        presenter mode: large text, fewer panels\n"
	             "      --autoplay[=SECONDS]\n"
	             "                       step on by itself every SECONDS (default 3 in\n"
	             "                       presenter mode, else 1.5); checkpoints wait\n"
	             "  -h, --help           show this help and exit\n"
	             "  -V, --version        show version information and exit\n"
	             "\n"));
	fprintf(f, _("Writing a capture:\n"
	             "  -w, --write FILE     lesson NAME|FILE, sandbox [FILE]: also write the\n"
	             "                       segments that crossed the simulated wire to FILE\n"
	             "                       as a pcap capture (raw IP, for Wireshark), then\n"
	             "                       print or show the run as usual (the sandbox reads\n"
	             "                       scenario lines, as with --batch); a file that\n"
	             "                       cannot be written exits 1, after the table or\n"
	             "                       before the screen\n"
	             "\n"));
	fprintf(f, _("The challenge (cover every transition):\n"
	             "      --coverage       sandbox [FILE]: which transitions of the state\n"
	             "                       diagram the scenario took and which remain,\n"
	             "                       instead of the table (reads scenario lines, as\n"
	             "                       with --batch); on screen: o in the sandbox\n"
	             "\n"));
	fprintf(f, _("Exit status: 0 ok, 1 runtime error (bad capture or file), 2 usage error.\n"
	             "Report bugs to: %s\n"), PACKAGE_BUGREPORT);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tcptutor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, _("Try 'tcptutor --help' for more information.\n"));
	return TT_EXIT_USAGE;
}

static int
lang_is_zh(const char *s)
{
	return s != NULL && strncmp(s, "zh", 2) == 0;
}

/* The content language follows --lang, else the locale environment in the
 * order gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
static int
lang_from_env(void)
{
	static const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return lang_is_zh(v);
	}
	return 0;
}

/* --format: asking for a format is asking for that output, not a screen,
 * so it implies --batch (cli->format_given says it was given). */
static int
set_format(struct tt_cli *cli, const char *format)
{
	if (strcmp(format, "text") == 0)
		cli->format = TT_FMT_TEXT;
	else if (strcmp(format, "tsv") == 0)
		cli->format = TT_FMT_TSV;
	else if (strcmp(format, "json") == 0)
		cli->format = TT_FMT_JSON;
	else
		return -1;
	cli->format_given = 1;
	cli->batch = 1;
	return 0;
}

enum { OPT_SEED = 256, OPT_AUTOPLAY, OPT_COVERAGE, OPT_COUNT, OPT_SECONDS, OPT_TCB };

/* "2", "2.5", ".5" seconds (not the locale's decimal comma) to milliseconds
 * from min to max ms; -1 for anything else. */
static long
parse_seconds(const char *s, long min, long max)
{
	long ms = 0, unit = 1000;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if ((ms = ms * 10 + (*s - '0') * 1000) > max)
			return -1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			ms += (unit /= 10) * (*s - '0');
	if (*s != '\0' || digits == 0 || ms < min || ms > max)
		return -1;
	return ms;
}

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "lang", required_argument, NULL, 'L' },
	{ "list", no_argument, NULL, 'l' },
	{ "absolute", no_argument, NULL, 'a' },
	{ "streams", no_argument, NULL, 's' },
	{ "tcb", no_argument, NULL, OPT_TCB },
	{ "stream", required_argument, NULL, 'S' },
	{ "topic", required_argument, NULL, 't' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "present", no_argument, NULL, 'p' },
	{ "write", required_argument, NULL, 'w' },
	{ "autoplay", optional_argument, NULL, OPT_AUTOPLAY },
	{ "coverage", no_argument, NULL, OPT_COVERAGE },
	{ "interface", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "user", required_argument, NULL, 'Z' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* What getopt_long left to do once the options are read. */
struct parsed {
	const char *format;
	int help, version;
	int command_at, command_n;  /* where "-- COMMAND" was, its words */
};

/* First pass: find --lang so that usage errors are already translated. */
static int
set_language(struct tt_cli *cli, int argc, char **argv)
{
	const char *lang = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if ((strcmp(argv[i], "--lang") == 0 || strcmp(argv[i], "-L") == 0) && i + 1 < argc)
			lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	if (lang != NULL && strcmp(lang, "en") != 0 && strcmp(lang, "zh_CN") != 0 &&
	    strcmp(lang, "zh") != 0) {
		tt_language(lang_from_env());
		return usage_error(_("unknown language '%s' (use en or zh_CN)"), lang);
	}
	cli->zh = lang != NULL ? lang_is_zh(lang) : lang_from_env();
	tt_language(cli->zh);
	return -1;
}

/* live -- COMMAND [ARGS...]: the command's words are not ours to parse
 * (getopt would take its options and drop the "--"); returns the new argc. */
static int
take_command(struct tt_cli *cli, struct parsed *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		if (i + 1 < argc) {
			cli->command = argv + i + 1;
			p->command_at = i;
			p->command_n = argc - i - 1;
		}
		argv[i] = NULL;
		return i;
	}
	return argc;
}

/* The options that take a number, a file or an interval. */
static int
number_option(struct tt_cli *cli, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'S':
		cli->stream = (int)strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || cli->stream < 0)
			return usage_error(_("invalid stream number '%s'"), arg);
		break;
	case OPT_SEED:
		cli->seed = strtoul(arg, &end, 10);
		if (*arg == '\0' || *end != '\0')
			return usage_error(_("invalid seed '%s'"), arg);
		cli->has_seed = 1;
		break;
	case 'w':
		if (strcmp(arg, "-") == 0 || *arg == '\0')
			return usage_error(_("invalid file name '%s' for --write (it cannot write to "
			                     "standard output)"), arg);
		cli->write_path = arg;
		break;
	case OPT_AUTOPLAY:
		cli->autoplay = 1;
		if (arg != NULL && (cli->autoplay_ms = (int)parse_seconds(arg, 100, 3600000L)) < 0)
			return usage_error(_("invalid auto-play interval '%s' (seconds, 0.1 to 3600)"),
			                   arg);
		break;
	case OPT_COUNT:
		cli->count = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || cli->count == 0)
			return usage_error(_("invalid count '%s' (a number from 1)"), arg);
		break;
	case OPT_SECONDS:
		if ((cli->seconds_ms = parse_seconds(arg, 1, 86400000L)) < 0)
			return usage_error(_("invalid number of seconds '%s'"), arg);
		break;
	}
	return -1;
}

/* Reads the options; -1 when they are all good, else the exit status. */
static int
parse_options(struct tt_cli *cli, struct parsed *p, int argc, char **argv)
{
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bf:L:lasS:t:pw:i:Z:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'b': cli->batch = 1; break;
		case 'f': p->format = optarg; break;
		case 'L': break;
		case 'l': cli->list = 1; break;
		case 'a': cli->absolute = 1; break;
		case 's': cli->streams = 1; break;
		case 't': cli->topic = optarg; break;
		case 'p': cli->present = 1; break;
		case OPT_COVERAGE: cli->coverage = 1; break;
		case OPT_TCB: cli->tcb = 1; break;
		case 'i': cli->iface = optarg; break;
		case 'Z': cli->user = optarg; break;
		case 'h': p->help = 1; break;
		case 'V': p->version = 1; break;
		case 'S': case OPT_SEED: case 'w': case OPT_AUTOPLAY: case OPT_COUNT: case OPT_SECONDS:
			if ((rc = number_option(cli, c, optarg)) >= 0)
				return rc;
			break;
		case ':':
			return usage_error(_("option '%s' requires an argument"), argv[optind - 1]);
		default:
			return usage_error(_("unrecognized option '%s'"), argv[optind - 1]);
		}
	}
	return -1;
}

static int
version(void)
{
	printf("tcptutor %s\n", PACKAGE_VERSION);
	printf(_("Copyright (C) 2026 the tcptutor authors.\n"
	         "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	         "This is free software: you are free to change and redistribute it.\n"
	         "There is NO WARRANTY, to the extent permitted by law.\n"));
	return TT_EXIT_OK;
}

static int
is_command(int argc, char **argv, const char *name)
{
	return argc > 0 && strcmp(argv[0], name) == 0;
}

/* Options that belong to some commands only; -1 when they fit (the live
 * options are checked before the words after "--" join the arguments). */
static int
check_scope(const struct tt_cli *cli, int argc, char **argv)
{
	if (cli->write_path != NULL && !is_command(argc, argv, "lesson") &&
	    !is_command(argc, argv, "sandbox"))
		return usage_error(_("--write is for 'lesson' and 'sandbox': a simulated run "
		                     "written as a capture"));
	if (cli->tcb && !is_command(argc, argv, "lesson") && !is_command(argc, argv, "sandbox") &&
	    !is_command(argc, argv, "replay"))
		return usage_error(_("--tcb is for the tables of 'lesson', 'sandbox' and 'replay'"));
	if (cli->coverage && !is_command(argc, argv, "sandbox"))
		return usage_error(_("--coverage is for 'sandbox': the transitions a scenario "
		                     "covered"));
	return -1;
}

static const struct {
	const char *name;
	int (*run)(const struct tt_cli *, int, char **);
} commands[] = {
	{ "lesson", cmd_lesson }, { "sandbox", cmd_sandbox }, { "replay", cmd_replay },
	{ "quiz", cmd_quiz }, { "live", cmd_live },
};

static int
known_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return 1;
	return 0;
}

static int
run_command(const struct tt_cli *cli, int argc, char **argv)
{
	if (argc == 0) {
		if (cli->batch) {
			usage(stdout);
			return TT_EXIT_OK;
		}
		return cmd_menu(cli);
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].run(cli, argc - 1, argv + 1);
	return usage_error(_("unknown command '%s'"), argv[0]);
}

/* A screen that cannot go on says why here, as every other error. */
static void
say_fatal(const char *msg)
{
	tt_warn_capture(NULL, 0);       /* not kept for the menu's box: we end here */
	tt_warn("%s", msg);
}

int
main(int argc, char **argv)
{
	struct tt_cli cli;
	struct parsed p;
	int rc;

	memset(&cli, 0, sizeof cli);
	memset(&p, 0, sizeof p);
	cli.prog = "tcptutor";
	cli.exe = argv[0];
	cli.stream = -1;
	setlocale(LC_ALL, "");
	ui_on_fatal(say_fatal);
	if ((rc = set_language(&cli, argc, argv)) >= 0)
		return rc;
	argc = take_command(&cli, &p, argc, argv);
	if ((rc = parse_options(&cli, &p, argc, argv)) >= 0)
		return rc;
	/* the one help there is, also after a command; a word that is no
	 * command is a usage error there too */
	if (p.help && optind < argc && !known_command(argv[optind]))
		return usage_error(_("unknown command '%s'"), argv[optind]);
	if (p.help) {
		usage(stdout);
		return TT_EXIT_OK;
	}
	if (p.version)
		return version();
	if (p.format != NULL && set_format(&cli, p.format) < 0)
		return usage_error(_("unknown format '%s' (use text, tsv or json)"), p.format);
	if (!isatty(STDOUT_FILENO))
		cli.batch = 1;
	cli.datadir = tt_path_datadir();

	argc -= optind;
	argv += optind;
	if ((cli.iface != NULL || cli.count || cli.seconds_ms || cli.user != NULL) &&
	    !is_command(argc, argv, "live"))
		return usage_error(_("-i, --count, --seconds and --user are for 'live'"));
	if (cli.command != NULL && !is_command(argc, argv, "live")) {
		/* elsewhere the words after "--" are plain arguments, as before:
		 * they move down over the "--", after the other arguments */
		memmove(argv - optind + p.command_at, argv - optind + p.command_at + 1,
		        (size_t)p.command_n * sizeof *argv);
		argc += p.command_n;
		cli.command = NULL;
	}
	if ((rc = check_scope(&cli, argc, argv)) >= 0)
		return rc;
	return run_command(&cli, argc, argv);
}

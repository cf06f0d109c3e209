/* cmd/paths.c: find data and catalogs whether installed or run from the build
 * tree. TCPTUTOR_DATADIR and TCPTUTOR_LOCALEDIR override both. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/paths.h"

static int
run_from_build_tree(void)
{
	char exe[PATH_MAX], want[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if (realpath(TT_BUILD_EXE, want) == NULL)
		return 0;
	return strcmp(exe, want) == 0;
}

const char *
tt_path_datadir(void)
{
	const char *env = getenv("TCPTUTOR_DATADIR");

	if (env != NULL && *env != '\0')
		return env;
	return run_from_build_tree() ? TT_SRCDIR : PKGDATADIR;
}

const char *
tt_path_localedir(void)
{
	const char *env = getenv("TCPTUTOR_LOCALEDIR");

	if (env != NULL && *env != '\0')
		return env;
	return run_from_build_tree() ? TT_BUILDDIR "/locale" : LOCALEDIR;
}

static int
mkdir_p(char *path)
{
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

int
tt_path_statedir(char *buf, size_t len, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, len, "%s/tcptutor", xdg);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, len, "%s/.local/share/tcptutor", home);
	else {
		snprintf(err, errlen, "neither XDG_DATA_HOME nor HOME is set");
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "data directory path too long");
		return -1;
	}
	if (mkdir_p(buf) == -1) {
		snprintf(err, errlen, "%s: %s", buf, strerror(errno));
		return -1;
	}
	return 0;
}

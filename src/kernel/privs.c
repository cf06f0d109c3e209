/* kernel/privs.c: the privilege drop of tcptutor live (kn_drop_privileges
 * of kernel.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "kernel/kernel.h"

int
kn_drop_privileges(const char *user, int *dropped, char *err, size_t errlen)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	uid_t uid, ru, eu, xu;
	gid_t gid, rg, eg, xg;
	struct passwd *pw = NULL;
	char *end;

	*dropped = 0;
	if (user != NULL) {
		pw = getpwnam(user);
		if (pw == NULL) {
			snprintf(err, errlen, _("no such user '%s'"), user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (su != NULL && *su != '\0') {
		unsigned long u = strtoul(su, &end, 10), g;

		if (*end != '\0') {
			snprintf(err, errlen, _("SUDO_UID is not a number: '%s'"), su);
			return -1;
		}
		uid = (uid_t)u;
		gid = (gid_t)-1;
		if (sg != NULL && *sg != '\0') {
			g = strtoul(sg, &end, 10);
			if (*end != '\0') {
				snprintf(err, errlen, _("SUDO_GID is not a number: '%s'"), sg);
				return -1;
			}
			gid = (gid_t)g;
		}
		pw = getpwuid(uid);
		if (gid == (gid_t)-1)
			gid = pw != NULL ? pw->pw_gid : (gid_t)uid;
	} else {
		return 0;               /* nobody else to be */
	}
	if (geteuid() == uid && getuid() == uid && getegid() == gid && getgid() == gid)
		return 0;
	/* the groups first, while we may still change them */
	if ((pw != NULL ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) != 0 ||
	    setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0) {
		snprintf(err, errlen, _("cannot drop privileges to uid %lu: %s"), (unsigned long)uid,
		         strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &xu) != 0 || getresgid(&rg, &eg, &xg) != 0 || ru != uid ||
	    eu != uid || xu != uid || rg != gid || eg != gid || xg != gid ||
	    (uid != 0 && setresuid(0, 0, 0) == 0)) {
		snprintf(err, errlen, "%s", _("the privileges could not be dropped for good"));
		return -1;
	}
	*dropped = 1;
	return 0;
}

/* kernel/kn.h: what the files of kernel/ share (the records, the sockets of
 * a dump, struct kn); private to kernel/, not for use outside it. */
#ifndef TT_KERNEL_KN_H
#define TT_KERNEL_KN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kernel/kernel.h"

#define KN_RING 16384
#define KN_ADDRS 64
#define KN_PIDS 256
#define KN_SOCKS 4096
#define KN_PROBES 8192

struct kn_rec {
	int64_t t;
	uint8_t ipver;
	int8_t old, new;          /* enum tt_state; old -1: unknown (a snapshot) */
	uint16_t ap, bp;          /* local, remote port (ap 0: connect() before bind) */
	uint8_t a[16], b[16];     /* local, remote address */
	int pid;                  /* the task in whose context it happened, 0 */
};

struct kn_sock {                  /* a socket of the last sock_diag dump */
	uint8_t ipver;
	uint8_t a[16], b[16];
	uint16_t ap, bp;
	int8_t state;
	uint32_t inode;
};

struct kn_probe_rec {             /* a tcp:tcp_probe line */
	uint8_t ipver, taken;
	uint16_t ap, bp;          /* the receiving socket's port, its peer's */
	uint8_t a[16], b[16];
	struct kn_probe p;
};

struct kn {
	enum kn_source src;
	struct kn_rec *ring;
	size_t head, n;           /* next slot, records held */
	uint64_t total;           /* records ever added */
	int fd;                   /* trace_pipe */
	int helper;               /* write end of the cleanup helper's pipe */
	pid_t helper_pid;
	int diag;                 /* NETLINK_SOCK_DIAG socket */
	int64_t mono_off;         /* real time - trace clock (ns) */
	int64_t slack;            /* how far a record's time may be off (ns): the
	                           * tracepoint's are whole microseconds, and
	                           * mono_off is measured between two calls */
	int64_t opened;           /* kn_set_opened, 0: none */
	char buf[65536];
	size_t blen;
	struct kn_sock *socks;    /* last dump, for sock_diag polling */
	size_t nsocks;
	struct {
		uint8_t ipver, a[16];
	} addr[KN_ADDRS];
	size_t naddr;
	pid_t pids[KN_PIDS];      /* followed processes */
	size_t npids;
	pid_t root_pid;
	uint32_t *inodes;         /* followed processes' socket inodes */
	size_t ninodes;
	struct kn_sock *mine;     /* their connections (4-tuples) seen so far */
	size_t nmine;
	struct kn_probe_rec *probes;  /* a ring of KN_PROBES, newest last */
	size_t phead, pn;
	int probe_on;
	char probe_why[256];      /* why there are none, when !probe_on */
};


/* kernel.c */
const struct kn_rec *kn_rec_back(const struct kn *k, size_t i);   /* i = 0: the newest */
int kn_alen(int ipver);
int kn_is_any(int ipver, const uint8_t *a);
void kn_add_rec(struct kn *k, const struct kn_rec *r);
/* diag.c: Linux's TCP_* state as an enum tt_state, -1; one poll of both
 * families (records: turn changes into records; first: the start's dump) */
int kn_from_linux(int s);
int kn_diag_poll(struct kn *k, int first, int records);
/* trace.c: the tracefs instance (why: what failed, to fix); its records */
int kn_trace_open(struct kn *k, char *why, size_t whylen);
int kn_trace_read(struct kn *k, char *err, size_t errlen);
int kn_write_file(const char *path, const char *s);
/* "  task-123 [001] ..... 8123.456789: EVENT: ": the time (real, ns) and
 * the task's pid of a trace line whose event name ends at ev */
int64_t kn_trace_time(const struct kn *k, const char *line, const char *ev, int *pid);
/* probe.c: tcp:tcp_probe enabled in instance inst of tracefs base (else
 * probe_why says why); a trace line of it ("... tcp_probe: family=..."), 1
 * when it was one */
void kn_probe_open(struct kn *k, const char *base, const char *inst);
int kn_probe_line(struct kn *k, const char *line);

#endif

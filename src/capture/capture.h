/* capture/capture.h: reading real captures and following their TCP streams.
 *
 * Three layers, each usable alone:
 *  - cap_decode(): one frame's bytes (link type, bytes, caplen) to a TCP
 *    segment description. Touches nothing else; every byte is read through a
 *    bounds-checked macro, so a fuzzer may call it directly.
 *  - struct cap_replay: the stream table (Wireshark's tcp.stream numbering,
 *    relative sequence numbers, TCP analysis notes, both endpoints' states
 *    from the engine's observer) fed one frame at a time. Memory grows with
 *    the number of streams, never with the bytes of the capture.
 *  - struct cap_story: a whole capture loaded for stepping (the TUI): the
 *    stream list, then one stream's segments as struct tt_step with detail.
 *  - writing: cap_encode_tcp() builds a raw IP packet from a segment,
 *    cap_dump_*() write frames to a pcap file.
 * Only capture/pcapfile.c includes <pcap.h>. Nothing here prints: failures
 * return -1 with a message in err ("frame N: ..." when a frame is to blame).
 */
#ifndef TT_CAPTURE_H
#define TT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/tcp.h"
#include "trace/trace.h"

/* ---- one frame ---------------------------------------------------------- */

/* Link types, numbered as LINKTYPE_* in the pcap/pcapng headers (and
 * two DLT_RAW values that older files carry); decode.c's table holds each
 * one's name and decoder. */
enum {
	CAP_LINK_NULL = 0, CAP_LINK_ETHERNET = 1, CAP_LINK_PPP = 9,
	CAP_LINK_RAW_DLT12 = 12,      /* DLT_RAW on most systems */
	CAP_LINK_RAW_DLT14 = 14,      /* DLT_RAW on OpenBSD */
	CAP_LINK_RAW = 101, CAP_LINK_IEEE802_11 = 105, CAP_LINK_LOOP = 108,
	CAP_LINK_SLL = 113, CAP_LINK_ARCNET_LINUX = 129, CAP_LINK_JUNIPER_ETHER = 178,
	CAP_LINK_PPI = 192, CAP_LINK_IPV4 = 228, CAP_LINK_IPV6 = 229,
	CAP_LINK_IPOIB = 242, CAP_LINK_SLL2 = 276
};

enum cap_status {
	CAP_TCP,         /* a TCP segment (maybe with a truncated payload) */
	CAP_NOT_TCP,     /* well formed, but no TCP in it (ARP, UDP, ...) */
	CAP_FRAGMENT,    /* an IP fragment: not reassembled */
	CAP_TRUNCATED,   /* cut off before the end of the TCP header */
	CAP_MALFORMED,   /* a header contradicts itself */
	CAP_UNSUPPORTED  /* a link type or encapsulation this reader does not know */
};

#define CAP_MAX_SACK 4

struct cap_tcpopts {
	uint16_t mss;             /* 0: absent */
	int16_t wscale;           /* -1: absent */
	uint8_t sack_ok;
	uint8_t nsack;
	uint8_t has_ts;
	uint8_t nother;           /* options of other kinds */
	uint8_t bad;              /* the option list ran past the header */
	uint32_t sack[CAP_MAX_SACK][2]; /* left, right edges (absolute) */
	uint32_t tsval, tsecr;
};

struct cap_pkt {
	/* what the stream table reads of every segment, first: with the
	 * options' first words, two cache lines (replay's read-ahead hands
	 * packets from one processor to another, doc/design.md) */
	uint32_t seq, ack;
	uint32_t len;             /* TCP payload length as the IP header says */
	uint32_t caplen_payload;  /* payload bytes actually in the capture */
	uint16_t sport, dport;
	uint16_t flags;           /* TT_FIN ... TT_CWR, TT_AE */
	uint16_t win;             /* raw window field */
	uint16_t urp, cksum;
	uint8_t ipver;            /* 4 or 6 */
	uint8_t thlen;            /* TCP header length in bytes */
	uint8_t nvlan;            /* 802.1Q/802.1ad tags passed */
	uint8_t ttl;              /* TTL or hop limit */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	struct cap_tcpopts opt;
	enum cap_status status;
	const char *why;          /* English reason (N_ marked) unless CAP_TCP */
	uint8_t ipproto;          /* the innermost IP's protocol (6: TCP), 0 before IP */
	uint8_t ip_hlen;          /* IPv4 header length with options, or IPv6
	                           * 40 plus the extension headers */
	uint16_t ip_id;           /* IPv4 identification */
	uint32_t ip_off;          /* where the (innermost) IP header starts */
	uint32_t ip_len;          /* IPv4 total length */
	uint16_t frag_off;        /* IPv4 fragment: offset of its data, in bytes */
	uint8_t frag_more;        /* IPv4 fragment: more fragments follow */
	uint16_t vlan[2];         /* VLAN ids, outermost first */
	uint32_t payload_off;     /* offset of the payload in the frame */
};

/* The decoder's one entry point: never reads outside bytes[0..caplen). */
enum cap_status cap_decode(int linktype, const uint8_t *bytes, uint32_t caplen,
                           struct cap_pkt *out);
/* The same without its shortcut for Ethernet/IPv4/TCP (for tests). */
enum cap_status cap_decode_general(int linktype, const uint8_t *bytes, uint32_t caplen,
                                   struct cap_pkt *out);
/* "Ethernet", "Linux cooked (SLL2)", ... or NULL when unsupported. */
const char *cap_link_name(int linktype);
/* Formats "addr:port" or "[addr]:port". */
char *cap_endpoint(int ipver, const uint8_t *addr, uint16_t port, char *buf, size_t len);

/* ---- streams -------------------------------------------------------------- */

enum cap_end {
	CAP_END_OPEN,       /* still open at the end of the capture */
	CAP_END_FIN,        /* FIN both ways */
	CAP_END_HALF,       /* FIN one way only */
	CAP_END_RST,        /* reset */
	CAP_END_REFUSED     /* SYN answered by RST */
};
const char *cap_end_name(enum cap_end e); /* "fin", "half-close", "rst", "refused", "open" */

/* What --streams prints for one stream. */
struct cap_stream_info {
	unsigned index;           /* tcp.stream */
	char endpoint[2][56];     /* client, server */
	uint64_t packets;
	uint64_t bytes[2];        /* payload bytes sent by client, server */
	uint64_t first_frame, last_frame;
	int64_t first_ns, last_ns; /* since the first packet of the file */
	int handshake;            /* SYN, SYN,ACK and the ACK all seen */
	int midstream;            /* the capture starts after the handshake */
	enum cap_end end;
	enum tt_state final[2];   /* client, server after the last segment */
};

/* One TCP frame after the stream table has seen it: a batch table row,
 * self-contained (it outlives the frame). */
struct cap_seg {
	uint64_t frame;
	int64_t time_ns;          /* since the first packet of the file */
	unsigned stream;
	int dir;                  /* TT_CLIENT: sent by the client */
	uint32_t seq, ack, len;   /* as in the header (absolute) */
	uint16_t flags, win;
	uint32_t rel_seq, rel_ack; /* relative as Wireshark computes them */
	unsigned notes;           /* TT_NOTE() bits */
	enum tt_state state[2];   /* client, server after the segment (doc/design.md:
	                           * sent, and received unless it crossed) */
	unsigned obs;             /* TT_OBS_* bits: mid-stream, inferred, crossed */
	uint64_t arrived_after;   /* crossed: the frame after which it arrived, else 0 */
	int32_t flight;           /* with CAP_VIEWS: the sender's bytes in flight after
	                           * it as Wireshark's tcp.analysis.bytes_in_flight,
	                           * -1 where that has none */
	unsigned lost_events;     /* events past the room below, counted; the row is
	                           * then noted events-cut (a burst of crossed
	                           * segments arriving at once can have more) */
	unsigned nev;             /* what the endpoints did in this row, in order */
	/* up to here all a row without events or TCBs fills (a TSV row): what
	 * replay's two threads hand over of it (pump.c) */
	struct cap_event {
		int host;         /* 0 client, 1 server */
		uint64_t arrived; /* a delivery: the frame whose segment arrived; 0: a send */
		unsigned flags;   /* TT_OBS_INFERRED, TT_OBS_CROSSED */
		struct tt_event ev;
	} ev[TT_STEP_EVENTS];
	struct tt_tcb_view tcb[2]; /* with CAP_VIEWS: both endpoints after the row */
};

struct cap_replay;
/* Options: CAP_ROWS: rows come out of cap_replay_row (without it only the
 * streams are followed, for --streams); CAP_VIEWS: rows carry both TCBs;
 * CAP_NO_EVENTS: rows carry no events (nev 0), for a table that shows
 * none (TSV): their states are the same. */
enum { CAP_ROWS = 1, CAP_VIEWS = 2, CAP_NO_EVENTS = 4 };
/* NULL when out of memory (or when no random key can be had). The stream
 * table's hash is keyed per run from a random key, so that no file can be
 * crafted to make its probing long; a probe that still grows long makes the
 * table take a new key and rebuild. */
struct cap_replay *cap_replay_new(unsigned opts);
void cap_replay_free(struct cap_replay *r);
/* Before the first frame: only stream i is observed and gives rows; the
 * others are numbered and counted as always (so i is the same stream), but
 * their segments go to no observer and their final states read CLOSED. For
 * one stream of a big capture (replay --stream, the TUI's chosen stream):
 * the same rows as a whole run's, unless that run had to settle the stream
 * early for want of room (every observer place held, or CAP_HELD rows
 * waiting behind one of its rows; doc/design.md). */
void cap_replay_follow(struct cap_replay *r, size_t i);
/* Sets the hash key (CAP_REPLAY_KEY bytes) before the first frame: for
 * tests and benchmarks that must craft or repeat collisions. */
#define CAP_REPLAY_KEY 16
void cap_replay_set_key(struct cap_replay *r, const uint8_t *key);
/* How the table probed: lookups, slots visited, the longest probe, and how
 * often it took a new key. */
struct cap_probe_stats {
	uint64_t lookups, probes;
	unsigned longest, rekeys;
};
void cap_replay_probe_stats(const struct cap_replay *r, struct cap_probe_stats *st);
/* The table's hash of a frame's 4-tuple under the current key (the same in
 * both directions): what the table uses, for tests that craft collisions. */
uint32_t cap_replay_hash(const struct cap_replay *r, const struct cap_pkt *pkt);
/* Feeds one decoded TCP frame. Returns its stream number, or -1 when out
 * of memory. Its row comes out of cap_replay_row() once its states are
 * final: a segment's arrival waits for the next word of its receiver,
 * whose ACK tells whether the two crossed. Rows come out in frame order;
 * at most CAP_HELD wait at once (then the oldest stream is settled as if
 * no more evidence came). */
#define CAP_HELD 4096
long cap_replay_frame(struct cap_replay *r, uint64_t frame, int64_t time_ns,
                      const struct cap_pkt *pkt);
/* 1 with the next finished row in *seg, 0 when none is ready. */
int cap_replay_row(struct cap_replay *r, struct cap_seg *seg);
/* No more frames: every row is finished (then drain cap_replay_row). */
void cap_replay_finish(struct cap_replay *r);
/* For a live capture, where the next segment may never come: the oldest
 * waiting row, when it is older than before_ns (capture time), has its
 * stream settled as if no more evidence came. Returns 1 when it did (take
 * the rows, then call again), 0 when the oldest row may wait. */
int cap_replay_settle_older(struct cap_replay *r, int64_t before_ns);
size_t cap_replay_nstreams(const struct cap_replay *r);
/* Fills *info with what is known of stream i so far. */
void cap_replay_stream(const struct cap_replay *r, size_t i, struct cap_stream_info *info);

/* ---- reading files (pcapfile.c, the only <pcap.h> user) -------------------- */

struct cap_frame {
	uint64_t number;          /* 1-based, every packet in the file counts */
	int64_t time_ns;          /* since the first packet */
	int64_t abs_ns;           /* the time stamp itself, since the epoch */
	int linktype;
	const uint8_t *data;      /* valid until the next cap_file_next */
	uint32_t caplen, wirelen;
};

struct cap_file;
/* path "-" reads standard input; filter NULL or "" takes every packet
 * (frame numbers still count every packet). A link type the decoder does
 * not know is an error here, before any frame is read. */
int cap_file_open(const char *path, const char *filter, struct cap_file **out,
                  char *err, size_t errlen);
/* A live capture on interface iface ("lo", "any", ...): immediate mode,
 * nanosecond time stamps where the system has them, the filter applied in
 * the kernel (frame numbers count what passes it), reads that never block.
 * -1 with a message; -2 when the system refused the privilege to capture
 * (the message is libpcap's; the caller says how to get it). */
int cap_file_open_live(const char *iface, const char *filter, struct cap_file **out,
                       char *err, size_t errlen);
/* The descriptor to poll() for a live capture's next packet; -1 for a file. */
int cap_file_fd(const struct cap_file *f);
uint64_t cap_file_drops(const struct cap_file *f);
/* 1: a frame that passed the filter, 0: end of file, -1: damage (message in
 * err as "frame N: ..."; the frames before it were good); CAP_AGAIN: a live
 * capture has no packet waiting (poll cap_file_fd, then call again). */
#define CAP_AGAIN (-3)
int cap_file_next(struct cap_file *f, struct cap_frame *fr, char *err, size_t errlen);
void cap_file_close(struct cap_file *f);
/* The file's link type (LINKTYPE_ numbering). */
int cap_file_linktype(const struct cap_file *f);
/* Frames read so far, every packet counted (damage is at the next one). */
uint64_t cap_file_frames(const struct cap_file *f);

/* ---- writing captures ----------------------------------------------------- */

/* One TCP segment as a raw IP packet (encode.c). */
struct cap_tcp_out {
	uint8_t ipver;            /* 4 or 6 */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	uint16_t sport, dport;
	uint16_t ip_id;           /* IPv4 identification */
	const struct tt_seg *seg; /* seq, ack, flags (AE too), wnd (65535 at most),
	                           * up, mss (an MSS option when not 0), len */
	const uint8_t *payload;   /* seg->len bytes (seg->data is not read) */
};
/* The largest frame cap_encode_tcp() makes: an IP datagram. */
#define CAP_ENCODE_MAX 65535
/* Writes the IPv4 (version 4, IHL 5, DF, TTL 64) or IPv6 (hop limit 64)
 * header with the segment's ECN field (seg->ecn, RFC 3168 §5), the TCP
 * header with both checksums right and the payload into out, a
 * LINKTYPE_RAW frame; returns its length, or 0 when it does not fit
 * in outlen or in one IP datagram (or ipver is neither 4 nor 6). */
size_t cap_encode_tcp(const struct cap_tcp_out *t, uint8_t *out, size_t outlen);

/* A pcap file being written (pcapfile.c, through libpcap's
 * pcap_open_dead and pcap_dump). Microsecond time stamps from 0 (the
 * epoch), every frame whole (caplen = len). */
struct cap_dump;
/* Creates (or truncates) path for frames of linktype (LINKTYPE_ numbering);
 * NULL with the reason in err ("No such file or directory"). */
struct cap_dump *cap_dump_open(const char *path, int linktype, char *err, size_t errlen);
/* Appends one frame at time_us (negative: 0); 0, or -1 once the file has a
 * write error (cap_dump_close says which). */
int cap_dump_write(struct cap_dump *d, int64_t time_us, const uint8_t *bytes, uint32_t len);
/* Flushes and closes (d is freed either way): 0, or -1 with the reason
 * in err when anything could not be written. */
int cap_dump_close(struct cap_dump *d, char *err, size_t errlen);

/* ---- TCP segments out of a file (reader.c): frames, decoded, IPv4
 * fragments reassembled ------------------------------------------------------ */

struct cap_reader;
int cap_reader_open(const char *path, const char *filter, struct cap_reader **out,
                    char *err, size_t errlen);
/* The same over a live capture (cap_file_open_live: -2 when the privilege
 * to capture is missing); cap_reader_next then returns CAP_AGAIN when no
 * packet is waiting, and cap_reader_fd() is what to poll. */
int cap_reader_open_live(const char *iface, const char *filter, struct cap_reader **out,
                         char *err, size_t errlen);
int cap_reader_fd(const struct cap_reader *r);
/* Packets a live capture's system dropped because they were not read in
 * time (libpcap's ps_drop); 0 for a file or when the system does not say. */
uint64_t cap_reader_drops(const struct cap_reader *r);
/* 1: a TCP segment in *pkt; fr->number is the frame that carried it (for a
 *    reassembled datagram, the frame of its last fragment) and fr->data the
 *    bytes pkt's offsets refer to;
 * 2: a frame whose IP says TCP but that cannot be shown: pkt->why says why
 *    (a fragment that was not reassembled, a cut-off or broken header);
 * 0: end of file; -1: damage, message in err as "frame N: ...";
 * CAP_AGAIN: live, nothing waiting. */
int cap_reader_next(struct cap_reader *r, struct cap_frame *fr, struct cap_pkt *pkt,
                    char *err, size_t errlen);
/* The same, without copies: *fr and *pkt point at the reader's own
 * results, which stay until the next call. */
int cap_reader_take(struct cap_reader *r, const struct cap_frame **fr,
                    const struct cap_pkt **pkt, char *err, size_t errlen);
int cap_reader_linktype(const struct cap_reader *r);
/* Frames read from the file so far (cap_file_frames); with read-ahead,
 * once cap_reader_next has returned 0 or -1. */
uint64_t cap_reader_frames(const struct cap_reader *r);
/* Read-ahead (a file, not live): from now on a thread of the reader's own
 * reads and decodes the frames ahead of the caller, which gets them from
 * cap_reader_next in the same order with the same results, only without
 * their bytes (fr->data is NULL). 0, or -1 when no thread could start
 * (the reader goes on reading in the caller's thread). */
int cap_reader_read_ahead(struct cap_reader *r);
void cap_reader_close(struct cap_reader *r);

/* ---- a file through the stream table in two threads (pump.c) ------------- */

struct cap_pump_ops {
	/* a frame whose IP says TCP but that cannot be shown (reader result 2) */
	void (*note)(void *arg, uint64_t frame, const char *why);
	/* a finished row, and its stream's endpoint strings: [0] the client's,
	 * [1] the server's */
	void (*row)(void *arg, const struct cap_seg *seg, const char (*ep)[56]);
};
/* Feeds every frame of f to r and hands every row out (only stream `only`'s
 * unless it is -1), as cap_replay_frame, cap_replay_row and then
 * cap_replay_finish would: the same rows in the same order. With `threads`
 * (and a file, not a live capture) the table runs in a thread of its own
 * while this one reads and calls ops (doc/design.md, "Performance");
 * otherwise, or when no thread can start, all runs here and each row goes
 * out as soon as it is final. Do not give f read-ahead. Returns 0 at the
 * end of the file, -1 on damage or when out of memory (message in err); r
 * is finished either way, and every row before the trouble went out. */
int cap_replay_pump(struct cap_reader *f, struct cap_replay *r, long only, int threads,
                    const struct cap_pump_ops *ops, void *arg, char *err, size_t errlen);

/* ---- a capture loaded for stepping (the TUI) ----------------------------- */

struct cap_story;
/* Reads the whole capture once and builds the stream list. A damaged file
 * still opens when frames before the damage were read: the message is kept
 * (cap_story_warning). Returns -1 with a message when nothing could be read,
 * -2 (with a message too) when the capture was read whole but holds no TCP
 * stream (none passes the filter). */
int cap_story_open(const char *path, const char *filter, struct cap_story **out,
                   char *err, size_t errlen);
void cap_story_free(struct cap_story *s);
size_t cap_story_nstreams(const struct cap_story *s);
const struct cap_stream_info *cap_story_stream(const struct cap_story *s, size_t i);
/* "frame N: ..." when the file was damaged, else NULL; valid until the next
 * cap_story_select (which reads the file again). */
const char *cap_story_warning(const struct cap_story *s);
/* The frame N the damage is at (0 when the file is whole). */
uint64_t cap_story_damage_frame(const struct cap_story *s);
/* Makes stream i the current one: its segments become the steps. */
int cap_story_select(struct cap_story *s, size_t i, char *err, size_t errlen);
/* The current stream's steps: kind TT_STEP_SEGMENT, frame number, time in
 * microseconds since the first packet, dir, seg with ABSOLUTE seq/ack,
 * notes, and tcb[0/1] as far as the observer knows (state, iss/irs as seen,
 * snd_una, snd_nxt, rcv_nxt, snd_wnd/rcv_wnd from the windows seen). */
size_t cap_story_nsteps(const struct cap_story *s);
const struct tt_step *cap_story_steps(const struct cap_story *s);
/* Full header and decoded options of step i, English labels (translated
 * through gettext); the text stays valid until the next call. */
const char *cap_story_detail(struct cap_story *s, size_t i);
/* A finished row becomes a step's states, TCBs and events (its kind,
 * time and segment are the caller's). Sequence numbers stay relative to
 * Wireshark's bases, learnt into base[]/known[] as the stream's rows come;
 * windows as the endpoints offered them; the observer runs no timers. */
void cap_step_fill(struct tt_step *st, const struct cap_seg *row, uint32_t base[2],
                   unsigned char known[2]);
/* The same for any decoded packet p shown as step st (relative numbers
 * from st's ISSs) into buf; returns the length written. */
size_t cap_pkt_detail(const struct cap_pkt *p, const struct tt_step *st, int linktype, char *buf,
                      size_t len);

#endif

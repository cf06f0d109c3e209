/* tests/check_write.c: a simulated run written as a real capture (--write).
 *
 * The encoder (capture/encode.c) against the decoder and against checksums
 * computed here from scratch; the payload the simulator keeps per step;
 * and cmd/write.c's files read back through libpcap (capture/pcapfile.c):
 * one frame per segment step, the bytes the engine sent, time stamps from
 * the virtual clock (arrival, or the send time of a lost segment), in time
 * order, each later simulation 1 s after the last frame of the one before,
 * and errors as "FILE: reason".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tt_check.h"
#include "capture/capture.h"
#include "cmd/cmd.h"
#include "sim/sim.h"

/* cmd/write.c reports through tt_warn(): kept here for the tests to read. */
static char warned[1024];

void
tt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(warned, sizeof warned, fmt, ap);
	va_end(ap);
}

/* ---- checksums, computed here without the encoder's code ---------------- */

static unsigned
csum(const uint8_t *pseudo, size_t plen, const uint8_t *p, size_t n)
{
	unsigned long sum = 0;

	for (size_t i = 0; i < plen; i += 2)
		sum += (unsigned long)pseudo[i] << 8 | pseudo[i + 1];
	for (size_t i = 0; i < n; i++)
		sum += (i % 2 == 0) ? (unsigned long)p[i] << 8 : p[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned)sum;   /* 0xffff when the checksum in the data is right */
}

/* The TCP checksum of a raw IPv4 or IPv6 frame is right. */
static int
tcp_csum_ok(const uint8_t *f, size_t n)
{
	uint8_t ps[40];
	size_t ih = (f[0] >> 4) == 4 ? 20 : 40, tl = n - ih;

	memset(ps, 0, sizeof ps);
	if (ih == 20) {
		memcpy(ps, f + 12, 8);
		ps[9] = 6;
		ps[10] = (uint8_t)(tl >> 8);
		ps[11] = (uint8_t)tl;
		return csum(ps, 12, f + ih, tl) == 0xffff;
	}
	memcpy(ps, f + 8, 32);
	ps[34] = (uint8_t)(tl >> 8);
	ps[35] = (uint8_t)tl;
	ps[39] = 6;
	return csum(ps, 40, f + ih, tl) == 0xffff;
}

/* ---- the encoder ------------------------------------------------------------- */

/* RFC 3168 §5: the segment's ECN codepoint in the IP header, both versions,
 * the IPv4 header's checksum still right. */
START_TEST(test_ecn_field_goes_into_the_ip_header)
{
	static const uint8_t cps[] = { TT_NOT_ECT, TT_ECT1, TT_ECT0, TT_CE };
	uint8_t f[256];

	for (size_t i = 0; i < sizeof cps; i++) {
		struct tt_seg seg = { .seq = 1, .ack = 1, .wnd = 100, .flags = TT_ACK, .ecn = cps[i] };
		struct cap_tcp_out o = { .ipver = 4, .src = { 192, 0, 2, 1 }, .dst = { 198, 51, 100, 2 },
		                         .sport = 1, .dport = 2, .seg = &seg };
		size_t n = cap_encode_tcp(&o, f, sizeof f);

		ck_assert_uint_eq(n, 40);
		ck_assert_uint_eq(f[1], cps[i]);
		ck_assert_uint_eq(csum(f, 20, NULL, 0), 0xffff);
		o.ipver = 6;
		n = cap_encode_tcp(&o, f, sizeof f);
		ck_assert_uint_eq(n, 60);
		ck_assert_uint_eq(f[0], 0x60);
		ck_assert_uint_eq((f[1] >> 4) & 3, cps[i]);
	}
}
END_TEST

START_TEST(test_ipv4_segment_decodes_with_every_field_and_good_checksums)
{
	static const uint8_t payload[] = "odd-sized!";  /* 10 bytes... */
	uint8_t f[256];
	struct tt_seg seg = { .seq = 0xfffffff0u, .ack = 12345, .wnd = 4321,
	                      .flags = TT_SYN | TT_ACK | TT_PSH | TT_URG | TT_ECE | TT_CWR | TT_AE,
	                      .mss = 1460, .up = 7, .len = 9 };   /* ...of which 9: odd */
	struct cap_tcp_out o = { .ipver = 4, .src = { 192, 0, 2, 1 }, .dst = { 198, 51, 100, 2 },
	                         .sport = 49152, .dport = 80, .ip_id = 0x1234, .seg = &seg,
	                         .payload = payload };
	struct cap_pkt p;
	size_t n = cap_encode_tcp(&o, f, sizeof f);

	ck_assert_uint_eq(n, 20 + 24 + 9);
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f, (uint32_t)n, &p), CAP_TCP);
	ck_assert_uint_eq(p.ipver, 4);
	ck_assert_uint_eq(f[0], 0x45);
	ck_assert_uint_eq(p.ip_len, n);
	ck_assert_uint_eq(p.ip_id, 0x1234);
	ck_assert_uint_eq(p.ttl, 64);
	ck_assert_uint_eq(p.ipproto, 6);
	ck_assert_uint_eq(p.frag_off, 0);
	ck_assert_uint_eq(p.frag_more, 0);
	ck_assert_mem_eq(p.src, o.src, 4);
	ck_assert_mem_eq(p.dst, o.dst, 4);
	ck_assert_uint_eq(p.sport, 49152);
	ck_assert_uint_eq(p.dport, 80);
	ck_assert_uint_eq(p.seq, 0xfffffff0u);
	ck_assert_uint_eq(p.ack, 12345);
	ck_assert_uint_eq(p.flags, seg.flags);
	ck_assert_uint_eq(p.win, 4321);
	ck_assert_uint_eq(p.urp, 7);
	ck_assert_uint_eq(p.thlen, 24);
	ck_assert_uint_eq(p.opt.mss, 1460);
	ck_assert_uint_eq(p.opt.nother, 0);
	ck_assert_uint_eq(p.opt.bad, 0);
	ck_assert_uint_eq(p.len, 9);
	ck_assert_uint_eq(p.caplen_payload, 9);
	ck_assert_mem_eq(f + p.payload_off, payload, 9);
	ck_assert_uint_eq(csum(NULL, 0, f, 20), 0xffff);   /* IPv4 header checksum */
	ck_assert(tcp_csum_ok(f, n));
	/* any flipped bit is caught by one of the checksums */
	for (size_t i = 0; i < n; i++) {
		f[i] ^= 0x10;
		ck_assert(csum(NULL, 0, f, 20) != 0xffff || !tcp_csum_ok(f, n));
		f[i] ^= 0x10;
	}
}
END_TEST

START_TEST(test_ipv6_segment_without_options)
{
	uint8_t f[256], payload[3] = { 'x', 'x', 'x' };
	struct tt_seg seg = { .seq = 1, .ack = 2, .wnd = 70000, .flags = TT_FIN | TT_ACK, .len = 3 };
	struct cap_tcp_out o = { .ipver = 6, .sport = 443, .dport = 40000, .seg = &seg,
	                         .payload = payload };
	struct cap_pkt p;
	size_t n;

	o.src[0] = 0x20, o.src[1] = 0x01, o.src[2] = 0x0d, o.src[3] = 0xb8, o.src[15] = 1;
	o.dst[0] = 0x20, o.dst[1] = 0x01, o.dst[2] = 0x0d, o.dst[3] = 0xb8, o.dst[15] = 2;
	n = cap_encode_tcp(&o, f, sizeof f);
	ck_assert_uint_eq(n, 40 + 20 + 3);
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f, (uint32_t)n, &p), CAP_TCP);
	ck_assert_uint_eq(p.ipver, 6);
	ck_assert_uint_eq(f[0], 0x60);
	ck_assert_uint_eq((unsigned)f[4] << 8 | f[5], 23);  /* payload length */
	ck_assert_uint_eq(f[6], 6);                          /* next header */
	ck_assert_uint_eq(p.ttl, 64);
	ck_assert_mem_eq(p.src, o.src, 16);
	ck_assert_mem_eq(p.dst, o.dst, 16);
	ck_assert_uint_eq(p.flags, TT_FIN | TT_ACK);
	ck_assert_uint_eq(p.win, 0xffff);                    /* 16 bits on the wire */
	ck_assert_uint_eq(p.thlen, 20);
	ck_assert_uint_eq(p.opt.mss, 0);
	ck_assert_uint_eq(p.len, 3);
	ck_assert(tcp_csum_ok(f, n));
}
END_TEST

START_TEST(test_what_does_not_fit_is_refused)
{
	static uint8_t big[65536], f[65536];
	struct tt_seg seg = { .len = 65535 - 40 };
	struct cap_tcp_out o = { .ipver = 4, .seg = &seg, .payload = big };

	ck_assert_uint_eq(cap_encode_tcp(&o, f, sizeof f), 65535);   /* the largest datagram */
	ck_assert_uint_eq(cap_encode_tcp(&o, f, 65534), 0);          /* not in the buffer */
	seg.len++;
	ck_assert_uint_eq(cap_encode_tcp(&o, f, sizeof f), 0);       /* not in IPv4 */
	seg.len = 1;
	o.payload = NULL;
	ck_assert_uint_eq(cap_encode_tcp(&o, f, sizeof f), 0);       /* no bytes to send */
	o.payload = big;
	o.ipver = 5;
	ck_assert_uint_eq(cap_encode_tcp(&o, f, sizeof f), 0);
}
END_TEST

/* ---- the simulator keeps the payload ------------------------------------------ */

static struct tt_sim *
run(const char *text)
{
	char err[512];
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "test", err, sizeof err);
	struct tt_sim *s;

	ck_assert_msg(sc != NULL, "%s", err);
	s = tt_scenario_run(sc, NULL, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	tt_scenario_free(sc);
	return s;
}

START_TEST(test_sim_keeps_the_bytes_of_every_segment)
{
	struct tt_sim *s = run("set both mss 4\nlisten server\nconnect client\nrun\n"
	                       "send client \"hello\"\nrun\nduplicate\nsend server 3\nrun\n");
	size_t seen = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);
		const uint8_t *p = tt_sim_payload(s, i);

		if (st->kind != TT_STEP_SEGMENT || st->seg.len == 0) {
			ck_assert_ptr_null(p);
			continue;
		}
		ck_assert_ptr_nonnull(p);
		if (st->dir == TT_CLIENT && st->seg.len == 4) {
			ck_assert_mem_eq(p, "hell", 4);
			seen |= 1;
		} else if (st->dir == TT_CLIENT && st->seg.len == 1) {
			ck_assert_mem_eq(p, "o", 1);
			seen |= 2;
		} else if (st->dir == TT_SERVER && st->seg.len == 3) {
			ck_assert_mem_eq(p, "xxx", 3);   /* the engine's fill, twice */
			seen += 4;
		} else {
			ck_abort_msg("unexpected segment of %u bytes", st->seg.len);
		}
	}
	ck_assert_uint_eq(seen, 3 + 8);
	ck_assert_ptr_null(tt_sim_payload(s, tt_sim_nsteps(s)));
	tt_sim_free(s);
}
END_TEST

/* ---- files written and read back ------------------------------------------------ */

static char tmpl[64];

static void
make_tmp(void)
{
	int fd;

	snprintf(tmpl, sizeof tmpl, "/tmp/check_write.XXXXXX");
	fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

/* What each sim's segments should look like in the file, in file order:
 * times (absolute microseconds) and the steps they come from. */
struct want {
	const struct tt_sim *s;
	size_t step;
	tt_time t;
	unsigned scene;          /* its client writes from its port + scene */
};

static size_t
expect(const struct tt_sim *const *sims, size_t nsims, struct want *w, size_t cap)
{
	size_t n = 0;
	tt_time base = 0;

	for (size_t k = 0; k < nsims; k++) {
		size_t first = n;
		tt_time last = -1;

		for (size_t i = 0; i < tt_sim_nsteps(sims[k]); i++) {
			const struct tt_step *st = tt_sim_step(sims[k], i);

			if (st->kind != TT_STEP_SEGMENT)
				continue;
			ck_assert_uint_lt(n, cap);
			w[n].s = sims[k];
			w[n].step = i;
			w[n].t = base + ((st->notes & TT_NOTE(DROPPED)) ? st->time : st->arrival);
			w[n].scene = (unsigned)k;
			/* insertion sort: stable, by time */
			for (size_t j = n; j > first && w[j - 1].t > w[j].t; j--) {
				struct want x = w[j];

				w[j] = w[j - 1];
				w[j - 1] = x;
			}
			n++;
		}
		for (size_t j = first; j < n; j++)
			if (w[j].t > last)
				last = w[j].t;
		if (last >= 0)
			base = last + TT_SEC(1);
	}
	return n;
}

static void
check_file(const char *path, const struct tt_sim *const *sims, size_t nsims, int ipver)
{
	static struct want w[512];
	size_t n = expect(sims, nsims, w, 512), k = 0;
	struct cap_file *f;
	struct cap_frame fr;
	char err[512];
	int r;

	ck_assert_msg(cap_file_open(path, NULL, &f, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(cap_file_linktype(f), CAP_LINK_RAW);
	while ((r = cap_file_next(f, &fr, err, sizeof err)) == 1) {
		const struct tt_step *st;
		struct cap_pkt p;

		ck_assert_uint_lt(k, n);
		st = tt_sim_step(w[k].s, w[k].step);
		ck_assert_int_eq(cap_decode(fr.linktype, fr.data, fr.caplen, &p), CAP_TCP);
		ck_assert_uint_eq(fr.caplen, fr.wirelen);
		/* time since the first frame, as the reader gives it */
		ck_assert_int_eq(fr.time_ns, (w[k].t - w[0].t) * 1000);
		ck_assert_uint_eq(p.ipver, ipver);
		ck_assert_uint_eq(p.sport, st->port[st->dir] + (st->dir == TT_CLIENT ? w[k].scene : 0));
		ck_assert_uint_eq(p.dport, st->port[!st->dir] + (st->dir == TT_CLIENT ? 0 : w[k].scene));
		ck_assert_uint_eq(p.seq, st->seg.seq);
		ck_assert_uint_eq(p.ack, st->seg.ack);
		ck_assert_uint_eq(p.flags, st->seg.flags);
		ck_assert_uint_eq(p.win, st->seg.wnd);
		ck_assert_uint_eq(p.opt.mss, st->seg.mss);
		ck_assert_uint_eq(p.len, st->seg.len);
		if (st->seg.len > 0)
			ck_assert_mem_eq(fr.data + p.payload_off, tt_sim_payload(w[k].s, w[k].step),
			                 st->seg.len);
		ck_assert(tcp_csum_ok(fr.data, fr.caplen));
		if (ipver == 4)
			ck_assert_uint_eq(csum(NULL, 0, fr.data, 20), 0xffff);
		k++;
	}
	ck_assert_msg(r == 0, "%s", err);
	ck_assert_uint_eq(k, n);
	cap_file_close(f);
}

START_TEST(test_lost_and_duplicated_segments_in_time_order)
{
	/* the client's byte is lost after the server's, sent later, arrived:
	 * in the file it comes first, when it was sent; the data is duplicated
	 * (two frames), and the second connection has ports of its own */
	const struct tt_sim *sims[1];
	struct tt_sim *s = run("set delay client 0.5\nlisten server\nconnect client\nrun\n"
	                       "send client 1\nsend server 1\ndeliver to client\ndrop\nrun\n"
	                       "duplicate\nsend client \"GET /\"\nrun\nconnect client new\nrun\n"
	                       "send client:1 2\nrun\n");
	int lost = 0, dup = 0, sorted = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		lost += (st->notes & TT_NOTE(DROPPED)) != 0;
		dup += (st->notes & TT_NOTE(DUPLICATE)) != 0;
		/* the lost one comes after a step of later time stamp */
		for (size_t j = 0; j < i && (st->notes & TT_NOTE(DROPPED)); j++)
			if (tt_sim_step(s, j)->kind == TT_STEP_SEGMENT &&
			    tt_sim_step(s, j)->arrival > st->time)
				sorted = 1;
	}
	ck_assert_int_eq(lost, 1);
	ck_assert_int_eq(sorted, 1);
	ck_assert_int_eq(dup, 1);
	ck_assert_uint_ge(tt_sim_nstreams(s), 2);
	make_tmp();
	sims[0] = s;
	ck_assert_int_eq(tt_write_sims(tmpl, sims, 1), TT_EXIT_OK);
	check_file(tmpl, sims, 1, 4);
	unlink(tmpl);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_each_scene_starts_a_second_after_the_last_frame)
{
	struct tt_sim *a = run("listen server\nconnect client\nrun\nclose client\nrun\n");
	struct tt_sim *none = run("listen server\n");    /* no segment at all */
	struct tt_sim *b = run("host client 2001:db8::1 40000\nhost server 2001:db8::2 443\n"
	                       "listen server\nconnect client\nrun\nsend client 1200\nrun\n");
	const struct tt_sim *v4[3] = { a, none, a }, *v6[1] = { b };

	make_tmp();
	ck_assert_int_eq(tt_write_sims(tmpl, v4, 3), TT_EXIT_OK);
	check_file(tmpl, v4, 3, 4);
	unlink(tmpl);
	make_tmp();
	ck_assert_int_eq(tt_write_sims(tmpl, v6, 1), TT_EXIT_OK);
	check_file(tmpl, v6, 1, 6);
	unlink(tmpl);
	tt_sim_free(a);
	tt_sim_free(none);
	tt_sim_free(b);
}
END_TEST

START_TEST(test_errors_name_the_file)
{
	struct tt_sim *s = run("listen server\nconnect client\nrun\n");
	struct tt_sim *mixed = run("host server 2001:db8::2 80\nlisten server\nconnect client\nrun\n");
	const struct tt_sim *v[1] = { s }, *m[1] = { mixed };
	char err[256];
	struct cap_dump *d;

	warned[0] = '\0';
	ck_assert_int_eq(tt_write_sims("/nonexistent/dir/x.pcap", v, 1), TT_EXIT_FAIL);
	ck_assert_str_eq(warned, "/nonexistent/dir/x.pcap: No such file or directory");
	ck_assert_int_eq(tt_write_sims("/", v, 1), TT_EXIT_FAIL);
	ck_assert_str_eq(warned, "/: Is a directory");
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(tt_write_sims("/dev/full", v, 1), TT_EXIT_FAIL);
		ck_assert_str_eq(warned, "/dev/full: No space left on device");
		ck_assert_ptr_nonnull(d = cap_dump_open("/dev/full", CAP_LINK_RAW, err, sizeof err));
		ck_assert_int_eq(cap_dump_close(d, err, sizeof err), -1);
		ck_assert_str_eq(err, "No space left on device");
	}
	/* one capture cannot hold an IPv4 and an IPv6 host: said before any
	 * file is made */
	make_tmp();
	unlink(tmpl);
	ck_assert_int_eq(tt_write_sims(tmpl, m, 1), TT_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(warned, "one is IPv4, the other IPv6"));
	ck_assert_int_ne(access(tmpl, F_OK), 0);
	ck_assert_ptr_null(cap_dump_open("/nonexistent/x", CAP_LINK_RAW, err, sizeof err));
	ck_assert_str_eq(err, "No such file or directory");
	tt_sim_free(s);
	tt_sim_free(mixed);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("write");
	TCase *enc = tcase_create("encode"), *sim = tcase_create("sim"), *file = tcase_create("file");

	tcase_add_test(enc, test_ipv4_segment_decodes_with_every_field_and_good_checksums);
	tcase_add_test(enc, test_ecn_field_goes_into_the_ip_header);
	tcase_add_test(enc, test_ipv6_segment_without_options);
	tcase_add_test(enc, test_what_does_not_fit_is_refused);
	suite_add_tcase(s, enc);
	tcase_add_test(sim, test_sim_keeps_the_bytes_of_every_segment);
	suite_add_tcase(s, sim);
	tcase_add_test(file, test_lost_and_duplicated_segments_in_time_order);
	tcase_add_test(file, test_each_scene_starts_a_second_after_the_last_frame);
	tcase_add_test(file, test_errors_name_the_file);
	suite_add_tcase(s, file);
	return tt_check_run(s);
}

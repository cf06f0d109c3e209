/* tests/check_report.c: the batch table through report/report.h alone: a few
 * hand-made rows in TSV, JSON lines and text, with and without the --tcb
 * columns, written to a temporary FILE and compared byte for byte with the
 * columns doc/design.md gives.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt_check.h"
#include "base/base.h"
#include "report/report.h"

#define CLIENT "192.0.2.1:49152"
#define SERVER "198.51.100.2:80"
#define ISS 1000u

/* Three rows of a handshake and a first send: the SYN at 0, the SYN,ACK
 * 50 ms later, then 5 bytes at 1.5000006 s (rounded to the microsecond),
 * a retransmission seen as a duplicate too. */
static struct tt_row rows[3];
static struct tt_tcb_view client_tcb;

static void
setup(void)
{
	memset(rows, 0, sizeof rows);
	for (unsigned i = 0; i < 3; i++) {
		rows[i].frame = i + 1;
		rows[i].dir = i == 1;
		rows[i].src = i == 1 ? SERVER : CLIENT;
		rows[i].dst = i == 1 ? CLIENT : SERVER;
		rows[i].win = 65535;
		rows[i].notes = "";
	}
	rows[0].flags = TT_SYN;
	rows[0].cstate = TT_SYN_SENT;
	rows[0].sstate = TT_SYN_RECEIVED;
	rows[1].time_ns = 50000000;
	rows[1].flags = TT_SYN | TT_ACK;
	rows[1].ack = 1;
	rows[1].cstate = TT_ESTABLISHED;
	rows[1].sstate = TT_SYN_RECEIVED;
	rows[2].time_ns = 1500000600;
	rows[2].flags = TT_PSH | TT_ACK;
	rows[2].seq = 1;
	rows[2].ack = 1;
	rows[2].len = 5;
	rows[2].win = 502;
	rows[2].cstate = TT_ESTABLISHED;
	rows[2].sstate = TT_ESTABLISHED;
	rows[2].notes = "retransmission,dup-ack";

	/* the client after its send: 5 bytes in flight, a measured round trip */
	memset(&client_tcb, 0, sizeof client_tcb);
	client_tcb.state = TT_ESTABLISHED;
	client_tcb.iss = ISS;
	client_tcb.snd_una = ISS + 1;
	client_tcb.snd_nxt = ISS + 6;
	client_tcb.snd_wnd = 64240;
	client_tcb.cwnd = 2920;
	client_tcb.ssthresh = TT_SSTHRESH_INITIAL;      /* not set yet: "-" */
	client_tcb.rtt_valid = 1;
	client_tcb.srtt = 50000;
	client_tcb.rto = 1000000;
}

/* Writes the rows in fmt (with --tcb when tcb) and returns what was
 * written, to be freed. */
static char *
render(enum tt_format fmt, int tcb)
{
	FILE *f = tmpfile();
	struct tt_report *r;
	size_t len;
	char *s;

	ck_assert_ptr_nonnull(f);
	r = tt_report_new(f, fmt);
	ck_assert_ptr_nonnull(r);
	if (tcb)
		tt_report_tcb(r);
	tt_report_header(r);
	for (unsigned i = 0; i < 3; i++)
		tt_report_row(r, &rows[i]);
	tt_report_free(r);
	rewind(f);
	s = tt_read_stream(f, 1 << 20, &len);
	ck_assert_ptr_nonnull(s);
	fclose(f);
	return s;
}

#define TSV_HEAD "stream\tframe\ttime\tdir\tsrc\tdst\tflags\tseq\tack\tlen\twin\t" \
	"client_state\tserver_state\tnotes"

START_TEST(test_tsv_rows_have_the_fourteen_columns)
{
	char *s = render(TT_FMT_TSV, 0);

	ck_assert_str_eq(s,
		TSV_HEAD "\n"
		"0\t1\t0.000000\tC>S\t" CLIENT "\t" SERVER "\tSYN\t0\t-\t0\t65535\t"
		"SYN-SENT\tSYN-RECEIVED\t\n"
		"0\t2\t0.050000\tS>C\t" SERVER "\t" CLIENT "\tSYN,ACK\t0\t1\t0\t65535\t"
		"ESTABLISHED\tSYN-RECEIVED\t\n"
		"0\t3\t1.500001\tC>S\t" CLIENT "\t" SERVER "\tPSH,ACK\t1\t1\t5\t502\t"
		"ESTABLISHED\tESTABLISHED\tretransmission,dup-ack\n");
	free(s);
}
END_TEST

START_TEST(test_tsv_buffered_rows_are_the_same)
{
	FILE *f = tmpfile();
	struct tt_report *r = tt_report_new(f, TT_FMT_TSV);
	char *want = render(TT_FMT_TSV, 0), *got;
	size_t len;

	tt_report_buffer(r);
	tt_report_header(r);
	for (unsigned i = 0; i < 3; i++)
		tt_report_row(r, &rows[i]);
	tt_report_free(r);                      /* flushes */
	rewind(f);
	got = tt_read_stream(f, 1 << 20, &len);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	fclose(f);
}
END_TEST

START_TEST(test_tsv_tcb_columns_follow_the_notes)
{
	char *s;

	rows[2].tcb[0] = &client_tcb;
	rows[2].tcb_base[0] = ISS;              /* relative, as the row */
	s = render(TT_FMT_TSV, 1);
	ck_assert_str_eq(s,
		TSV_HEAD "\tc_snd_una\tc_snd_nxt\tc_snd_wnd\tc_cwnd\tc_ssthresh\tc_srtt\tc_rto"
		"\tc_in_flight\ts_snd_una\ts_snd_nxt\ts_snd_wnd\ts_cwnd\ts_ssthresh\ts_srtt"
		"\ts_rto\ts_in_flight\n"
		"0\t1\t0.000000\tC>S\t" CLIENT "\t" SERVER "\tSYN\t0\t-\t0\t65535\t"
		"SYN-SENT\tSYN-RECEIVED\t\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"
		"0\t2\t0.050000\tS>C\t" SERVER "\t" CLIENT "\tSYN,ACK\t0\t1\t0\t65535\t"
		"ESTABLISHED\tSYN-RECEIVED\t\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"
		"0\t3\t1.500001\tC>S\t" CLIENT "\t" SERVER "\tPSH,ACK\t1\t1\t5\t502\t"
		"ESTABLISHED\tESTABLISHED\tretransmission,dup-ack"
		"\t1\t6\t64240\t2920\t-\t0.050000\t1.000000\t5"
		"\t-\t-\t-\t-\t-\t-\t-\t-\n");
	free(s);
}
END_TEST

START_TEST(test_tsv_tcb_from_a_capture_shows_what_the_wire_shows)
{
	char *s, *last;

	rows[2].tcb[0] = &client_tcb;
	rows[2].tcb_nobase[0] = 1;              /* the ISS is not known: no numbers */
	rows[2].tcb_wire = 1;                   /* no cwnd, ssthresh, SRTT or RTO */
	rows[2].tcb_flight = 1448;              /* Wireshark's count, not SND.NXT - SND.UNA */
	s = render(TT_FMT_TSV, 1);
	last = strrchr(s, '\n');
	*last = '\0';
	last = strrchr(s, '\n') + 1;
	ck_assert_str_eq(last,
		"0\t3\t1.500001\tC>S\t" CLIENT "\t" SERVER "\tPSH,ACK\t1\t1\t5\t502\t"
		"ESTABLISHED\tESTABLISHED\tretransmission,dup-ack"
		"\t-\t-\t64240\t-\t-\t-\t-\t1448"
		"\t-\t-\t-\t-\t-\t-\t-\t-");
	free(s);
	rows[2].tcb_flight = -1;                /* none on this row: "-" */
	s = render(TT_FMT_TSV, 1);
	ck_assert_ptr_nonnull(strstr(s, "retransmission,dup-ack\t-\t-\t64240\t-\t-\t-\t-\t-\t"));
	free(s);
}
END_TEST

START_TEST(test_json_lines_one_object_a_row)
{
	char *s = render(TT_FMT_JSON, 0);

	ck_assert_str_eq(s,
		"{\"stream\":0,\"frame\":1,\"time\":0.000000,\"dir\":\"C>S\",\"src\":\"" CLIENT "\","
		"\"dst\":\"" SERVER "\",\"flags\":\"SYN\",\"seq\":0,\"ack\":null,\"len\":0,"
		"\"win\":65535,\"client_state\":\"SYN-SENT\",\"server_state\":\"SYN-RECEIVED\","
		"\"notes\":\"\"}\n"
		"{\"stream\":0,\"frame\":2,\"time\":0.050000,\"dir\":\"S>C\",\"src\":\"" SERVER "\","
		"\"dst\":\"" CLIENT "\",\"flags\":\"SYN,ACK\",\"seq\":0,\"ack\":1,\"len\":0,"
		"\"win\":65535,\"client_state\":\"ESTABLISHED\",\"server_state\":\"SYN-RECEIVED\","
		"\"notes\":\"\"}\n"
		"{\"stream\":0,\"frame\":3,\"time\":1.500001,\"dir\":\"C>S\",\"src\":\"" CLIENT "\","
		"\"dst\":\"" SERVER "\",\"flags\":\"PSH,ACK\",\"seq\":1,\"ack\":1,\"len\":5,"
		"\"win\":502,\"client_state\":\"ESTABLISHED\",\"server_state\":\"ESTABLISHED\","
		"\"notes\":\"retransmission,dup-ack\"}\n");
	free(s);
}
END_TEST

START_TEST(test_json_tcb_keys_are_null_where_not_known)
{
	char *s, *last;

	rows[2].tcb[0] = &client_tcb;
	rows[2].tcb_base[0] = ISS;
	s = render(TT_FMT_JSON, 1);
	last = strrchr(s, '\n');
	*last = '\0';
	last = strrchr(s, '\n') + 1;
	ck_assert_str_eq(last,
		"{\"stream\":0,\"frame\":3,\"time\":1.500001,\"dir\":\"C>S\",\"src\":\"" CLIENT "\","
		"\"dst\":\"" SERVER "\",\"flags\":\"PSH,ACK\",\"seq\":1,\"ack\":1,\"len\":5,"
		"\"win\":502,\"client_state\":\"ESTABLISHED\",\"server_state\":\"ESTABLISHED\","
		"\"notes\":\"retransmission,dup-ack\",\"c_snd_una\":1,\"c_snd_nxt\":6,"
		"\"c_snd_wnd\":64240,\"c_cwnd\":2920,\"c_ssthresh\":null,\"c_srtt\":0.050000,"
		"\"c_rto\":1.000000,\"c_in_flight\":5,\"s_snd_una\":null,\"s_snd_nxt\":null,"
		"\"s_snd_wnd\":null,\"s_cwnd\":null,\"s_ssthresh\":null,\"s_srtt\":null,"
		"\"s_rto\":null,\"s_in_flight\":null}");
	free(s);
}
END_TEST

START_TEST(test_json_strings_are_escaped)
{
	char *s;

	rows[0].notes = "a\"b\\c\n";
	s = render(TT_FMT_JSON, 0);
	ck_assert_ptr_nonnull(strstr(s, "\"notes\":\"a\\\"b\\\\c\\n\"}\n"));
	free(s);
}
END_TEST

/* a stream's first row is headed by its two ends; no trailing blanks */
START_TEST(test_text_rows_under_aligned_heads)
{
	char *s = render(TT_FMT_TEXT, 0);

	ck_assert_str_eq(s,
		" frame        time dir flags               seq        ack   len   win  "
		"client       server       notes\n"
		"-- stream 0: " CLIENT " <-> " SERVER "\n"
		"     1    0.000000 C>S SYN                   0          -     0 65535  "
		"SYN-SENT     SYN-RECEIVED\n"
		"     2    0.050000 S>C SYN,ACK               0          1     0 65535  "
		"ESTABLISHED  SYN-RECEIVED\n"
		"     3    1.500001 C>S PSH,ACK               1          1     5   502  "
		"ESTABLISHED  ESTABLISHED  retransmission,dup-ack\n");
	free(s);
}
END_TEST

START_TEST(test_text_tcb_is_a_line_per_host_under_the_row)
{
	char *s, *row3;

	rows[2].tcb[0] = &client_tcb;
	rows[2].tcb_base[0] = ISS;
	s = render(TT_FMT_TEXT, 1);
	row3 = strstr(s, "     3    1.500001");
	ck_assert_ptr_nonnull(row3);
	ck_assert_str_eq(row3,
		"     3    1.500001 C>S PSH,ACK               1          1     5   502  "
		"ESTABLISHED  ESTABLISHED  retransmission,dup-ack\n"
		"                   client snd_una=1 snd_nxt=6 snd_wnd=64240 cwnd=2920 "
		"ssthresh=- srtt=0.050000 rto=1.000000 in_flight=5\n"
		"                   server snd_una=- snd_nxt=- snd_wnd=- cwnd=- "
		"ssthresh=- srtt=- rto=- in_flight=-\n");
	free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report");
	TCase *tsv = tcase_create("tsv"), *json = tcase_create("json"),
	      *text = tcase_create("text");

	tcase_add_checked_fixture(tsv, setup, NULL);
	tcase_add_checked_fixture(json, setup, NULL);
	tcase_add_checked_fixture(text, setup, NULL);
	tcase_add_test(tsv, test_tsv_rows_have_the_fourteen_columns);
	tcase_add_test(tsv, test_tsv_buffered_rows_are_the_same);
	tcase_add_test(tsv, test_tsv_tcb_columns_follow_the_notes);
	tcase_add_test(tsv, test_tsv_tcb_from_a_capture_shows_what_the_wire_shows);
	tcase_add_test(json, test_json_lines_one_object_a_row);
	tcase_add_test(json, test_json_tcb_keys_are_null_where_not_known);
	tcase_add_test(json, test_json_strings_are_escaped);
	tcase_add_test(text, test_text_rows_under_aligned_heads);
	tcase_add_test(text, test_text_tcb_is_a_line_per_host_under_the_row);
	suite_add_tcase(s, tsv);
	suite_add_tcase(s, json);
	suite_add_tcase(s, text);
	return tt_check_run(s);
}

/* tests/check_stepview.c: the step view's model (ui/svmodel.c) and its key
 * table (ui/svkeys.c), without a terminal: a story of hand-made steps, a
 * clock the test moves, and keys or actions in; the cursor, the open
 * checkpoint, the panels, search and messages out. */
#include "config.h"

#include <string.h>

#include "tt_check.h"
#include "ui/svdraw.h"

/* ---- the fixture: a handshake, data, a close ------------------------------ */

enum { NSTEPS = 6 };

static struct tt_step steps[NSTEPS];
static struct ui_story story;
static struct ui_opts opts;
static struct sv v;
static long long clock_ms;
static const struct ui_checkpoint *ask_at[NSTEPS];
static int answered_right = -1;

static long long
fake_now(void)
{
	return clock_ms;
}

static const struct ui_checkpoint *
checkpoint_of(void *ctx, size_t i)
{
	(void)ctx;
	return i < NSTEPS ? ask_at[i] : NULL;
}

static void
answered(void *ctx, size_t i, int correct)
{
	(void)ctx;
	(void)i;
	answered_right = correct;
}

static void
segment(size_t i, int dir, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
        enum tt_state cst, enum tt_state sst)
{
	struct tt_step *s = &steps[i];

	memset(s, 0, sizeof *s);
	s->kind = TT_STEP_SEGMENT;
	s->frame = i + 1;
	s->time = (tt_time)i * 1000;
	s->arrival = s->time + 500;
	s->dir = dir;
	s->seg.flags = (uint16_t)flags;
	s->seg.seq = seq;
	s->seg.ack = ack;
	s->seg.len = len;
	s->seg.wnd = 65535;
	s->tcb[TT_CLIENT].state = cst;
	s->tcb[TT_CLIENT].iss = 1000;
	s->tcb[TT_SERVER].state = sst;
	s->tcb[TT_SERVER].iss = 5000;
}

static void
story_of_a_connection(void)
{
	segment(0, TT_CLIENT, TT_SYN, 1000, 0, 0, TT_SYN_SENT, TT_SYN_RECEIVED);
	segment(1, TT_SERVER, TT_SYN | TT_ACK, 5000, 1001, 0, TT_ESTABLISHED, TT_SYN_RECEIVED);
	segment(2, TT_CLIENT, TT_ACK, 1001, 5001, 0, TT_ESTABLISHED, TT_ESTABLISHED);
	segment(3, TT_CLIENT, TT_PSH | TT_ACK, 1001, 5001, 100, TT_ESTABLISHED, TT_ESTABLISHED);
	segment(4, TT_CLIENT, TT_FIN | TT_ACK, 1101, 5001, 0, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	/* an event at the server: no row in the table */
	memset(&steps[5], 0, sizeof steps[5]);
	steps[5].kind = TT_STEP_EVENT;
	steps[5].dir = TT_SERVER;
	steps[5].tcb[TT_CLIENT] = steps[4].tcb[TT_CLIENT];
	steps[5].tcb[TT_SERVER] = steps[4].tcb[TT_SERVER];
	memset(&story, 0, sizeof story);
	story.steps = steps;
	story.nsteps = NSTEPS;
	story.endpoint[0] = "10.0.0.1:40000";
	story.endpoint[1] = "10.0.0.2:80";
	memset(&opts, 0, sizeof opts);
	memset(ask_at, 0, sizeof ask_at);
	answered_right = -1;
	clock_ms = 0;
}

static void
view_opened(void)
{
	sv_init(&v, &story, &opts, NULL, fake_now);
	ck_assert_int_eq(sv_sync(&v), 0);
}

static void
setup(void)
{
	story_of_a_connection();
}

static void
teardown(void)
{
	sv_fini(&v);
}

/* A key as the screen hands it over: through the key table. */
static enum sv_result
press(int key)
{
	int arg;
	enum sv_action a = sv_key_action(key, &arg);

	return sv_key_do(&v, key, a, arg);
}

static void
room_of(struct sv_room *r, int cols, int lines)
{
	memset(r, 0, sizeof *r);
	r->cols = cols;
	r->lines = lines;
	r->bars = 1;
	r->expl_need = 3;
	r->states_w = 57;
	r->states_h = 12;
	r->tcb_rows = 12;
}

#define CURSOR_AT(i) ck_assert_uint_eq(v.cur, (i))
#define ASKING(i) ck_assert_int_eq(v.ask, (i))

/* ---- the key table ------------------------------------------------------------ */

START_TEST(test_keys_map_to_one_action_each)
{
	int arg;

	ck_assert_int_eq(sv_key_action('n', &arg), SV_A_NEXT);
	ck_assert_int_eq(sv_key_action(' ', &arg), SV_A_NEXT);
	ck_assert_int_eq(sv_key_action(UI_FN(KEY_RIGHT), &arg), SV_A_NEXT);
	ck_assert_int_eq(sv_key_action(UI_FN(KEY_BACKSPACE), &arg), SV_A_PREV);
	ck_assert_int_eq(sv_key_action(UI_FN(KEY_END), &arg), SV_A_LAST);
	ck_assert_int_eq(sv_key_action('=', &arg), SV_A_FASTER);
	ck_assert_int_eq(sv_key_action(27, &arg), SV_A_QUIT);
	ck_assert_int_eq(sv_key_action('3', &arg), SV_A_ANSWER);
	ck_assert_int_eq(arg, 2);
	ck_assert_int_eq(sv_key_action('Z', &arg), SV_A_NONE);
}
END_TEST

/* ---- moving ---------------------------------------------------------------- */

START_TEST(test_next_and_back_move_one_step)
{
	view_opened();
	CURSOR_AT(0);
	ck_assert_int_eq(press('n'), SV_REDRAW);
	ck_assert_int_eq(press(UI_FN(KEY_RIGHT)), SV_REDRAW);
	CURSOR_AT(2);
	ck_assert_uint_eq(sv_shown(&v), 3);
	press('p');
	CURSOR_AT(1);
	press(UI_FN(KEY_HOME));
	CURSOR_AT(0);
	press('p');
	CURSOR_AT(0);
}
END_TEST

START_TEST(test_past_the_last_step_shows_the_end_and_back_leaves_it)
{
	view_opened();
	press(UI_FN(KEY_END));
	CURSOR_AT(NSTEPS - 1);
	ck_assert_int_eq(v.at_end, 0);
	press('n');
	CURSOR_AT(NSTEPS - 1);
	ck_assert_int_eq(v.at_end, 1);
	press('p');                       /* off the summary, still the last step */
	ck_assert_int_eq(v.at_end, 0);
	CURSOR_AT(NSTEPS - 1);
	press('p');
	CURSOR_AT(NSTEPS - 2);
}
END_TEST

START_TEST(test_the_story_opens_at_its_start_step)
{
	story.start = 3;
	view_opened();
	CURSOR_AT(3);
	ck_assert_int_eq(sv_table_cur_row(&v), 3);
}
END_TEST

/* ---- checkpoints ------------------------------------------------------------------ */

static const char *const three[] = { "SYN", "SYN,ACK", "RST" };
static const struct ui_checkpoint cp_flags = {
	"What does the server send?", three, 3, "SYN,ACK", "It accepts the connection."
};
static const struct ui_checkpoint cp_typed = { "What is the ack?", NULL, 0, "1", NULL };

START_TEST(test_a_checkpoint_stops_next_until_answered)
{
	ask_at[1] = &cp_flags;
	story.checkpoint = checkpoint_of;
	story.answered = answered;
	view_opened();
	press('n');
	ASKING(1);
	CURSOR_AT(0);
	ck_assert_uint_eq(sv_shown(&v), 1);  /* the step asked about is not shown */
	ck_assert_int_eq(sv_paused(&v), 1);
	ck_assert_int_eq(press('n'), SV_STAY);
	ASKING(1);
	ck_assert_int_eq(press('4'), SV_STAY);   /* there is no fourth choice */
	ck_assert_int_eq(press('1'), SV_REDRAW);
	ck_assert_int_eq(v.ask_state, 2);        /* wrong */
	ck_assert_int_eq(answered_right, 0);
	press('n');
	ASKING(-1);
	CURSOR_AT(1);
	/* answered once: going back and on again does not ask it again */
	press('p');
	press('n');
	ASKING(-1);
	CURSOR_AT(1);
}
END_TEST

START_TEST(test_the_right_choice_and_reveal)
{
	ask_at[1] = &cp_flags;
	ask_at[3] = &cp_flags;
	story.checkpoint = checkpoint_of;
	story.answered = answered;
	view_opened();
	press('n');
	press('2');
	ck_assert_int_eq(v.ask_state, 1);
	ck_assert_int_eq(answered_right, 1);
	press('n');
	press('n');
	press('n');
	ASKING(3);
	press('r');
	ck_assert_int_eq(v.ask_state, 3);
	ck_assert_int_eq(sv_paused(&v), 0);
}
END_TEST

START_TEST(test_a_typed_answer_is_asked_for_by_the_screen)
{
	ask_at[1] = &cp_typed;
	story.checkpoint = checkpoint_of;
	story.answered = answered;
	view_opened();
	press('n');
	ck_assert_int_eq(press('\r'), SV_ASK_ANSWER);
	ck_assert_int_eq(sv_answer(&v, -1, "  1 "), SV_REDRAW);
	ck_assert_int_eq(answered_right, 1);
}
END_TEST

START_TEST(test_a_checkpoint_before_the_first_step_comes_first)
{
	ask_at[0] = &cp_flags;
	story.checkpoint = checkpoint_of;
	view_opened();
	ASKING(0);
	ck_assert_uint_eq(sv_shown(&v), 0);
	ck_assert_int_eq(press('p'), SV_STAY);
	ASKING(0);
}
END_TEST

START_TEST(test_end_stops_at_an_open_checkpoint)
{
	ask_at[4] = &cp_flags;
	story.checkpoint = checkpoint_of;
	view_opened();
	press(UI_FN(KEY_END));
	ASKING(4);
	CURSOR_AT(3);
}
END_TEST

/* ---- the layout ------------------------------------------------------------------ */

START_TEST(test_a_small_terminal_shows_table_middle_slot_and_explanation)
{
	struct sv_room room;

	view_opened();
	room_of(&room, 80, 24);
	ck_assert_int_eq(sv_layout(&v, &room), 0);
	ck_assert(v.r[SV_TABLE].on && v.r[SV_LADDER].on && v.r[SV_EXPL].on);
	ck_assert(!v.r[SV_STATES].on && !v.r[SV_TCB].on && !v.r[SV_GRAPH].on);
	/* the panels fill the rows between the title and the key bar */
	ck_assert_int_eq(v.r[SV_TABLE].y, 1);
	ck_assert_int_eq(v.r[SV_LADDER].y, v.r[SV_TABLE].y + v.r[SV_TABLE].h);
	ck_assert_int_eq(v.r[SV_EXPL].y + v.r[SV_EXPL].h, 24 - 1);
	/* v: ladder, states, TCBs, ladder */
	press('v');
	ck_assert_int_eq(sv_layout(&v, &room), 0);
	ck_assert(v.r[SV_STATES].on && !v.r[SV_LADDER].on);
	ck_assert_int_eq(v.focus, SV_STATES);
	press('v');
	sv_layout(&v, &room);
	ck_assert(v.r[SV_TCB].on);
	press('v');
	sv_layout(&v, &room);
	ck_assert(v.r[SV_LADDER].on);
	/* b and m put the windows and the charts in the ladder's place */
	press('b');
	sv_layout(&v, &room);
	ck_assert_int_eq(v.graph, SV_G_WINDOWS);
	ck_assert(v.r[SV_GRAPH].on && !v.r[SV_LADDER].on);
	press('m');
	ck_assert_int_eq(v.graph, SV_G_CWND);
	press('m');
	ck_assert_int_eq(v.graph, SV_G_TSEQ);
	press('m');
	ck_assert_int_eq(v.graph, SV_G_NONE);
}
END_TEST

START_TEST(test_a_big_terminal_shows_every_panel_and_tab_visits_them)
{
	struct sv_room room;
	int seen = 0;

	view_opened();
	room_of(&room, 160, 48);
	ck_assert_int_eq(sv_layout(&v, &room), 0);
	for (int p = SV_TABLE; p <= SV_EXPL; p++)
		ck_assert_msg(v.r[p].on, "panel %d is off", p);
	/* a simulation's TCBs get a row per variable */
	ck_assert_int_ge(v.r[SV_TCB].h - 1, room.tcb_rows);
	for (int k = 0; k < 5; k++) {
		press('\t');
		seen |= 1 << v.focus;
	}
	ck_assert_int_eq(seen, 1 << SV_TABLE | 1 << SV_LADDER | 1 << SV_STATES | 1 << SV_TCB |
	                 1 << SV_EXPL);
}
END_TEST

START_TEST(test_a_terminal_too_small_has_no_layout)
{
	struct sv_room room;

	view_opened();
	room_of(&room, SV_MIN_W - 1, 24);
	ck_assert_int_eq(sv_layout(&v, &room), -1);
	room_of(&room, 80, SV_MIN_H - 1);
	ck_assert_int_eq(sv_layout(&v, &room), -1);
}
END_TEST

START_TEST(test_the_table_scrolls_to_the_current_row)
{
	struct sv_room room;

	view_opened();
	room_of(&room, 80, 24);
	press(UI_FN(KEY_END));
	ck_assert_int_eq(sv_layout(&v, &room), 0);
	v.r[SV_TABLE].h = 5;              /* heading, header, 2 rows, detail line */
	sv_fit_table(&v);
	ck_assert_int_eq(sv_table_nrows(&v), 5);
	ck_assert_int_eq(sv_table_cur_row(&v), 4);
	ck_assert_int_eq(v.table_top, 3);
	press(UI_FN(KEY_UP));
	press(UI_FN(KEY_UP));
	press(UI_FN(KEY_UP));
	CURSOR_AT(2);
	sv_fit_table(&v);
	/* rows still to come are not listed: the last two rows shown are 1, 2 */
	ck_assert_uint_eq(sv_table_nrows(&v), 3);
	ck_assert_int_eq(v.table_top, 1);
	press(UI_FN(KEY_HOME));
	sv_fit_table(&v);
	ck_assert_int_eq(v.table_top, 0);
}
END_TEST

/* ---- numbers, search, go to ------------------------------------------------------- */

START_TEST(test_the_table_counts_from_each_sides_initial_number)
{
	char buf[32];

	view_opened();
	sv_cell(&v, &steps[3], SV_C_SEQ, buf, sizeof buf);
	ck_assert_str_eq(buf, "1");
	sv_cell(&v, &steps[3], SV_C_ACK, buf, sizeof buf);
	ck_assert_str_eq(buf, "1");
	sv_cell(&v, &steps[0], SV_C_ACK, buf, sizeof buf);
	ck_assert_str_eq(buf, "-");
	sv_fini(&v);
	opts.absolute = 1;
	view_opened();
	sv_cell(&v, &steps[3], SV_C_SEQ, buf, sizeof buf);
	ck_assert_str_eq(buf, "1001");
}
END_TEST

START_TEST(test_search_finds_the_next_match_and_says_when_none)
{
	view_opened();
	ck_assert_int_eq(press('/'), SV_ASK_SEARCH);
	ck_assert_int_eq(sv_search(&v, "fin"), SV_REDRAW);
	CURSOR_AT(4);
	ck_assert_str_eq(v.msg, "");
	ck_assert_str_eq(v.search, "fin");
	sv_search(&v, "URG");
	CURSOR_AT(4);
	ck_assert_str_eq(v.msg, "No segment matches 'URG'.");
	/* from the last match on, round to the first */
	sv_search(&v, "SYN");
	CURSOR_AT(0);
}
END_TEST

START_TEST(test_search_does_not_skip_a_checkpoint)
{
	ask_at[2] = &cp_flags;
	story.checkpoint = checkpoint_of;
	view_opened();
	sv_search(&v, "FIN");
	ASKING(2);
	CURSOR_AT(1);
}
END_TEST

START_TEST(test_go_to_a_frame_or_a_step)
{
	view_opened();
	ck_assert_int_eq(press('g'), SV_ASK_GOTO);
	sv_goto(&v, "4");
	CURSOR_AT(3);
	sv_goto(&v, "6");                /* no frame 6: step 6, the event */
	CURSOR_AT(5);
	sv_goto(&v, "x1");
	ck_assert_str_eq(v.msg, "'x1' is not a number.");
	sv_goto(&v, "99");
	ck_assert_str_eq(v.msg, "There is no frame or step 99.");
	CURSOR_AT(5);
	/* the next key clears the message, g and / keep it for their dialog */
	press('a');
	ck_assert_str_eq(v.msg, "");
}
END_TEST

START_TEST(test_detail_is_the_segment_at_or_before_the_cursor)
{
	view_opened();
	press(UI_FN(KEY_END));
	ck_assert_int_eq(press('\r'), SV_SHOW_DETAIL);
	ck_assert_int_eq(sv_detail_step(&v), 4);
	ck_assert_int_eq(press('?'), SV_SHOW_HELP);
	ck_assert_int_eq(press('q'), SV_BACK);
}
END_TEST

/* ---- the focused panel ------------------------------------------------------------ */

START_TEST(test_up_and_down_in_the_table_move_by_segment)
{
	view_opened();
	press(UI_FN(KEY_END));
	CURSOR_AT(5);
	ck_assert_int_eq(v.focus, SV_TABLE);
	press(UI_FN(KEY_UP));              /* the event has no row: to its segment */
	CURSOR_AT(4);
	press(UI_FN(KEY_UP));
	CURSOR_AT(3);
	press(UI_FN(KEY_DOWN));
	CURSOR_AT(4);
}
END_TEST

START_TEST(test_the_explanation_scrolls_within_its_lines)
{
	view_opened();
	v.focus = SV_EXPL;
	v.expl_h = 4;
	v.expl_lines = 6;
	press(UI_FN(KEY_DOWN));
	press(UI_FN(KEY_DOWN));
	press(UI_FN(KEY_DOWN));
	ck_assert_int_eq(v.expl_skip, 2);
	press(UI_FN(KEY_PPAGE));
	ck_assert_int_eq(v.expl_skip, 0);
	press(UI_FN(KEY_NPAGE));
	ck_assert_int_eq(v.expl_skip, 3);
	press('n');                        /* a new step starts at the top */
	ck_assert_int_eq(v.expl_skip, 0);
}
END_TEST

/* ---- auto-play ---------------------------------------------------------------------- */

START_TEST(test_auto_play_steps_when_due_and_waits_at_a_checkpoint)
{
	ask_at[2] = &cp_flags;
	story.checkpoint = checkpoint_of;
	view_opened();
	ck_assert_int_eq(sv_timer(&v), -1);
	press('a');
	ck_assert_int_eq(sv_timer(&v), 1500);
	ck_assert_int_eq(sv_tick(&v), SV_STAY);
	clock_ms += 1500;
	ck_assert_int_eq(sv_timer(&v), 0);
	ck_assert_int_eq(sv_tick(&v), SV_REDRAW);
	CURSOR_AT(1);
	clock_ms += 1500;
	sv_tick(&v);
	ASKING(2);
	clock_ms += 100000;
	ck_assert_int_eq(sv_timer(&v), -1);
	ck_assert_int_eq(sv_tick(&v), SV_STAY);
	ASKING(2);
	press('-');
	ck_assert_int_eq(v.interval, 3000);
	ck_assert_str_eq(v.msg, "Auto-play: one step every 3.00 s.");
}
END_TEST

/* ---- an extension ------------------------------------------------------------------- */

static int ext_keys;

static int
ext_key(void *ctx, int key, size_t *cur)
{
	(void)ctx;
	ext_keys++;
	if (key != 'x')
		return -1;
	*cur = 2;
	return SV_REDRAW;
}

static int grew;

static int
ext_poll(void *ctx)
{
	(void)ctx;
	if (!grew)
		return 0;
	grew = 0;
	story.nsteps++;
	return 1;
}

START_TEST(test_the_extension_gets_the_keys_the_view_lets_through)
{
	struct sv_ext ext;

	memset(&ext, 0, sizeof ext);
	ext.key = ext_key;
	ext_keys = 0;
	sv_init(&v, &story, &opts, &ext, fake_now);
	ck_assert_int_eq(press('x'), SV_REDRAW);
	CURSOR_AT(2);
	ck_assert_int_eq(press('n'), SV_REDRAW);   /* not the extension's: the view's */
	CURSOR_AT(3);
	ck_assert_int_eq(ext_keys, 2);
}
END_TEST

START_TEST(test_live_follows_the_newest_step_until_stepped_back)
{
	struct sv_ext ext;

	memset(&ext, 0, sizeof ext);
	ext.poll = ext_poll;
	ext.poll_ms = 100;
	story.nsteps = 3;
	sv_init(&v, &story, &opts, &ext, fake_now);
	ck_assert_int_eq(v.follow, 1);
	grew = 1;
	ck_assert_int_eq(sv_tick(&v), SV_REDRAW);
	CURSOR_AT(3);
	ck_assert_uint_eq(v.grown, 1);
	press('p');
	ck_assert_int_eq(v.follow, 0);
	clock_ms += 100;
	grew = 1;
	sv_tick(&v);
	CURSOR_AT(2);
	press(UI_FN(KEY_END));
	ck_assert_int_eq(v.follow, 1);
	CURSOR_AT(4);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("stepview");
	TCase *tc = tcase_create("model");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_keys_map_to_one_action_each);
	tcase_add_test(tc, test_next_and_back_move_one_step);
	tcase_add_test(tc, test_past_the_last_step_shows_the_end_and_back_leaves_it);
	tcase_add_test(tc, test_the_story_opens_at_its_start_step);
	tcase_add_test(tc, test_a_checkpoint_stops_next_until_answered);
	tcase_add_test(tc, test_the_right_choice_and_reveal);
	tcase_add_test(tc, test_a_typed_answer_is_asked_for_by_the_screen);
	tcase_add_test(tc, test_a_checkpoint_before_the_first_step_comes_first);
	tcase_add_test(tc, test_end_stops_at_an_open_checkpoint);
	tcase_add_test(tc, test_a_small_terminal_shows_table_middle_slot_and_explanation);
	tcase_add_test(tc, test_a_big_terminal_shows_every_panel_and_tab_visits_them);
	tcase_add_test(tc, test_a_terminal_too_small_has_no_layout);
	tcase_add_test(tc, test_the_table_scrolls_to_the_current_row);
	tcase_add_test(tc, test_the_table_counts_from_each_sides_initial_number);
	tcase_add_test(tc, test_search_finds_the_next_match_and_says_when_none);
	tcase_add_test(tc, test_search_does_not_skip_a_checkpoint);
	tcase_add_test(tc, test_go_to_a_frame_or_a_step);
	tcase_add_test(tc, test_detail_is_the_segment_at_or_before_the_cursor);
	tcase_add_test(tc, test_up_and_down_in_the_table_move_by_segment);
	tcase_add_test(tc, test_the_explanation_scrolls_within_its_lines);
	tcase_add_test(tc, test_auto_play_steps_when_due_and_waits_at_a_checkpoint);
	tcase_add_test(tc, test_the_extension_gets_the_keys_the_view_lets_through);
	tcase_add_test(tc, test_live_follows_the_newest_step_until_stepped_back);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}

/* trace/trace.c: the step types' helpers (trace/trace.h). */
#include "config.h"

#include "trace/trace.h"

static const char *const note_names[] = {
#define TT_NOTE_NAME(id, name) name,
	TT_NOTES(TT_NOTE_NAME)
#undef TT_NOTE_NAME
};

char *
tt_notes_format(unsigned notes, char *buf, size_t len)
{
	tt_bits_format(notes, note_names, TT_NNOTES, buf, len);
	return buf;
}

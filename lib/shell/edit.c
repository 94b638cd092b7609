/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The line editor: one byte at a time, as a terminal sends them. Keys:
 * printable ASCII inserts at the cursor; Backspace (DEL or Ctrl-H);
 * Delete and Ctrl-D delete under the cursor; Left/Right, Home/End (and
 * Ctrl-B/F/A/E); Up/Down (Ctrl-P/N) browse the history; Tab completes
 * command names and paths; Ctrl-C drops the line; Ctrl-U and Ctrl-K cut
 * before and after the cursor, Ctrl-W the word before it; Ctrl-L
 * redraws; Enter (CR, LF or CR LF) ends the line. Escape sequences (CSI
 * `ESC [ params final` and SS3 `ESC O final`) are parsed whole and the
 * unknown ones dropped; any other control byte and every byte above 0x7e
 * is ignored. Whatever arrives, the line stays within its buffer.
 *
 * Drawing: a byte typed at the end of the line is echoed; every other
 * change redraws the line, which any VT100-like terminal understands:
 * cursor up to the prompt's row, CR, prompt, text, erase to the end of
 * the screen, cursor back. Prompt and text wrap at sh->cols (the
 * shell.columns parameter, 80 by default), so the editor keeps the row
 * the cursor is on: without it a redraw would start on the last row of
 * a wrapped line and leave the rows above on the screen. A terminal
 * that has just written its last column waits before wrapping (VT100's
 * pending wrap); the editor then moves to the next row itself (CR LF) so
 * that the cursor is always where the arithmetic says.
 *
 * A line is at most SHELL_LINE_MAX bytes: bytes past it ring the bell
 * and are dropped, and Enter then refuses the line (SHELL_EDIT_TOO_LONG)
 * rather than run what is left of it.
 */
#include <stdio.h>
#include <string.h>
#include "shell_priv.h"

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

static void out(struct cn_shell *sh, const char *s, size_t n)
{
	cn_shell_console_write(sh, s, n);
}

static void put_seq(struct cn_shell *sh, size_t n, char final)
{
	char seq[24];

	snprintf(seq, sizeof(seq), "\x1b[%zu%c", n, final);
	cn_shell_console_puts(sh, seq);
}

/*
 * After writing up to offset n (prompt included): no pending wrap left,
 * sh->row the cursor's row.
 */
static void settle(struct cn_shell *sh, size_t n)
{
	if (n && n % sh->cols == 0)
		cn_shell_console_puts(sh, "\r\n");
	sh->row = n / sh->cols;
}

static void refresh(struct cn_shell *sh)
{
	size_t end = sh->plen + sh->len, at = sh->plen + sh->pos;

	if (sh->row)
		put_seq(sh, sh->row, 'A');
	cn_shell_console_puts(sh, "\r");
	cn_shell_console_puts(sh, sh->prompt);
	out(sh, sh->line, sh->len);
	settle(sh, end);
	cn_shell_console_puts(sh, "\x1b[J");	/* rows a longer line used */
	if (at == end)
		return;
	if (end / sh->cols == at / sh->cols) {
		put_seq(sh, end - at, 'D');
	} else {
		put_seq(sh, end / sh->cols - at / sh->cols, 'A');
		cn_shell_console_puts(sh, "\r");
		if (at % sh->cols)
			put_seq(sh, at % sh->cols, 'C');
	}
	sh->row = at / sh->cols;
}

/* Moves the cursor down to the last row of the line (Enter, listings). */
static void to_last_row(struct cn_shell *sh)
{
	size_t last = (sh->plen + sh->len) / sh->cols;

	if (last > sh->row)
		put_seq(sh, last - sh->row, 'B');
	sh->row = last;
}

void cn_shell_edit_start(struct cn_shell *sh)
{
	sh->len = sh->pos = 0;
	sh->line[0] = '\0';
	sh->esc = ESC_NONE;
	sh->browse = 0;
	sh->overflow = 0;
	sh->plen = strlen(sh->prompt);
	cn_shell_console_puts(sh, sh->prompt);
	settle(sh, sh->plen);
}

static void set_line(struct cn_shell *sh, const char *s)
{
	size_t n = strlen(s);

	if (n > SHELL_LINE_MAX)
		n = SHELL_LINE_MAX;
	memcpy(sh->line, s, n);
	sh->line[n] = '\0';
	sh->len = sh->pos = n;
	sh->overflow = 0;	/* another line: nothing of it was lost */
	refresh(sh);
}

static void insert(struct cn_shell *sh, const char *s, size_t n)
{
	if (n > SHELL_LINE_MAX - sh->len) {
		n = SHELL_LINE_MAX - sh->len;
		cn_shell_console_puts(sh, "\a");	/* the line is full */
		sh->overflow = 1;
	}
	if (!n)
		return;
	memmove(sh->line + sh->pos + n, sh->line + sh->pos,
		sh->len - sh->pos + 1);
	memcpy(sh->line + sh->pos, s, n);
	sh->len += n;
	sh->pos += n;
	if (sh->pos == sh->len) {
		out(sh, s, n);
		settle(sh, sh->plen + sh->pos);
	} else {
		refresh(sh);
	}
}

/* Removes n bytes at from (from + n <= len). */
static void cut(struct cn_shell *sh, size_t from, size_t n)
{
	if (!n)
		return;
	memmove(sh->line + from, sh->line + from + n, sh->len - from - n + 1);
	sh->len -= n;
	sh->pos = from;
	if (!sh->len)
		sh->overflow = 0;	/* emptied: a fresh start */
	refresh(sh);
}

static void move_to(struct cn_shell *sh, size_t pos)
{
	if (pos == sh->pos)
		return;
	if (pos == sh->pos - 1 && (sh->plen + sh->pos) % sh->cols) {
		cn_shell_console_puts(sh, "\b");	/* not across a row */
		sh->pos = pos;
	} else if (pos == sh->pos + 1) {
		out(sh, sh->line + sh->pos, 1);
		sh->pos = pos;
		settle(sh, sh->plen + pos);
	} else {
		sh->pos = pos;
		refresh(sh);
	}
}

/* ---- history ---------------------------------------------------------- */

const char *cn_shell_history_get(struct cn_shell *sh, unsigned int k)
{
	if (k == 0 || k > sh->hist_n)
		return NULL;
	return sh->hist[(sh->hist_head + SHELL_HISTORY - k) % SHELL_HISTORY];
}

void cn_shell_history_add(struct cn_shell *sh, const char *line)
{
	const char *last = cn_shell_history_get(sh, 1);
	size_t n = strlen(line);

	if (!line[strspn(line, " \t")] || (last && strcmp(last, line) == 0))
		return;
	if (n > SHELL_LINE_MAX)
		n = SHELL_LINE_MAX;
	memcpy(sh->hist[sh->hist_head], line, n);
	sh->hist[sh->hist_head][n] = '\0';
	sh->hist_head = (sh->hist_head + 1) % SHELL_HISTORY;
	if (sh->hist_n < SHELL_HISTORY)
		sh->hist_n++;
}

static void browse(struct cn_shell *sh, int older)
{
	unsigned int k = sh->browse + (older ? 1 : -1);

	if (older && k > sh->hist_n)
		return;
	if (!older && sh->browse == 0)
		return;
	if (sh->browse == 0)		/* leaving the new line: keep it */
		memcpy(sh->saved, sh->line, sh->len + 1);
	sh->browse = k;
	set_line(sh, k ? cn_shell_history_get(sh, k) : sh->saved);
}

/* ---- completion ------------------------------------------------------- */

void cn_shell_comp_add(struct shell_comp *c, const char *name, int is_dir)
{
	size_t i, n = strlen(name);

	if (strncmp(name, c->base, c->base_len) != 0)
		return;
	if (c->n++ == 0) {
		if (n > SHELL_LINE_MAX)
			n = SHELL_LINE_MAX;
		memcpy(c->common, name, n);
		c->common[n] = '\0';
		c->single_dir = is_dir;
	} else {
		for (i = 0; c->common[i] && c->common[i] == name[i]; i++)
			;
		c->common[i] = '\0';
		c->single_dir = 0;
	}
	if (c->list_len + n + 4 < sizeof(c->list)) {
		c->list_len += snprintf(c->list + c->list_len,
					sizeof(c->list) - c->list_len,
					"%s%s%s", c->list_len ? "  " : "",
					name, is_dir ? "/" : "");
	} else if (c->list_len + 5 < sizeof(c->list)) {
		memcpy(c->list + c->list_len, "  ...", 6);
		c->list_len = sizeof(c->list);	/* full: no more */
	}
}

static void add_command(const struct cn_shell_cmd *cmd, void *arg)
{
	cn_shell_comp_add(arg, cmd->name, 0);
}

static void complete(struct cn_shell *sh)
{
	struct shell_comp c;
	char word[SHELL_LINE_MAX + 1];
	size_t start = sh->pos, i;
	int first = 1;

	while (start > 0 && sh->line[start - 1] != ' ')
		start--;
	for (i = 0; i < start; i++)
		if (sh->line[i] != ' ')
			first = 0;
	memcpy(word, sh->line + start, sh->pos - start);
	word[sh->pos - start] = '\0';
	memset(&c, 0, sizeof(c));
	if (first) {
		c.base = word;
		c.base_len = strlen(word);
		cn_shell_foreach_cmd(add_command, &c);
	} else {
		cn_shell_complete_path(sh, word, &c);
	}
	if (c.n == 0) {
		cn_shell_console_puts(sh, "\a");
		return;
	}
	if (strlen(c.common) > c.base_len) {
		insert(sh, c.common + c.base_len,
		       strlen(c.common) - c.base_len);
	} else if (c.n > 1) {
		to_last_row(sh);
		cn_shell_console_puts(sh, "\n");
		out(sh, c.list, strnlen(c.list, sizeof(c.list)));
		cn_shell_console_puts(sh, "\n");
		sh->row = 0;		/* the line again, under the list */
		refresh(sh);
		return;
	}
	if (c.n == 1)
		insert(sh, c.single_dir ? "/" : " ", 1);
}

/* ---- keys ------------------------------------------------------------- */

static int control(struct cn_shell *sh, int c)
{
	size_t i;

	switch (c) {
	case '\r':
	case '\n':
		to_last_row(sh);
		/* A line ending at the last column is on the next row. */
		if ((sh->plen + sh->len) % sh->cols)
			cn_shell_console_puts(sh, "\n");
		return sh->overflow ? SHELL_EDIT_TOO_LONG : SHELL_EDIT_LINE;
	case 3:				/* Ctrl-C */
		to_last_row(sh);
		cn_shell_console_puts(sh, "^C\n");
		sh->overflow = 0;
		sh->len = sh->pos = 0;
		sh->line[0] = '\0';
		return SHELL_EDIT_CANCEL;
	case 1:				/* Ctrl-A */
		move_to(sh, 0);
		break;
	case 5:				/* Ctrl-E */
		move_to(sh, sh->len);
		break;
	case 2:				/* Ctrl-B */
		if (sh->pos > 0)
			move_to(sh, sh->pos - 1);
		break;
	case 6:				/* Ctrl-F */
		if (sh->pos < sh->len)
			move_to(sh, sh->pos + 1);
		break;
	case 8:				/* Ctrl-H */
	case 0x7f:			/* Backspace */
		if (sh->pos > 0)
			cut(sh, sh->pos - 1, 1);
		break;
	case 4:				/* Ctrl-D */
		if (sh->pos < sh->len)
			cut(sh, sh->pos, 1);
		break;
	case 9:				/* Tab */
		complete(sh);
		break;
	case 11:			/* Ctrl-K */
		cut(sh, sh->pos, sh->len - sh->pos);
		break;
	case 21:			/* Ctrl-U */
		i = sh->pos;
		memmove(sh->line, sh->line + i, sh->len - i + 1);
		sh->len -= i;
		sh->pos = 0;
		if (!sh->len)
			sh->overflow = 0;
		refresh(sh);
		break;
	case 23:			/* Ctrl-W */
		i = sh->pos;
		while (i > 0 && sh->line[i - 1] == ' ')
			i--;
		while (i > 0 && sh->line[i - 1] != ' ')
			i--;
		cut(sh, i, sh->pos - i);
		break;
	case 12:			/* Ctrl-L */
		cn_shell_console_puts(sh, "\x1b[H\x1b[2J");
		sh->row = 0;
		refresh(sh);
		break;
	case 16:			/* Ctrl-P */
		browse(sh, 1);
		break;
	case 14:			/* Ctrl-N */
		browse(sh, 0);
		break;
	default:
		break;			/* other control bytes: ignored */
	}
	return SHELL_EDIT_MORE;
}

/* The final byte of an escape sequence, with its first numeric argument. */
static void escape(struct cn_shell *sh, int final, int arg)
{
	switch (final) {
	case 'A':
		browse(sh, 1);
		break;
	case 'B':
		browse(sh, 0);
		break;
	case 'C':
		if (sh->pos < sh->len)
			move_to(sh, sh->pos + 1);
		break;
	case 'D':
		if (sh->pos > 0)
			move_to(sh, sh->pos - 1);
		break;
	case 'H':
		move_to(sh, 0);
		break;
	case 'F':
		move_to(sh, sh->len);
		break;
	case '~':
		if (arg == 1 || arg == 7)
			move_to(sh, 0);
		else if (arg == 4 || arg == 8)
			move_to(sh, sh->len);
		else if (arg == 3 && sh->pos < sh->len)
			cut(sh, sh->pos, 1);
		break;
	default:
		break;
	}
}

/* Returns 1 when c belonged to an escape sequence. */
static int escape_byte(struct cn_shell *sh, int c)
{
	switch (sh->esc) {
	case ESC_START:
		sh->esc_len = 0;
		sh->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		return 1;		/* ESC x (Alt-x) is dropped whole */
	case ESC_SS3:
		sh->esc = ESC_NONE;
		if (c >= 0x40 && c <= 0x7e) {
			escape(sh, c, 0);
			return 1;
		}
		return 0;
	case ESC_CSI:
		if (c >= 0x20 && c <= 0x3f) {	/* parameters */
			if (sh->esc_len < sizeof(sh->esc_arg) - 1)
				sh->esc_arg[sh->esc_len++] = (char)c;
			return 1;
		}
		sh->esc = ESC_NONE;
		if (c >= 0x40 && c <= 0x7e) {
			int arg = 0;
			size_t i;

			for (i = 0; i < sh->esc_len && sh->esc_arg[i] >= '0' &&
				    sh->esc_arg[i] <= '9' && arg < 1000; i++)
				arg = arg * 10 + sh->esc_arg[i] - '0';
			escape(sh, c, arg);
			return 1;
		}
		return 0;	/* a broken sequence: c counts on its own */
	default:
		return 0;
	}
}

int cn_shell_edit_key(struct cn_shell *sh, int c)
{
	int prev = sh->prev;
	char ch;

	sh->prev = c;
	if (sh->esc != ESC_NONE && escape_byte(sh, c))
		return SHELL_EDIT_MORE;
	if (c == 0x1b) {
		sh->esc = ESC_START;
		return SHELL_EDIT_MORE;
	}
	if (c == '\n' && prev == '\r')
		return SHELL_EDIT_MORE;	/* CR LF is one Enter */
	if (c < 0x20 || c == 0x7f)
		return control(sh, c);
	if (c > 0x7e)
		return SHELL_EDIT_MORE;	/* not ASCII: ignored */
	if (sh->browse)		/* an edited history line is a new one */
		sh->browse = 0;
	ch = (char)c;
	insert(sh, &ch, 1);
	return SHELL_EDIT_MORE;
}

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""term_screen.py < BYTES: prints what a person would read on a terminal
after BYTES were written to it: the final screen, one line per row,
trailing blanks dropped. A small model of a UTF-8 terminal, enough to show
how a file can hide text from someone reviewing it with cat:

  CR, BS, TAB, LF (as the tty's onlcr makes it: CR LF) move the cursor;
  ESC and 8-bit CSI/OSC sequences are consumed (erase line/screen, cursor
  moves and SGR conceal act); other C0/C1 controls and DEL show nothing;
  NEL is a new line; format characters (zero-width, bidi marks and
  isolates, BOM, tags), line/paragraph separators and variation selectors
  take no cell; text after U+202E RLO (until PDF or the end of the line)
  shows reversed, as a bidi-aware terminal or editor renders it.
Bytes that are not UTF-8 show as U+FFFD."""
import sys
import unicodedata


class Screen:
    def __init__(self):
        self.rows = {}
        self.row = self.col = 0
        self.conceal = False
        self.rlo = None  # characters held back while an RLO override is open

    def put(self, ch):
        if self.rlo is not None:
            self.rlo.append(ch)
            return
        self._place(ch)

    def _place(self, ch):
        line = self.rows.setdefault(self.row, [])
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        while len(line) < self.col + (2 if wide else 1):
            line.append(" ")
        line[self.col] = " " if self.conceal else ch
        if wide:
            line[self.col + 1] = ""
        self.col += 2 if wide else 1

    def flush_rlo(self):
        held, self.rlo = self.rlo, None
        for ch in reversed(held or []):
            self._place(ch)

    def newline(self):
        self.flush_rlo()
        self.row += 1
        self.col = 0

    def csi(self, params, final):
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        n = nums[0] if nums else 0
        line = self.rows.setdefault(self.row, [])
        if final == "K":
            if n == 0:
                del line[self.col:]
            elif n == 1:
                for i in range(min(self.col + 1, len(line))):
                    line[i] = " "
            else:
                line.clear()
        elif final == "J":
            if n == 2:
                self.rows.clear()
            else:
                del line[self.col:]
                for r in [r for r in self.rows if r > self.row]:
                    del self.rows[r]
        elif final == "A":
            self.row = max(0, self.row - max(n, 1))
        elif final == "B":
            self.row += max(n, 1)
        elif final == "C":
            self.col += max(n, 1)
        elif final == "D":
            self.col = max(0, self.col - max(n, 1))
        elif final == "G":
            self.col = max(n, 1) - 1
        elif final in "Hf":
            self.row = (nums[0] if nums and nums[0] else 1) - 1
            self.col = (nums[1] if len(nums) > 1 and nums[1] else 1) - 1
        elif final == "m":
            for p in nums or [0]:
                if p == 8:
                    self.conceal = True
                elif p in (0, 28):
                    self.conceal = False


def zero_width(ch):
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Zl", "Zp") or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def render(text):
    s = Screen()
    i = 0
    while i < len(text):
        ch = text[i]
        o = ord(ch)
        i += 1
        if ch in "\x1b\x9b\x9d":
            if ch == "\x1b" and i < len(text) and text[i] in "[]":
                ch = "\x9b" if text[i] == "[" else "\x9d"
                i += 1
            elif ch == "\x1b":
                i += 1  # a two-character escape: consumed
                continue
            if ch == "\x9b":
                j = i
                while j < len(text) and not 0x40 <= ord(text[j]) <= 0x7E:
                    j += 1
                if j < len(text):
                    s.flush_rlo()
                    s.csi(text[i:j], text[j])
                i = j + 1
            else:  # OSC: up to BEL or ESC \
                while i < len(text) and text[i] not in "\x07\x1b":
                    i += 1
                i += 2 if i < len(text) and text[i] == "\x1b" else 1
        elif ch in "\n\x85":
            s.newline()
        elif ch == "\r":
            s.flush_rlo()
            s.col = 0
        elif ch == "\b":
            s.flush_rlo()
            s.col = max(0, s.col - 1)
        elif ch == "\t":
            s.flush_rlo()
            s.col = (s.col // 8 + 1) * 8
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            continue
        elif ch == "\u202e":
            s.flush_rlo()
            s.rlo = []
        elif ch == "\u202c":
            s.flush_rlo()
        elif zero_width(ch):
            continue
        else:
            s.put(ch)
    s.flush_rlo()
    last = max(s.rows) if s.rows else -1
    return ["".join(s.rows.get(r, [])).rstrip() for r in range(last + 1)]


if __name__ == "__main__":
    data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    sys.stdout.write("".join(line + "\n" for line in render(data)))

"""Render a terminal capture (`tmux capture-pane -e -p`) to a PNG, with a window frame.

    python ansi2png.py capture.ans out.png [--title TEXT] [--font PATH] [--size 15]

Needs Pillow (`pip install pillow`) and a monospace TrueType font (Debian: fonts-dejavu-core).
Understands the SGR sequences tmux emits: 16/256/24-bit colours, bold, italic, underline,
undercurl-as-underline, reverse.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEFAULT_FG = (0xD4, 0xD4, 0xD4)
DEFAULT_BG = (0x14, 0x16, 0x1B)
PALETTE16 = [
    (0x1E, 0x1E, 0x1E), (0xE0, 0x6C, 0x75), (0x98, 0xC3, 0x79), (0xE5, 0xC0, 0x7B),
    (0x61, 0xAF, 0xEF), (0xC6, 0x78, 0xDD), (0x56, 0xB6, 0xC2), (0xDC, 0xDF, 0xE4),
    (0x5C, 0x63, 0x70), (0xF0, 0x8C, 0x95), (0xB8, 0xE3, 0x99), (0xF5, 0xD0, 0x9B),
    (0x81, 0xCF, 0xFF), (0xE6, 0x98, 0xFD), (0x76, 0xD6, 0xE2), (0xFF, 0xFF, 0xFF),
]


def xterm256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return PALETTE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


@dataclass(frozen=True)
class Style:
    fg: tuple[int, int, int] | None = None
    bg: tuple[int, int, int] | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False


SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][A-Za-z0-9])")


def apply_sgr(style: Style, params: str) -> Style:
    codes = [p for p in re.split(r"[;]", params)] if params else ["0"]
    i = 0
    while i < len(codes):
        raw = codes[i]
        sub = raw.split(":")
        code = int(sub[0] or 0)
        if code == 0:
            style = Style()
        elif code == 1:
            style = replace(style, bold=True)
        elif code == 3:
            style = replace(style, italic=True)
        elif code == 4:
            style = replace(style, underline=not (len(sub) > 1 and sub[1] == "0"))
        elif code == 7:
            style = replace(style, reverse=True)
        elif code == 22:
            style = replace(style, bold=False)
        elif code == 23:
            style = replace(style, italic=False)
        elif code == 24:
            style = replace(style, underline=False)
        elif code == 27:
            style = replace(style, reverse=False)
        elif 30 <= code <= 37:
            style = replace(style, fg=PALETTE16[code - 30])
        elif 90 <= code <= 97:
            style = replace(style, fg=PALETTE16[code - 90 + 8])
        elif 40 <= code <= 47:
            style = replace(style, bg=PALETTE16[code - 40])
        elif 100 <= code <= 107:
            style = replace(style, bg=PALETTE16[code - 100 + 8])
        elif code == 39:
            style = replace(style, fg=None)
        elif code == 49:
            style = replace(style, bg=None)
        elif code in (38, 48, 58):
            mode = int(codes[i + 1]) if i + 1 < len(codes) else 0
            if mode == 5:
                color = xterm256(int(codes[i + 2]))
                i += 2
            elif mode == 2:
                color = (int(codes[i + 2]), int(codes[i + 3]), int(codes[i + 4]))
                i += 4
            else:
                color = None
                i += 1
            if code == 38:
                style = replace(style, fg=color)
            elif code == 48:
                style = replace(style, bg=color)
        i += 1
    return style


def parse(text: str) -> list[list[tuple[str, Style]]]:
    """Lines of (character, style) cells."""
    rows: list[list[tuple[str, Style]]] = []
    style = Style()
    for line in text.split("\n"):
        cells: list[tuple[str, Style]] = []
        pos = 0
        while pos < len(line):
            match = SGR.match(line, pos)
            if match:
                style = apply_sgr(style, match.group(1))
                pos = match.end()
                continue
            other = OTHER_ESCAPE.match(line, pos)
            if other:
                pos = other.end()
                continue
            cells.append((line[pos], style))
            pos += 1
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


# Box-drawing characters are drawn as lines so borders join across cells: (up, down, left, right).
BOX = {
    "│": (1, 1, 0, 0), "─": (0, 0, 1, 1), "╭": (0, 1, 0, 1), "┌": (0, 1, 0, 1), "╮": (0, 1, 1, 0),
    "┐": (0, 1, 1, 0), "╰": (1, 0, 0, 1), "└": (1, 0, 0, 1), "╯": (1, 0, 1, 0), "┘": (1, 0, 1, 0),
    "├": (1, 1, 0, 1), "┤": (1, 1, 1, 0), "┬": (0, 1, 1, 1), "┴": (1, 0, 1, 1), "┼": (1, 1, 1, 1),
}


def draw_box(draw: ImageDraw.ImageDraw, char: str, left: int, top: int, w: int, h: int, color: tuple[int, int, int]) -> None:
    up, down, leftward, rightward = BOX[char]
    cx, cy = left + w // 2, top + h // 2
    if up:
        draw.line([cx, top, cx, cy], fill=color, width=1)
    if down:
        draw.line([cx, cy, cx, top + h], fill=color, width=1)
    if leftward:
        draw.line([left, cy, cx, cy], fill=color, width=1)
    if rightward:
        draw.line([cx, cy, left + w, cy], fill=color, width=1)


def render(rows: list[list[tuple[str, Style]]], out: Path, title: str, font_path: str, size: int) -> None:
    fonts = {
        (False, False): ImageFont.truetype(font_path, size),
        (True, False): ImageFont.truetype(font_path.replace(".ttf", "-Bold.ttf"), size),
        (False, True): ImageFont.truetype(font_path.replace(".ttf", "-Oblique.ttf"), size),
        (True, True): ImageFont.truetype(font_path.replace(".ttf", "-BoldOblique.ttf"), size),
    }
    regular = fonts[(False, False)]
    cell_w = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    cell_h = ascent + descent + 2
    cols = max((len(r) for r in rows), default=80)
    pad, bar = 18, 34
    width = cols * cell_w + 2 * pad
    height = len(rows) * cell_h + 2 * pad + bar
    image = Image.new("RGB", (width, height), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    # window bar
    draw.rectangle([0, 0, width, bar], fill=(0x2A, 0x2D, 0x35))
    for k, color in enumerate([(0xFF, 0x5F, 0x57), (0xFE, 0xBC, 0x2E), (0x28, 0xC8, 0x40)]):
        cx = 18 + k * 22
        draw.ellipse([cx - 6, bar // 2 - 6, cx + 6, bar // 2 + 6], fill=color)
    title_font = ImageFont.truetype(font_path.replace("SansMono", "Sans"), 14)
    tw = draw.textlength(title, font=title_font)
    draw.text(((width - tw) / 2, bar / 2), title, font=title_font, fill=(0xC8, 0xCC, 0xD4), anchor="lm")
    for y, row in enumerate(rows):
        top = bar + pad + y * cell_h
        for x, (char, style) in enumerate(row):
            left = pad + x * cell_w
            fg = style.fg or DEFAULT_FG
            bg = style.bg
            if style.reverse:
                fg, bg = (bg or DEFAULT_BG), fg
            if bg is not None:
                draw.rectangle([left, top, left + cell_w - 1, top + cell_h - 1], fill=bg)
            if char in BOX:
                draw_box(draw, char, left, top, cell_w, cell_h, fg)
            elif char != " ":
                draw.text((left, top + 1), char, font=fonts[(style.bold, style.italic)], fill=fg)
            if style.underline:
                draw.line([left, top + cell_h - 2, left + cell_w - 1, top + cell_h - 2], fill=fg, width=1)
    image.save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--title", default="")
    parser.add_argument("--font", default="/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    parser.add_argument("--size", type=int, default=15)
    args = parser.parse_args()
    rows = parse(args.capture.read_text(encoding="utf-8"))
    render(rows, args.out, args.title, args.font, args.size)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Make the CJK font the app bundles: a subset of Noto Sans CJK SC (SIL OFL 1.1).

Flet's web build ships only Roboto, and with no CDN (``no_cdn=True``, as offline tablets and
the tests need) Flutter cannot fetch a fallback font, so every hanzi would render as a box.
The app therefore registers its own font (``field_app/app/theme.py``). The whole Noto Sans CJK
SC is 16 MB; this keeps what the app needs:

* GB2312 level-1 hanzi (the 3,755 common characters) and, with ``--level 2``, level 2 too
  (+3,008 characters, +1.5 MB);
* GB2312's non-hanzi rows (CJK punctuation, full-width forms, ① … ⑩, arrows, ...);
* ASCII, Latin-1, general punctuation, CJK symbols and punctuation, half/full-width forms;
* every CJK character written anywhere in the product's own sources — the message catalogue,
  code lists, forms, the demo county's name pools — so no label of ours is ever a box. Run
  this script again after adding texts with characters outside level 1.

Source: Debian's ``fonts-noto-cjk`` package (``apt-get install fonts-noto-cjk``); the license
text is taken from that package's copyright file. Needs ``fonttools`` (``pip install fonttools``).

    python scripts/subset_font.py            # writes assets/fonts/NotoSansSC-Subset.otf + OFL.txt
    python scripts/subset_font.py --level 2  # the whole of GB2312
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "assets" / "fonts"
OUTPUT_NAME = "NotoSansSC-Subset.otf"

# Where Debian's fonts-noto-cjk puts the collection, and which font of it is Simplified Chinese.
DEBIAN_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SC_FONT_NAME = "Noto Sans CJK SC"

# Copyright line of the upstream LICENSE (github.com/notofonts/noto-cjk, Sans/LICENSE).
COPYRIGHT = (
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
    "Noto is a trademark of Google Inc.\n\n"
    f"{OUTPUT_NAME} is a subset (a Modified Version under the license below) of Noto Sans CJK SC\n"
    "Regular, made by scripts/subset_font.py: GB2312 level-1 hanzi, the product's own texts,\n"
    "ASCII and CJK punctuation. It keeps the original's name table.\n"
)

UNICODE_RANGES = ",".join(
    [
        "U+0020-007E",  # ASCII
        "U+00A0-00FF",  # Latin-1 (×, ·, °, ...)
        "U+2000-206F",  # general punctuation (“ ” — …)
        "U+2190-21FF",  # arrows
        "U+2460-24FF",  # ① ...
        "U+3000-303F",  # CJK symbols and punctuation (、。《》【】)
        "U+FF00-FFEF",  # half- and full-width forms (，：；（）)
    ]
)
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SOURCE_GLOBS = ("field_app/**/*.py", "sync_server/**/*.py", "forms/**/*.yaml", "forms/**/*.yml")


def gb2312_rows(first: int, last: int) -> set[str]:
    """Characters of GB2312 rows ``first``..``last`` (EUC-CN lead bytes 0xA0 + row)."""
    found: set[str] = set()
    for row in range(first, last + 1):
        for cell in range(1, 95):
            try:
                found.add(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def product_characters(root: Path) -> set[str]:
    found: set[str] = set()
    for pattern in SOURCE_GLOBS:
        for path in root.glob(pattern):
            found |= set(_CJK.findall(path.read_text(encoding="utf-8")))
    return found


def wanted_characters(level: int, root: Path) -> str:
    characters = gb2312_rows(1, 9)  # symbols, punctuation, full-width forms, kana, ...
    characters |= gb2312_rows(16, 55)  # level 1 hanzi
    if level >= 2:
        characters |= gb2312_rows(56, 87)
    characters |= product_characters(root)
    return "".join(sorted(characters))


def font_number(collection: Path, name: str) -> int:
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(str(collection)).fonts):
        if font["name"].getDebugName(1) == name:
            return index
    raise SystemExit(f"{collection} has no font called {name!r}")


def license_text(copyright_file: Path) -> str:
    """The SIL OFL 1.1 text as Debian's machine-readable copyright file carries it, unfolded."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    # The stand-alone license paragraph (not the one-line "License:" field of a Files stanza).
    start = next(
        i + 1
        for i, line in enumerate(lines[:-1])
        if line == "License: SIL-1.1" and lines[i + 1].startswith(" ")
    )
    body: list[str] = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    return "\n".join(body).strip() + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEBIAN_COLLECTION, help="Noto Sans CJK .ttc or .otf")
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="Debian copyright file")
    parser.add_argument("--level", type=int, choices=(1, 2), default=1, help="GB2312 hanzi levels")
    parser.add_argument("--out", type=Path, default=FONTS)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} not found: apt-get install fonts-noto-cjk, or pass --source", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    output = args.out / OUTPUT_NAME
    characters = wanted_characters(args.level, ROOT)
    command = [sys.executable, "-m", "fontTools.subset", str(args.source)]
    if args.source.suffix.lower() in (".ttc", ".otc"):
        command.append(f"--font-number={font_number(args.source, SC_FONT_NAME)}")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as text:
        text.write(characters)
    try:
        command += [
            f"--text-file={text.name}",
            f"--unicodes={UNICODE_RANGES}",
            "--layout-features=*",  # vertical forms, locl, ... are small; keep the font's behaviour
            "--name-IDs=*",  # keep copyright, trademark and license entries
            "--name-languages=*",
            f"--output-file={output}",
        ]
        subprocess.run(command, check=True)
    finally:
        Path(text.name).unlink()
    (args.out / "OFL.txt").write_text(COPYRIGHT + "\n" + license_text(args.copyright), encoding="utf-8")
    print(f"{output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}: "
          f"{len(characters)} characters requested, {output.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

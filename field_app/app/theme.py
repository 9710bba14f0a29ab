"""Look and lettering. The CJK font is bundled (``assets/fonts``, made by
``scripts/subset_font.py``): Flet's web build ships only Roboto and, served with no CDN, cannot
fetch a fallback, so without it every hanzi would be an empty box."""

from __future__ import annotations

import flet as ft

FONT_FAMILY = "NotoSansSC"
FONT_ASSET = "fonts/NotoSansSC-Subset.otf"  # relative to the assets folder
SEED_COLOR = ft.Colors.RED_900


def apply_theme(page: ft.Page) -> None:
    page.fonts = {FONT_FAMILY: FONT_ASSET}
    page.theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=SEED_COLOR)
    page.dark_theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=SEED_COLOR)
    page.theme_mode = ft.ThemeMode.LIGHT


__all__ = ["FONT_ASSET", "FONT_FAMILY", "apply_theme"]

"""The stylesheet's colour pairings pass WCAG AA (4.5:1 for text, 3:1 for focus outlines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "web" / "static" / "app.css").read_text()
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", CSS))

# Every pairing the stylesheet puts text on: background → the foregrounds on it.
TEXT_ON = {
    "paper": ["ink", "muted", "brand", "bad-ink", "ok-ink"],
    "soft": ["muted", "ink", "brand"],
    "brand": ["brand-ink"],
    "warn-bg": ["warn-ink"],
    "bad-bg": ["bad-ink"],
}
# (foreground, background, minimum): text needs 4.5, the focus outline on paper 3.
PAIRS = [(fg, bg, 4.5) for bg, fgs in TEXT_ON.items() for fg in fgs] + [("focus", "paper", 3.0)]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_each_pairing_passes_aa(foreground: str, background: str, minimum: float) -> None:
    assert contrast(COLOURS[foreground], COLOURS[background]) >= minimum

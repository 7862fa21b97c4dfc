"""The stylesheet's colour pairings pass WCAG AA (4.5:1 for text, 3:1 for focus outlines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "web" / "static" / "app.css").read_text()
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", CSS))

# (foreground, background, minimum): every pairing the stylesheet puts text on
PAIRS = [
    ("ink", "paper", 4.5),
    ("muted", "paper", 4.5),
    ("muted", "soft", 4.5),
    ("ink", "soft", 4.5),
    ("brand", "paper", 4.5),
    ("brand", "soft", 4.5),
    ("brand-ink", "brand", 4.5),
    ("warn-ink", "warn-bg", 4.5),
    ("bad-ink", "bad-bg", 4.5),
    ("bad-ink", "paper", 4.5),
    ("ok-ink", "paper", 4.5),
    ("focus", "paper", 3.0),
]


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

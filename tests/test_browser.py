"""What a person sees: the report and the timeline rendered in headless Chromium (#15).

Each test renders a page, takes a screenshot and reads its pixels. Skipped, with the reason,
where no Chromium is installed (`.ci/run` installs Debian's `chromium`).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import picture
from cnpolicy.profile import Profile

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")


def screenshot(page: Path, width: int, height: int) -> tuple[int, int, list[bytes]]:
    """Render ``page`` in headless Chromium; the screenshot's width, height and RGB rows."""
    shot = page.with_suffix(".png")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return decode_png(shot.read_bytes())


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB bytes of an 8-bit RGB or RGBA PNG (enough for screenshots)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], b""
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8, depth
    assert colour in (2, 6), colour
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), left), (abs(guess - up), up), (abs(guess - corner), corner), key=lambda p: p[0])
                line[i] = (line[i] + near[1]) & 255
        previous = line
        rows.append(bytes(b for i, b in enumerate(line) if i % step < 3))
    return width, height, rows


def has_colour(row: bytes, hex_colour: str, start: int = 0, end: int | None = None, slack: int = 24) -> bool:
    want = bytes.fromhex(hex_colour.lstrip("#"))
    pixels = range(start, (len(row) // 3) if end is None else end)
    return any(all(abs(row[3 * x + c] - want[c]) <= slack for c in range(3)) for x in pixels)


def ink(rows: list[bytes]) -> float:
    """The share of pixels that are not (near) white."""
    dark = sum(1 for row in rows for x in range(0, len(row), 3) if min(row[x], row[x + 1], row[x + 2]) < 235)
    return dark / (len(rows) * len(rows[0]) / 3)


def test_the_timeline_draws_one_lane_per_country_with_marks(tmp_path: Path, bundled: cnpolicy.Dataset) -> None:
    entries = bundled.timeline("2013", "2016")
    lanes = list(dict.fromkeys(e.country for e in sorted(entries, key=lambda e: e.date)))
    assert {"CN", "US"} <= set(lanes)
    svg = picture.timeline_svg(entries, lanes="country", title="2013-2016", width=1200)
    page = tmp_path / "timeline.svg"
    page.write_text(svg, encoding="utf-8")
    height = int(svg.split('height="', 1)[1].split('"', 1)[0])
    width, shot_height, rows = screenshot(page, 1200, height)
    assert (width, shot_height) == (1200, height)
    assert ink(rows) > 0.01, "the picture is blank"
    colours = [colour for colour, _, _ in picture.KIND_COLOURS]
    for index, lane in enumerate(lanes):
        top = picture._TOP + picture._LANE * index
        band = rows[top + 4 : top + picture._LANE - 4]
        assert any(has_colour(row, colour, picture._LEFT, width) for row in band for colour in colours), (
            f"lane {lane} has no marks"
        )
    below = rows[picture._TOP + picture._LANE * len(lanes) + 4 : picture._TOP + picture._LANE * len(lanes) + 14]
    assert not any(has_colour(row, colour, picture._LEFT + 40, width - 40, slack=8) for row in below for colour in colours[:3])


def test_the_timeline_page_renders_and_says_how_to_read_it(tmp_path: Path, bundled: cnpolicy.Dataset) -> None:
    page = tmp_path / "timeline.html"
    page.write_text(picture.timeline_html(bundled.timeline("2021", "2023"), lanes="agency", title="2021-2023"), encoding="utf-8")
    _, _, rows = screenshot(page, 1250, 900)
    assert ink(rows) > 0.01
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'data-lane="cac"' in dom
    assert "Point at a mark" in dom


def test_the_report_page_is_readable(tmp_path: Path, bundled: cnpolicy.Dataset) -> None:
    profile = Profile.example("platform-operator", bundled.facts)
    page = tmp_path / "report.html"
    page.write_text(bundled.report(profile, "2022-03-01", title="Platform operator").to_html(), encoding="utf-8")
    _width, _, rows = screenshot(page, 1200, 1400)
    assert ink(rows) > 0.02, "the report is blank"
    assert any(has_colour(row, "#b3261e") for row in rows[:500]), "no 'apply' badge in the summary"
    assert any(has_colour(row, "#9a6700") for row in rows[:500]), "no 'may apply' badge in the summary"
    margin = [row[: 3 * 60] for row in rows]
    assert ink(margin) < 0.001, "text runs into the left margin"

"""Rebuild docs/label-editor.png: the post explorer's label editor on the bundled corpus's report.

Scans corpora/seed_dump.txt with a report, opens it in headless Chromium, walks the review
queue with the keyboard as a person would (accept two posts; the third shows its toggles)
and shoots the queue's card, the label bar and the posts down to the one being edited.

.venv/bin/python docs/make_label_editor_screenshot.py
"""

from __future__ import annotations

from make_screenshot import ROOT, seed_report_page

OUT = ROOT / "docs" / "label-editor.png"


def main() -> None:
    with seed_report_page(1100) as page:
        for key in ("r", "a", "a"):  # the review queue; accept its first two posts
            page.keyboard.press(key)
        # the queue's card at the top of the window, the post being edited below it
        page.evaluate(
            "window.scrollTo(0, document.querySelector('#explorer .review-card')"
            ".getBoundingClientRect().top + window.scrollY - 56)"
        )
        page.mouse.move(0, 0)
        card = page.locator("#explorer .review-card").bounding_box()
        row = page.locator("#explorer tbody tr.current").bounding_box()
        top = card["y"] - 12
        page.screenshot(
            path=str(OUT),
            clip={"x": 0, "y": top, "width": 1280, "height": row["y"] + row["height"] + 12 - top},
        )
    print(OUT)


if __name__ == "__main__":
    main()

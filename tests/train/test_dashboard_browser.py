"""The gate dashboards render in a real headless Chromium (Debian's), driven by Playwright."""

import os
import shutil

import pytest

from train import tags

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Debian's chromium (.ci/run) and sets this, so there the test cannot be skipped.
REQUIRED = os.environ.get("GATEZOO_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED, reason="Debian's chromium is not installed"
)


def test_the_images_dashboard_shows_gate_heatmaps_in_chromium(tensorboard_url, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "GATEZOO_REQUIRE_BROWSER=1 but no chromium on PATH"
    screenshot = tmp_path / "gates.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{tensorboard_url}/?runFilter=gates#images", wait_until="networkidle")
            page.get_by_text(tags.heatmap("rnn_0", "update")).first.wait_for(timeout=60_000)
            page.locator("img").first.wait_for(timeout=60_000)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

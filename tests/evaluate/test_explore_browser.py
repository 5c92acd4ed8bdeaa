"""The gate explorer works in a real headless Chromium (Debian's), driven by Playwright: a typed
sentence shows P(plural) of a verb at each word, the top number unit is picked from its list,
the heatmap's Γu values on hover are `zoo.trace`'s, two runs are read side by side, clamping
the top number units to their singular means flips P(plural), the view downloads as PNG and
CSV, and the address keeps the state."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

import zoo
from evaluate import explore
from evaluate.reading import Clamp

# Where the test also saves its screenshot of the page, if set (the README's image).
SCREENSHOT_DIR = os.environ.get("GATEZOO_SCREENSHOT_DIR")

SENTENCE = "The athletes near the senator, who plays with Paula, are"
# The small english run (conftest, seed 2) reads "are" here as plural with P above 0.9
# (0.998 on grammar 2.38.0; not every seed does: on 2.38.0 seeds 0 and 1 read 0.486 and
# 0.480); clamping its top number units to their singular means from "athletes" on turns
# it singular, after a number of units that differs from run to run (6 for seed 2 on
# 2.38.0, 4 for seed 0 on 2.37.0, 3 on 2.36.0, 3 for seed 1 on 2.30.0;
# docs/results/english-every-verb.md).


def ready(page, run: str):
    panel = page.locator(f'.panel[data-run="{run}"]')
    page.wait_for_selector(f'.panel[data-run="{run}"][data-state="ready"]', timeout=60_000)
    return panel


def shown_p_plural(page, run: str) -> float:
    return float(ready(page, run).locator(".p-last").get_attribute("data-value"))


def hovered_value(page, run: str, quantity: str, unit: int, t: int) -> float:
    """Hovers the heatmap's cell and reads the value its tooltip shows."""
    point = page.evaluate(
        "([run, quantity, unit, t]) => explorer.cellCenter(run, quantity, unit, t)",
        [run, quantity, unit, t],
    )
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert f"⟨{t}⟩ of unit {unit}" in tooltip.text_content()
    return float(tooltip.get_attribute("data-value"))


def test_the_explorer_reads_a_sentence_in_chromium(chromium, english_small_run, tiny_run, tmp_path):
    _, english_dir, _ = english_small_run
    _, tiny_dir, _ = tiny_run
    english, tiny = explore.open_runs([english_dir, tiny_dir])
    top = int(english.unit_ranking().order[0])
    words = english.words(SENTENCE)
    traced = zoo.trace(english.model, english.vocab.encode_batch([words]))["rnn_0"]["update"][0]
    with explore.start([english, tiny]) as running:
        page = chromium.new_page(viewport={"width": 1900, "height": 1200}, accept_downloads=True)
        # The sentence typed while the page still asks for its runs is kept, and Read waits
        # for them: on a busy machine a user (or this test) can be that quick.
        held = []
        page.route(lambda url: urlparse(url).path == "/api/runs", lambda route: held.append(route))
        page.goto(running.url)
        page.fill("#sentence", SENTENCE)
        for _ in range(600):  # Playwright hands the held request over while it waits
            if held:
                break
            page.wait_for_timeout(100)
        assert len(held) == 1 and page.is_disabled("#read")
        held[0].continue_()
        page.click("#read")
        page.wait_for_function(
            "(n) => (explorer.readings.en || {words: []}).words.length === n && "
            "document.querySelector('.panel[data-run=\"en\"]').dataset.state === 'ready' || "
            "document.querySelector('.panel[data-run=\"en\"]').dataset.state === 'error'",
            arg=len(words),
            timeout=60_000,  # the first reading, as `ready` allows: slower beside a busy worker
        )
        assert page.input_value("#sentence") == SENTENCE, page.text_content("#message")
        assert page.get_attribute('.panel[data-run="en"]', "data-state") == "ready", (
            page.text_content("#message")
        )
        p_long = shown_p_plural(page, "en")
        expected = english.predict_plural(SENTENCE.removesuffix(" are"))
        assert p_long == pytest.approx(expected, abs=1e-5)
        print(f"\nP(plural) at 'are' in {SENTENCE!r}, small english run: {p_long:.3f}")
        # Plural, so that the clamps below have a number to flip. How sure a 100 s run is
        # differs by grammar and seed (0.857 to 1.000 on grammars 2.15-2.18 for seed 0, 0.075
        # on 2.19.0, 0.994 on 2.20.0; docs/evaluating.md).
        assert p_long > 0.5

        # The top number unit, picked from the list, and its Γu under the mouse.
        ready(page, "en").locator(".number-units tbody tr").first.click()
        page.wait_for_selector(f'.panel[data-run="en"] tr.chosen[data-unit="{top}"]')
        for t in range(len(words)):
            assert hovered_value(page, "en", "update", top, t) == pytest.approx(
                traced[t, top], abs=1e-5
            )

        # The top number units clamped to their singular means from "athletes" on, one
        # after another, together, until "are" is read as singular: P(plural) is what
        # read() says at each. (One unit is not enough: this run, like every run gatezoo
        # trains, spreads the number over several units; docs/evaluating.md.)
        ranking = english.unit_ranking()
        shown = []
        for rank in range(len(ranking.order)):
            panel = ready(page, "en")
            panel.locator(".number-units tbody tr").nth(rank).click()
            unit = int(ranking.order[rank])
            page.wait_for_selector(f'.panel[data-run="en"] tr.chosen[data-unit="{unit}"]')
            panel = ready(page, "en")
            panel.locator('button[data-kind="mean_singular"]').click()
            panel.locator("select.clamp-start").select_option("1")
            panel.locator('button[data-kind="clamp"]').click()
            page.wait_for_function(
                "(k) => document.querySelector('.panel[data-run=\"en\"]').dataset.state === "
                "'ready' && (explorer.readings.en.clamp || {units: []}).units.length === k",
                arg=rank + 1,
            )
            units = [int(u) for u in ranking.order[: rank + 1]]
            values = [round(float(ranking.mean_singular[u]), 4) for u in units]
            clamped = english.read(SENTENCE, clamp=Clamp(units, values, start=1))
            shown.append(shown_p_plural(page, "en"))
            assert shown[-1] == pytest.approx(clamped.p_plural[-2], abs=1e-5)
            if shown[-1] < 0.5:
                break
        print(
            f"P(plural) at 'are' with the top 1-{len(shown)} number units clamped: {[round(p, 3) for p in shown]}"
        )
        assert shown[-1] < 0.5

        # A second run beside the first: the same sentence through each.
        page.locator('#runs input[value="tiny"]').check()
        assert shown_p_plural(page, "tiny") == pytest.approx(
            tiny.predict_plural(SENTENCE.removesuffix(" are")), abs=1e-5
        )
        assert page.locator(".panel").count() == 2
        screenshot = tmp_path / "explorer.png"
        page.screenshot(path=str(screenshot), full_page=True)

        # Downloads of a view: the canvas as PNG, the numbers as CSV.
        with page.expect_download() as png:
            panel.locator('button[data-kind="png"]').click()
        assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with page.expect_download() as csv:
            panel.locator('button[data-kind="csv"]').click()
        lines = Path(csv.value.path()).read_text().splitlines()
        assert lines[0].startswith("t,word,unit,update,reset,candidate,state,p_plural_at")
        shown_units = page.evaluate("explorer.readings.en.units.length")  # clamped ones too
        assert shown_units >= len(shown)
        assert len(lines) == 1 + len(words) * shown_units

        # The address holds the state: opened again, it shows the same view.
        again = chromium.new_page(viewport={"width": 1900, "height": 1200})
        again.goto(page.url)
        assert shown_p_plural(again, "en") == pytest.approx(clamped.p_plural[-2], abs=1e-5)
        assert again.locator(f'.panel[data-run="en"] tr.chosen[data-unit="{unit}"]').count()
        assert again.locator(".panel").count() == 2

        # A bad sentence is a message on the page, never a traceback.
        for text, message in [("😀 🎉", "no words left"), ("x" * 10_000, "too long")]:
            page.fill("#sentence", text)
            page.click("#read")
            page.wait_for_selector('.panel[data-run="en"][data-state="error"]')
            assert message in page.locator("#message").text_content()
            assert "Traceback" not in page.content()
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if SCREENSHOT_DIR:
        shutil.copy(screenshot, Path(SCREENSHOT_DIR) / "explorer.png")

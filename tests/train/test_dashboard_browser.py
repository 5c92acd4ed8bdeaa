"""The gate dashboards render in a real headless Chromium (Debian's), driven by Playwright."""

import time

from train import tags

QUANTITIES = ("update", "reset", "state")


def heatmap_sizes(log_dir) -> set[tuple[int, int]]:
    """(width, height) of the heatmap PNGs the run logged: an image summary's tensor starts
    with its width and height as strings."""
    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"tensors": 0})
    accumulator.Reload()
    sizes = set()
    for quantity in QUANTITIES:
        for event in accumulator.Tensors(tags.heatmap("rnn_0", quantity)):
            width, height = tf.make_ndarray(event.tensor_proto)[:2]
            sizes.add((int(width), int(height)))
    return sizes


def loaded_image_sizes(page) -> list[tuple[int, int]]:
    """(naturalWidth, naturalHeight) of every image the page has finished loading (Playwright's
    locators reach into TensorBoard's shadow DOM, document.querySelectorAll would not)."""
    sizes = page.locator("img").evaluate_all(
        "images => images.filter(i => i.complete && i.naturalWidth > 0)"
        ".map(i => [i.naturalWidth, i.naturalHeight])"
    )
    return [tuple(size) for size in sizes]


def test_the_images_dashboard_shows_gate_heatmaps_in_chromium(
    chromium, tensorboard_url, tiny_run, tmp_path
):
    _, run_dir, _ = tiny_run
    expected_sizes = heatmap_sizes(run_dir / "logs" / tags.GATES_LOG_DIR)
    assert expected_sizes
    screenshot = tmp_path / "gates.png"
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{tensorboard_url}/?runFilter=gates#images", wait_until="networkidle")
    # Every named heatmap tag is on the page...
    for quantity in QUANTITIES:
        page.get_by_text(tags.heatmap("rnn_0", quantity)).first.wait_for(timeout=60_000)
    # ...with at least one image per tag that loaded and has the logged PNG's size
    # (TensorBoard's own icons are other sizes).
    deadline = time.monotonic() + 60
    while True:
        for quantity in QUANTITIES:  # in case images load only once in view
            page.get_by_text(tags.heatmap("rnn_0", quantity)).first.scroll_into_view_if_needed()
        heatmaps = [s for s in loaded_image_sizes(page) if s in expected_sizes]
        if len(heatmaps) >= len(QUANTITIES) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    page.screenshot(path=str(screenshot), full_page=True)
    assert len(heatmaps) >= len(QUANTITIES), (heatmaps, expected_sizes)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

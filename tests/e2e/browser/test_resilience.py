"""The widget survives what browsers do: reloads, a second tab, a dropped network."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper


def assert_once_in_order(shopper: Shopper, texts: list[str]) -> None:
    shown = shopper.message_texts()
    counts = Counter(shown)
    for text in texts:
        assert counts[text] == 1, f"{text!r} shown {counts[text]} times in {shown}"
    positions = [shown.index(t) for t in texts]
    assert positions == sorted(positions), f"out of order: {shown}"
    seqs = shopper.seqs()
    assert seqs == sorted(set(seqs)), f"seqs repeated or out of order: {seqs}"


def drop_connection(page: Page) -> None:
    """Cut the widget's transport the way a dropped network does; it must reconnect itself."""
    page.evaluate("() => window.__carelineWidget.socket.io.engine.close()")


def test_reload_second_tab_and_offline_lose_and_repeat_nothing(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    shopper = Shopper(context, demo_server.url)
    alex = Csr(browser, demo_server.url, "alex")
    try:
        alex.sign_in()
        shopper.visit("/shop")
        shopper.start_chat("First question", name="Robin Reload", email="robin@example.com")
        alex.accept("Robin Reload")
        expect(shopper.widget.locator(".subtitle")).to_contain_text(
            "Alex Rivera", timeout=TIMEOUT_MS
        )
        said = ["First question"]
        for i in range(3):
            alex.send(f"Agent line {i}")
            shopper.expect_message(f"Agent line {i}")
            shopper.send(f"Shopper line {i}")
            alex.expect_message(f"Shopper line {i}")
            said += [f"Agent line {i}", f"Shopper line {i}"]

        # A reload mid-conversation: the panel comes back open with everything, once, in order.
        shopper.page.reload()
        expect(shopper.widget.locator(".panel")).to_be_visible(timeout=TIMEOUT_MS)
        shopper.expect_message("Shopper line 2")
        assert_once_in_order(shopper, said)
        shopper.send("After reload")
        alex.expect_message("After reload")
        said.append("After reload")
        shopper.shoot(screenshots, "resilience-01-after-reload")

        # A second tab shows the same conversation and follows it live, both ways.
        second = Shopper(context, demo_server.url)
        second.visit("/shop/shipping")
        second.open_chat()
        second.expect_message("After reload")
        assert_once_in_order(second, said)
        alex.send("Seen in both tabs")
        shopper.expect_message("Seen in both tabs")
        second.expect_message("Seen in both tabs")
        second.send("Sent from the second tab")
        shopper.expect_message("Sent from the second tab")
        alex.expect_message("Sent from the second tab")
        said += ["Seen in both tabs", "Sent from the second tab"]
        second.page.close()

        # The network drops: what the shopper types is kept and sent on reconnect, in order,
        # and what the CSR said meanwhile arrives once.
        context.set_offline(True)
        drop_connection(shopper.page)
        banner = shopper.widget.locator(".banner")
        expect(banner).to_be_visible(timeout=TIMEOUT_MS)
        shopper.send("Typed offline one")
        shopper.send("Typed offline two")
        expect(banner).to_contain_text("2 messages will be sent", timeout=TIMEOUT_MS)
        pending = shopper.log.locator(".msg.pending")
        expect(pending).to_have_count(2)
        expect(pending.first.locator(".state")).to_contain_text("Waiting for connection")
        alex.send("Said while you were offline")
        shopper.shoot(screenshots, "resilience-02-offline")

        # Offline messages survive a reload too (they are kept in the browser, not in memory).
        context.set_offline(False)
        shopper.page.reload()
        expect(shopper.widget.locator(".panel")).to_be_visible(timeout=TIMEOUT_MS)
        shopper.expect_message("Typed offline two")
        shopper.expect_message("Said while you were offline")
        expect(shopper.log.locator(".msg.pending")).to_have_count(0, timeout=TIMEOUT_MS)
        expect(banner).to_be_hidden()
        alex.expect_message("Typed offline one")
        alex.expect_message("Typed offline two")
        said += ["Said while you were offline", "Typed offline one", "Typed offline two"]
        texts = shopper.message_texts()
        assert texts.index("Typed offline one") < texts.index("Typed offline two")
        for text in said:
            assert Counter(texts)[text] == 1, f"{text!r} not shown exactly once: {texts}"

        # A drop without a reload: the widget reconnects, syncs and sends on its own.
        context.set_offline(True)
        drop_connection(shopper.page)
        expect(banner).to_be_visible(timeout=TIMEOUT_MS)
        shopper.send("Queued without reload")
        alex.send("Missed while away")
        context.set_offline(False)
        shopper.expect_message("Missed while away")
        shopper.expect_message("Queued without reload")
        alex.expect_message("Queued without reload")
        expect(shopper.log.locator(".msg.pending")).to_have_count(0, timeout=TIMEOUT_MS)
        seqs = shopper.seqs()
        assert seqs == sorted(set(seqs))

        # The CSR reloads the console: still signed in, the conversation and its history back.
        alex.page.reload()
        alex.open_conversation("Robin Reload")
        for text in ("First question", "Typed offline two", "Queued without reload"):
            alex.expect_message(text)
        alex.send("Still here after my reload")
        shopper.expect_message("Still here after my reload")
        assert shopper.watch.errors == []
        assert alex.watch.errors == []
    finally:
        alex.close()
        context.close()

"""Two CSRs accept the same request: one gets it, the other is told plainly."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, WebSocketRoute, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper


def test_the_csr_who_loses_an_accept_race_is_told_plainly(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    alex = Csr(browser, demo_server.url, "alex")
    sam = Csr(browser, demo_server.url, "sam")
    context = browser.new_context()
    hold_queue_updates = {"on": False}

    # Sam's console sits behind a slow network: while the race runs, the queue update that would
    # remove the request from his screen has not reached him yet, so he clicks a stale Accept.
    def through(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(message))

        def to_page(message: str | bytes) -> None:
            text = message if isinstance(message, str) else message.decode(errors="replace")
            if hold_queue_updates["on"] and '"queue:update"' in text:
                return
            ws.send(message)

        server.on_message(to_page)

    sam.page.route_web_socket(re.compile(r".*/socket\.io/.*"), through)
    try:
        alex.sign_in()
        sam.sign_in()
        shopper = Shopper(context, demo_server.url)
        shopper.visit("/shop")
        shopper.start_chat("Race me", name="Quinn Quick", email="quinn@example.com")
        expect(sam.request("Quinn Quick")).to_be_visible(timeout=TIMEOUT_MS)
        expect(alex.request("Quinn Quick")).to_be_visible(timeout=TIMEOUT_MS)

        hold_queue_updates["on"] = True
        alex.accept("Quinn Quick")
        expect(shopper.widget.locator(".subtitle")).to_contain_text(
            "Alex Rivera", timeout=TIMEOUT_MS
        )
        sam.request("Quinn Quick").locator("button", has_text="Accept").click()
        toast = sam.page.locator(".toast.error")
        expect(toast).to_have_text(
            "Too late: a colleague has already taken the chat with Quinn Quick.",
            timeout=TIMEOUT_MS,
        )
        expect(sam.page.locator(".conv-item", has_text="Quinn Quick")).to_have_count(0)
        # The stale request leaves his list at once, without waiting for the queue update.
        expect(sam.request("Quinn Quick")).to_have_count(0)
        sam.shoot(screenshots, "race-lost")
        hold_queue_updates["on"] = False
    finally:
        alex.close()
        sam.close()
        context.close()

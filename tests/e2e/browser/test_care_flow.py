"""A guest shopper and CSRs carry a whole care conversation through, in real browsers."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper

ELAPSED = re.compile(r"^\d+(s|m \d\ds)$")


def test_guest_and_csrs_carry_a_conversation_from_start_to_close(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    shopper_context = browser.new_context(viewport={"width": 1280, "height": 800})
    shopper = Shopper(shopper_context, demo_server.url)
    alex = Csr(browser, demo_server.url, "alex")  # general, orders
    jo = Csr(browser, demo_server.url, "jo")  # returns, business
    sam = Csr(browser, demo_server.url, "sam")  # general, returns, orders
    try:
        for csr in (alex, jo, sam):
            csr.sign_in()

        # The shopper starts a chat as a guest and waits, seeing their place in the queue.
        shopper.visit("/shop")
        shopper.start_chat(
            "Hello, does the Ridge jacket run small?",
            topic="general",
            name="Dana Guest",
            email="dana@example.com",
        )
        waiting = shopper.widget.locator(".waiting")
        expect(waiting).to_contain_text("next in line", timeout=TIMEOUT_MS)
        expect(shopper.widget.locator(".subtitle")).to_have_text("Waiting for an agent")
        shopper.shoot(screenshots, "flow-01-shopper-waiting")

        # Alex sees the request live (customer, topic, first words, waiting time) and takes it.
        request = alex.request("Dana Guest")
        expect(request).to_contain_text("General question", timeout=TIMEOUT_MS)
        expect(request).to_contain_text("does the Ridge jacket run small?")
        expect(request.locator(".waited")).to_have_text(ELAPSED, timeout=TIMEOUT_MS)
        expect(alex.page).to_have_title("(1) Careline console")
        alex.shoot(screenshots, "flow-02-console-request")
        alex.accept("Dana Guest")
        expect(shopper.widget.locator(".subtitle")).to_have_text(
            "You're chatting with Alex Rivera", timeout=TIMEOUT_MS
        )
        expect(waiting).to_have_count(0)
        # Sam watched the same queue: the request is gone from his list.
        expect(sam.request("Dana Guest")).to_have_count(0, timeout=TIMEOUT_MS)

        # Messages both ways, with time and delivery state.
        alex.send("Hi Dana, I'm Alex. It runs true to size.")
        shopper.expect_message("It runs true to size.")
        shopper.send("Great, thanks! And the returns policy?")
        alex.expect_message("And the returns policy?")
        mine = shopper.log.locator(".msg.mine", has_text="And the returns policy?")
        expect(mine.locator(".state")).to_have_text("Sent")
        expect(mine.locator("time")).not_to_have_text("")

        # Typing, both ways.
        shopper.type_without_sending("Also, do you ship to")
        expect(alex.page.locator(".typing-line")).to_contain_text(
            "Dana Guest is typing", timeout=TIMEOUT_MS
        )
        alex.page.locator("#composer").fill("Let me check")
        expect(shopper.widget.locator(".typing")).to_contain_text(
            "Alex Rivera is typing", timeout=TIMEOUT_MS
        )
        alex.page.locator("#composer").fill("")

        # The shopper browses on: the CSR sees the page they are on.
        shopper.page.locator(".site-header nav a", has_text="Returns").click()
        expect(alex.page.locator(".current-page")).to_contain_text(
            "Returns & exchanges", timeout=TIMEOUT_MS
        )
        alex.shoot(screenshots, "flow-03-console-chat")
        shopper.shoot(screenshots, "flow-03-shopper-chat")

        # Alex requeues to Returns with a note; Jo sees where it came from and why, and takes it.
        alex.page.locator(".conv-actions button", has_text="Requeue").click()
        alex.page.select_option("#requeue-queue", "returns")
        alex.page.fill("#requeue-note", "Wants to return last week's order")
        alex.page.locator("dialog button[type=submit]").click()
        expect(alex.page.locator(".conv-item", has_text="Dana Guest")).to_have_count(
            0, timeout=TIMEOUT_MS
        )
        requeued = jo.request("Dana Guest")
        expect(requeued).to_contain_text("Requeued from General questions", timeout=TIMEOUT_MS)
        expect(requeued).to_contain_text("Wants to return last week's order")
        expect(shopper.widget.locator(".subtitle")).to_have_text(
            "Waiting for an agent", timeout=TIMEOUT_MS
        )
        jo.shoot(screenshots, "flow-04-console-requeued-request")
        jo.accept("Dana Guest")
        expect(shopper.widget.locator(".subtitle")).to_have_text(
            "You're chatting with Jo Lindqvist", timeout=TIMEOUT_MS
        )
        # Jo gets the history, and the requeue note in the private thread.
        jo.expect_message("And the returns policy?")
        expect(jo.stream.locator(".private", has_text="Wants to return")).not_to_have_count(0)

        # Jo consults Sam: Sam joins the private thread; the shopper sees none of it.
        jo.page.locator(".conv-actions button", has_text="Consult").click()
        jo.dialog_select("consult-agent", "Sam Okafor")
        jo.page.fill("#consult-note", "Can we waive the restocking fee?")
        jo.page.locator("dialog button[type=submit]").click()
        consult = sam.page.locator(".conv-item", has_text="Dana Guest")
        expect(consult).to_contain_text("Consult", timeout=TIMEOUT_MS)
        sam.open_conversation("Dana Guest")
        expect(sam.page.locator(".mode-tab.public")).to_be_disabled()
        sam.send("Yes, waive it for this one.")
        jo.expect_message("Yes, waive it for this one.", private=True)
        sam.shoot(screenshots, "flow-05-console-consult")
        jo.send("Good news: the return is free for you.", mode="public")
        shopper.expect_message("the return is free for you")
        log_text = shopper.log.inner_text()
        for secret in ("waive", "restocking", "Wants to return", "Sam"):
            assert secret not in log_text

        # Jo closes; the shopper reads the transcript and can start again.
        jo.page.locator(".conv-actions button", has_text="Close").click()
        jo.page.locator("dialog button[type=submit]").click()
        expect(shopper.widget.locator(".ended")).to_be_visible(timeout=TIMEOUT_MS)
        expect(shopper.widget.locator(".subtitle")).to_have_text("This chat has ended")
        shopper.expect_message("does the Ridge jacket run small?")
        shopper.expect_message("the return is free for you")
        expect(shopper.widget.locator(".composer")).to_have_count(0)
        expect(jo.page.locator(".composer-closed")).to_be_visible(timeout=TIMEOUT_MS)
        shopper.shoot(screenshots, "flow-06-shopper-closed")
        jo.shoot(screenshots, "flow-06-console-closed")

        for page_watch in (shopper.watch, alex.watch, jo.watch, sam.watch):
            assert page_watch.errors == []
            assert page_watch.dialogs == []
    finally:
        for csr in (alex, jo, sam):
            csr.close()
        shopper_context.close()

"""The colleagues panel: who is online, their status and load, direct messages, unread counts."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper


def test_presence_status_load_and_direct_messages(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    alex = Csr(browser, demo_server.url, "alex")
    sam = Csr(browser, demo_server.url, "sam")
    context = browser.new_context()
    try:
        alex.sign_in()
        sam.sign_in()
        sam_in_alex = alex.page.locator(".team-item", has_text="Sam Okafor")
        alex_in_sam = sam.page.locator(".team-item", has_text="Alex Rivera")
        expect(sam_in_alex.locator(".dot.available")).to_be_visible(timeout=TIMEOUT_MS)
        expect(alex.page.locator(".team-item", has_text="Jo Lindqvist")).to_contain_text("offline")

        # Sam steps away; Alex sees it.
        sam.page.select_option(".status-select", "away")
        expect(sam_in_alex.locator(".dot.away")).to_be_visible(timeout=TIMEOUT_MS)
        expect(sam_in_alex).to_contain_text("away")
        sam.page.select_option(".status-select", "available")
        expect(sam_in_alex.locator(".dot.available")).to_be_visible(timeout=TIMEOUT_MS)

        # Alex takes a chat: his load shows in Sam's panel.
        shopper = Shopper(context, demo_server.url)
        shopper.visit("/shop")
        shopper.start_chat("Load me", name="Lou Load", email="lou@example.com")
        alex.accept("Lou Load")
        expect(alex_in_sam.locator(".team-load")).to_have_text("1/3", timeout=TIMEOUT_MS)

        # A direct message: unread on Sam's side until he opens it, in the list and the title.
        alex_in_alex_dm = alex.page.locator(".team-item", has_text="Sam Okafor")
        alex_in_alex_dm.click()
        expect(alex.page.locator(".conv-header h1")).to_have_text("Sam Okafor")
        composer = alex.page.locator(".composer textarea")
        composer.fill("Can you cover my lunch at 1?")
        composer.press("Enter")
        expect(alex.stream).to_contain_text("Can you cover my lunch at 1?", timeout=TIMEOUT_MS)
        expect(alex_in_sam.locator(".unread")).to_have_text("1", timeout=TIMEOUT_MS)
        expect(sam.page).to_have_title("(1) Careline console")
        sam.shoot(screenshots, "colleagues-unread")
        alex_in_sam.click()
        expect(sam.stream).to_contain_text("Can you cover my lunch at 1?", timeout=TIMEOUT_MS)
        expect(alex_in_sam.locator(".unread")).to_have_count(0)
        expect(sam.page).to_have_title("Careline console")
        reply = sam.page.locator(".composer textarea")
        reply.fill("Sure, go ahead.")
        reply.press("Enter")
        expect(alex.stream).to_contain_text("Sure, go ahead.", timeout=TIMEOUT_MS)
        # Read marks are kept by the server: after a reload nothing is unread again.
        sam.page.reload()
        expect(alex_in_sam).to_be_visible(timeout=TIMEOUT_MS)
        expect(sam.page.locator(".topbar .conn")).to_have_count(0, timeout=TIMEOUT_MS)
        expect(alex_in_sam.locator(".unread")).to_have_count(0)
        sam.shoot(screenshots, "colleagues-direct")

        # Alex hands the chat to Sam: Sam has it with its history, the shopper is told who.
        alex.open_conversation("Lou Load")
        alex.page.locator(".conv-actions button", has_text="Transfer").click()
        alex.dialog_select("transfer-agent", "Sam Okafor")
        alex.page.fill("#transfer-note", "Sam knows this order")
        alex.page.locator("dialog button[type=submit]").click()
        expect(alex.page.locator(".conv-item", has_text="Lou Load")).to_have_count(
            0, timeout=TIMEOUT_MS
        )
        expect(sam.page.locator(".conv-item", has_text="Lou Load")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        sam.open_conversation("Lou Load")
        sam.expect_message("Load me")
        expect(sam.page.locator(".mode-tab.public")).to_be_enabled()
        expect(shopper.widget.locator(".subtitle")).to_have_text(
            "You're chatting with Sam Okafor", timeout=TIMEOUT_MS
        )
        sam.send("Hi Lou, Sam here.")
        shopper.expect_message("Hi Lou, Sam here.")
    finally:
        alex.close()
        sam.close()
        context.close()

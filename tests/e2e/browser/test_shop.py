"""The demo storefront: browse, pick a variant, fill a cart, be a demo customer, chat."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper


def test_shopper_browses_fills_a_cart_and_chats_as_a_demo_customer(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    shopper = Shopper(context, demo_server.url)
    alex = Csr(browser, demo_server.url, "alex")
    try:
        shopper.visit("/shop")
        page = shopper.page
        tiles = page.locator(".grid .tile")
        expect(tiles.first).to_be_visible(timeout=TIMEOUT_MS)
        shopper.shoot(screenshots, "shop-01-home")

        # A guest fills a cart (the cart follows the widget's visitor).
        tiles.first.locator("a").click()
        expect(page.locator(".product h1")).to_be_visible(timeout=TIMEOUT_MS)
        product_name = page.locator(".product h1").inner_text()
        expect(page).to_have_title(re.compile(re.escape(product_name)))
        add = page.locator(".buy button", has_text="Add to cart")
        if add.is_disabled():
            # Pick the first combination that is in stock.
            for option in page.locator(".picker .option").all():
                option.click()
                if add.is_enabled():
                    break
        expect(add).to_be_enabled()
        expect(page.locator(".price")).to_have_text(re.compile(r"\d"))
        add.click()
        expect(page.locator(".status")).to_contain_text("Added to your cart", timeout=TIMEOUT_MS)
        expect(page.locator(".cart-count")).to_have_text("1")
        shopper.shoot(screenshots, "shop-02-product")

        page.locator(".cart-link").click()
        line = page.locator(".cart-table tbody tr")
        expect(line).to_have_count(1, timeout=TIMEOUT_MS)
        expect(line).to_contain_text(product_name)
        line.locator(".qty-btn", has_text="+").click()
        expect(page.locator(".cart-count")).to_have_text("2", timeout=TIMEOUT_MS)
        shopper.shoot(screenshots, "shop-03-cart")
        line.locator("button", has_text="Remove").click()
        expect(page.locator(".content")).to_contain_text("Your cart is empty", timeout=TIMEOUT_MS)

        # Switch to a signed-in demo customer: the widget knows them, so does the CSR.
        select = page.locator("#account-select")
        options = select.locator("option")
        expect(options.nth(1)).to_be_attached(timeout=TIMEOUT_MS)
        customer_name = options.nth(1).inner_text().replace(" (business)", "")
        select.select_option(index=1)
        expect(page.locator(".account-label")).to_have_text("Signed in as", timeout=TIMEOUT_MS)
        alex.sign_in()
        shopper.open_chat()
        shopper.widget.locator(".home .primary").click()
        form = shopper.widget.locator("form.prechat")
        expect(form.locator(".signed-in")).to_contain_text(customer_name)
        form.locator("input[name=topic][value=orders]").check()
        form.locator("textarea[name=text]").fill("Can you check my last order?")
        form.locator("button[type=submit]").click()
        shopper.expect_message("Can you check my last order?")
        request = alex.request(customer_name)
        expect(request.locator(".tag.known")).to_be_visible(timeout=TIMEOUT_MS)
        alex.accept(customer_name)
        expect(alex.page.locator(".details")).to_contain_text("Signed-in customer")
        expect(alex.page.locator(".current-page")).to_contain_text("Your cart")
        alex.shoot(screenshots, "shop-04-console-customer")
        assert shopper.watch.errors == []
        assert alex.watch.errors == []
    finally:
        alex.close()
        context.close()

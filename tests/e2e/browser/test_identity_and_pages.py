"""A signed-in shopper, a forged identity, and what the server answers for the front-end's pages."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Route, expect

from tests.e2e.browser.conftest import STOREFRONT_SECRET, DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper
from web.identity import sign_identity


def storefront(context: BrowserContext, url: str, base_url: str, identity: str) -> None:
    """A storefront page of its own that embeds the widget with a signed-in shopper's identity."""
    document = f"""<!doctype html><html><head><meta charset="utf-8"><title>My account</title>
</head><body><h1>Signed-in storefront</h1>
<script src="{base_url}/widget.js" data-identity="{identity}" async></script></body></html>"""

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=document)

    context.route(url, fulfil)


def test_signed_in_shopper_is_known_to_the_csr_and_can_end_the_chat(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    alex = Csr(browser, demo_server.url, "alex")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        alex.sign_in()
        customer = demo_server.demo_customer()
        url = f"{demo_server.url}/__test_storefront"
        storefront(context, url, demo_server.url, sign_identity(STOREFRONT_SECRET, customer["id"]))
        shopper = Shopper(context, demo_server.url)
        shopper.page.goto(url)
        shopper.open_chat()
        shopper.widget.locator(".home .primary").click()
        form = shopper.widget.locator("form.prechat")
        # A signed-in shopper is not asked who they are.
        expect(form.locator("input[name=name]")).to_have_count(0)
        expect(form.locator(".signed-in")).to_contain_text(customer["name"])
        form.locator("input[name=topic][value=orders]").check()
        form.locator("textarea[name=text]").fill("Where is order 1001?")
        form.locator("button[type=submit]").click()
        shopper.expect_message("Where is order 1001?")

        request = alex.request("Where is order 1001?")
        expect(request.locator(".tag.known")).to_have_text("Customer", timeout=TIMEOUT_MS)
        expect(request).to_contain_text("Order question")
        request.locator("button", has_text="Accept").click()
        details = alex.page.locator(".details")
        expect(details).to_contain_text("Signed-in customer", timeout=TIMEOUT_MS)
        expect(details).to_contain_text(customer["email"])
        expect(details).to_contain_text("Orders and delivery")
        expect(alex.page.locator(".conv-header h1")).to_have_text(customer["name"])
        alex.shoot(screenshots, "identity-console-signed-in")

        # The shopper ends the chat from the widget: the CSR sees it closed, with its transcript.
        alex.send("It ships tomorrow.")
        shopper.expect_message("It ships tomorrow.")
        shopper.widget.locator(".header-actions button", has_text="End chat").click()
        shopper.widget.locator(".confirm button", has_text="End chat").click()
        expect(shopper.widget.locator(".ended")).to_be_visible(timeout=TIMEOUT_MS)
        expect(alex.page.locator(".status-pill")).to_have_text("Closed", timeout=TIMEOUT_MS)
        expect(alex.page.locator(".composer-closed")).to_be_visible()
        alex.expect_message("Where is order 1001?")
        # And may start again: a new request reaches the queue.
        shopper.widget.locator(".ended button", has_text="Start a new chat").click()
        form.locator("textarea[name=text]").fill("One more thing")
        form.locator("button[type=submit]").click()
        shopper.expect_message("One more thing")
        expect(alex.request("One more thing")).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        alex.close()
        context.close()


def test_a_guest_ends_the_chat_and_the_csr_sees_it_closed(
    demo_server: DemoServer, browser: Browser
) -> None:
    alex = Csr(browser, demo_server.url, "alex")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        alex.sign_in()
        shopper = Shopper(context, demo_server.url)
        shopper.visit("/shop")
        shopper.start_chat("Where is order 1001?", name="Gale Guest", email="gale@example.com")
        alex.accept("Gale Guest")
        alex.send("It ships tomorrow.")
        shopper.expect_message("It ships tomorrow.")
        shopper.widget.locator(".header-actions button", has_text="End chat").click()
        shopper.widget.locator(".confirm button", has_text="End chat").click()
        expect(shopper.widget.locator(".ended")).to_be_visible(timeout=TIMEOUT_MS)
        expect(alex.page.locator(".status-pill")).to_have_text("Closed", timeout=TIMEOUT_MS)
        expect(alex.page.locator(".composer-closed")).to_be_visible()
        alex.expect_message("Where is order 1001?")
        shopper.widget.locator(".ended button", has_text="Start a new chat").click()
        form = shopper.widget.locator("form.prechat")
        form.locator("input[name=name]").fill("Gale Guest")
        form.locator("input[name=email]").fill("gale@example.com")
        form.locator("textarea[name=text]").fill("One more thing")
        form.locator("button[type=submit]").click()
        shopper.expect_message("One more thing")
        expect(alex.request("One more thing")).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        alex.close()
        context.close()


def test_a_forged_identity_is_refused_with_the_reason(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        url = f"{demo_server.url}/__test_forged"
        storefront(context, url, demo_server.url, "cus_someone.9999999999.deadbeef")
        forged = Shopper(context, demo_server.url)
        forged.page.goto(url)
        forged.open_chat()
        banner = forged.widget.locator(".banner")
        expect(banner).to_contain_text("Chat is unavailable", timeout=TIMEOUT_MS)
        expect(banner).to_contain_text("signature")
        expect(forged.widget.locator(".home .primary")).to_have_count(0)
        forged.shoot(screenshots, "identity-forged")
    finally:
        context.close()


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_pages_widget_and_assets_are_served(demo_server: DemoServer) -> None:
    status, headers, _ = fetch(f"{demo_server.url}/")
    assert status == 302 and headers["Location"] == "/shop"

    status, headers, body = fetch(f"{demo_server.url}/widget.js")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert "careline:session" in body

    status, _, body = fetch(f"{demo_server.url}/shop/products/anything")
    assert status == 200
    # The shop embeds the widget exactly as any storefront would: one script tag.
    assert body.count("/widget.js") == 1 and f'src="{demo_server.url}/widget.js"' in body

    status, _, body = fetch(f"{demo_server.url}/console")
    assert status == 200 and 'id="careline-config"' in body
    config = json.loads(
        body.split('id="careline-config" type="application/json">')[1].split("<")[0]
    )
    assert config["demo"] is True and {"alex", "lee"} <= {
        x["username"] for x in config["demo_logins"]
    }

    asset = body.split('src="')[1].split('"')[0]
    assert asset.startswith("/static/dist/assets/")
    status, headers, _ = fetch(demo_server.url + asset)
    assert status == 200 and "immutable" in headers["Cache-Control"]

    for bad in ("/static/dist/../pages.py", "/static/dist/%2e%2e/pages.py", "/static/dist/nope.js"):
        status, _, _ = fetch(demo_server.url + bad)
        assert status == 404, bad

    status, _, body = fetch(f"{demo_server.url}/shop/demo/identity?customer_id=nobody")
    assert status == 404


def test_a_missing_build_is_answered_with_how_to_build_it(tmp_path: Path) -> None:
    empty = tmp_path / "no-build"
    empty.mkdir()
    server = DemoServer(tmp_path, {"CARELINE_STATIC_DIR": str(empty)})
    try:
        for path in ("/console", "/shop"):
            status, _, body = fetch(server.url + path)
            assert status == 503
            assert "scripts/build-frontend" in body
        status, headers, body = fetch(server.url + "/widget.js")
        assert status == 503 and "scripts/build-frontend" in body
        assert headers["Content-Type"].startswith("application/javascript")
    finally:
        server.stop()

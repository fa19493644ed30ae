"""The widget and its host page cannot reach each other's styles; chat text is never markup."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.browser.conftest import DemoServer
from tests.e2e.browser.ui import TIMEOUT_MS, Csr, Shopper, Watch

HOSTILE_CSS = """
* { font-family: "Comic Sans MS", cursive !important; font-size: 31px !important;
    color: #f0f !important; background: #ff0 !important; line-height: 3 !important;
    letter-spacing: 6px !important; text-transform: uppercase !important;
    box-sizing: content-box !important; text-align: right !important; }
div, span, p, form, button, input, textarea, label, fieldset, svg {
    display: block !important; margin: 17px !important; padding: 23px !important;
    border: 7px dashed #0f0 !important; width: 50px !important; height: 50px !important;
    position: static !important; float: left !important; visibility: visible !important; }
button { display: none !important; }
careline-widget, body > script + *, [id*=careline], [class*=careline] {
    display: none !important; opacity: 0 !important; transform: scale(0.2) !important;
    position: absolute !important; left: -9999px !important; filter: blur(8px) !important; }
svg, path { stroke: red !important; fill: red !important; }
:root { --accent: #f00; --ink: #0f0; }
body { font: italic 40px serif !important; color: red !important; }
"""

# What is measured of the widget's own elements, and of the host page's.
PROPS = [
    "font-family",
    "font-size",
    "font-style",
    "color",
    "background-color",
    "display",
    "line-height",
    "letter-spacing",
    "text-transform",
    "margin-top",
    "padding-top",
    "border-top-width",
    "position",
    "visibility",
    "opacity",
    "transform",
    "width",
    "height",
]
WIDGET_PARTS = [
    ".launcher",
    ".panel",
    ".header",
    ".title",
    ".subtitle",
    "form.prechat legend",
    ".topic",
    "input[name=name]",
    "textarea[name=text]",
    "button[type=submit]",
    ".icon-btn svg",
]
HOST_PARTS = ["body", "h1", "#host-button", ".box", "p"]


def host_page(base_url: str, css: str, widget: bool) -> str:
    script = f'<script src="{base_url}/widget.js" async></script>' if widget else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Host page</title>
<style>{css}</style></head><body><h1>A storefront of its own</h1>
<p>Host text</p><button id="host-button">Host button</button><div class="box">Host box</div>
{script}</body></html>"""


def serve(context: BrowserContext, url: str, document: str) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=document)

    context.route(url, fulfil)


def widget_styles(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """([parts, props]) => {
                const host = document.querySelector('careline-widget');
                const root = host.shadowRoot;
                const out = {host: {
                    display: getComputedStyle(host).display,
                    position: getComputedStyle(host).position,
                    zIndex: getComputedStyle(host).zIndex,
                    visibility: getComputedStyle(host).visibility,
                    opacity: getComputedStyle(host).opacity,
                }};
                for (const sel of parts) {
                    const el = root.querySelector(sel);
                    if (!el) { out[sel] = null; continue; }
                    const cs = getComputedStyle(el);
                    const r = el.getBoundingClientRect();
                    const style = Object.fromEntries(props.map(p => [p, cs.getPropertyValue(p)]));
                    out[sel] = {rect: [r.x, r.y, r.width, r.height].map(Math.round), style};
                }
                return out;
            }""",
            [WIDGET_PARTS, PROPS],
        )
    )


def host_styles(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """([parts, props]) => Object.fromEntries(parts.map(sel => {
                const el = document.querySelector(sel);
                const cs = getComputedStyle(el);
                const r = el.getBoundingClientRect();
                const style = Object.fromEntries(props.map(p => [p, cs.getPropertyValue(p)]));
                return [sel, {rect: [r.x, r.y, r.width, r.height].map(Math.round), style}];
            }))""",
            [HOST_PARTS, PROPS],
        )
    )


def open_prechat(page: Page) -> None:
    widget = page.locator("careline-widget")
    widget.locator(".launcher").click()
    widget.locator(".home .primary").click()
    expect(widget.locator("form.prechat button[type=submit]")).to_be_enabled(timeout=TIMEOUT_MS)
    # Let the launcher's hover transition settle before measuring.
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)


def test_hostile_host_css_does_not_change_the_widget_nor_the_widget_the_host(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    measured: dict[str, Any] = {}
    host_measured: dict[str, Any] = {}
    for name, css, widget in (
        ("plain", "body { margin: 8px; }", True),
        ("hostile", HOSTILE_CSS, True),
        ("plain-without-widget", "body { margin: 8px; }", False),
        ("hostile-without-widget", HOSTILE_CSS, False),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            url = f"{demo_server.url}/__test_host_{name}"
            serve(context, url, host_page(demo_server.url, css, widget))
            page = context.new_page()
            watch = Watch(page)
            page.goto(url)
            if widget:
                expect(page.locator("careline-widget .launcher")).to_be_visible(timeout=TIMEOUT_MS)
                open_prechat(page)
                measured[name] = widget_styles(page)
                page.screenshot(path=str(screenshots / f"isolation-{name}.png"))
                page.locator("careline-widget .panel").screenshot(
                    path=str(screenshots / f"isolation-{name}-widget.png")
                )
            host_measured[name] = host_styles(page)
            assert watch.errors == []
        finally:
            context.close()

    assert measured["plain"]["host"]["display"] == "block"
    assert measured["plain"]["host"]["position"] == "fixed"
    assert all(measured["plain"][part] is not None for part in WIDGET_PARTS)
    for part in ["host", *WIDGET_PARTS]:
        assert measured["hostile"][part] == measured["plain"][part], (
            f"host CSS changed the widget's {part}:\n"
            f"{json.dumps(measured['plain'][part])}\n{json.dumps(measured['hostile'][part])}"
        )
    # And the widget changes nothing of the host page, plain or hostile.
    assert host_measured["plain"] == host_measured["plain-without-widget"]
    assert host_measured["hostile"] == host_measured["hostile-without-widget"]


def test_markup_in_chat_is_shown_as_text_in_both_uis_and_runs_nothing(
    demo_server: DemoServer, browser: Browser, screenshots: Path
) -> None:
    payload = "<img src=x onerror=alert(1)>"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    shopper = Shopper(context, demo_server.url)
    alex = Csr(browser, demo_server.url, "alex")
    try:
        alex.sign_in()
        shopper.visit("/shop")
        shopper.start_chat(
            payload, name="<b>Eve</b><img src=x onerror=alert(2)>", email="eve@example.com"
        )

        # The request card: name and first words as text.
        request = alex.request("<b>Eve</b>")
        expect(request).to_contain_text(payload, timeout=TIMEOUT_MS)
        assert request.locator("img, b").count() == 0

        alex.accept("<b>Eve</b>")
        alex.expect_message(payload)
        alex.send(payload)
        alex.send("<script>alert(3)</script> private", mode="private")
        expect(shopper.log.locator(".msg.theirs .text", has_text=payload)).to_have_count(
            1, timeout=TIMEOUT_MS
        )
        shopper.send("<svg onload=alert(4)>")
        alex.expect_message("<svg onload=alert(4)>")

        # A page title with markup reaches the customer panel as text as well.
        shopper.page.evaluate(
            """() => {
                document.title = '<img src=x onerror=alert(5)>';
                history.pushState({}, '', '/shop/about?q=%3Csvg%20onload%3Dalert(6)%3E');
            }"""
        )
        expect(alex.page.locator(".current-page .page-title")).to_have_text(
            "<img src=x onerror=alert(5)>", timeout=TIMEOUT_MS
        )

        # Literal text everywhere, no element made of it, and nothing ran.
        assert shopper.log.locator("img, svg:not(.state svg), script, b").count() == 0
        assert alex.page.locator(".stream img, .stream script, .stream b").count() == 0
        assert alex.page.locator(".stream svg").evaluate_all(
            "els => els.every(e => e.closest('.private-label, .sys'))"
        )
        texts = [t.strip() for t in alex.stream.locator("[data-seq] .text").all_text_contents()]
        assert texts.count(payload) == 2
        assert any(re.fullmatch(r"<script>alert\(3\)</script> private", t) for t in texts)
        assert shopper.message_texts().count(payload) == 2
        assert "alert(3)" not in shopper.log.inner_text()
        assert alex.page.locator(".conv-header h1").inner_text() == (
            "<b>Eve</b><img src=x onerror=alert(2)>"
        )
        shopper.page.wait_for_timeout(500)  # time for any onerror/onload to have fired
        shopper.shoot(screenshots, "xss-shopper")
        alex.shoot(screenshots, "xss-console")
        assert shopper.watch.dialogs == []
        assert alex.watch.dialogs == []
        assert shopper.watch.errors == []
        assert alex.watch.errors == []
    finally:
        alex.close()
        context.close()

"""What a shopper and a CSR do in the browser, as small page objects over Playwright."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, expect

TIMEOUT_MS = 10_000
DEMO_PASSWORDS = {
    "alex": "alex-demo-pass",
    "sam": "sam-demo-pass",
    "jo": "jo-demo-pass",
    "lee": "lee-demo-pass",
}


class Watch:
    """Records what must never happen on a page: script dialogs (alert), uncaught errors."""

    def __init__(self, page: Page) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


class Shopper:
    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.watch = Watch(self.page)

    @property
    def widget(self) -> Locator:
        return self.page.locator("careline-widget")

    @property
    def log(self) -> Locator:
        return self.widget.locator(".log")

    def visit(self, path: str = "/shop") -> None:
        self.page.goto(self.base_url + path)
        expect(self.widget.locator(".launcher")).to_be_visible(timeout=TIMEOUT_MS)

    def open_chat(self) -> None:
        panel = self.widget.locator(".panel")
        if not panel.is_visible():
            self.widget.locator(".launcher").click()
        expect(panel).to_be_visible()

    def start_chat(
        self,
        text: str,
        *,
        topic: str = "general",
        name: str | None = None,
        email: str | None = None,
    ) -> None:
        self.open_chat()
        start = self.widget.locator(".home .primary")
        if start.is_visible():
            start.click()
        form = self.widget.locator("form.prechat")
        form.locator(f"input[name=topic][value={topic}]").check()
        if name is not None:
            form.locator("input[name=name]").fill(name)
        if email is not None:
            form.locator("input[name=email]").fill(email)
        form.locator("textarea[name=text]").fill(text)
        submit = form.locator("button[type=submit]")
        expect(submit).to_be_enabled(timeout=TIMEOUT_MS)
        submit.click()
        expect(self.log).to_contain_text(text, timeout=TIMEOUT_MS)

    def send(self, text: str) -> None:
        composer = self.widget.locator(".composer textarea")
        composer.fill(text)
        composer.press("Enter")

    def type_without_sending(self, text: str) -> None:
        self.widget.locator(".composer textarea").fill(text)

    def message_texts(self) -> list[str]:
        return [
            t.strip()
            for t in self.log.locator(".msg[data-seq] .text, .system .text").all_text_contents()
        ]

    def seqs(self) -> list[int]:
        return [
            int(s)
            for s in self.log.locator("[data-seq]").evaluate_all(
                "els => els.map(e => e.getAttribute('data-seq'))"
            )
        ]

    def expect_message(self, text: str) -> None:
        expect(self.log.locator(".msg[data-seq] .text", has_text=text)).to_have_count(
            1, timeout=TIMEOUT_MS
        )

    def shoot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"))
        panel = self.widget.locator(".panel")
        if panel.is_visible():
            panel.screenshot(path=str(folder / f"{name}-widget.png"))


class Csr:
    def __init__(self, browser: Browser, base_url: str, username: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.page = self.context.new_page()
        self.watch = Watch(self.page)
        self.base_url = base_url
        self.username = username

    def sign_in(self) -> None:
        self.page.goto(self.base_url + "/console")
        self.page.fill("#username", self.username)
        self.page.fill("#password", DEMO_PASSWORDS[self.username])
        self.page.click(".signin-card button[type=submit]")
        expect(self.page.locator(".topbar .me")).to_be_visible(timeout=TIMEOUT_MS)
        expect(self.page.locator(".topbar .conn")).to_have_count(0, timeout=TIMEOUT_MS)

    def request(self, text: str) -> Locator:
        return self.page.locator(".request", has_text=text)

    def accept(self, text: str) -> None:
        request = self.request(text)
        expect(request).to_be_visible(timeout=TIMEOUT_MS)
        request.locator("button", has_text="Accept").click()
        expect(self.page.locator(".conv-header")).to_be_visible(timeout=TIMEOUT_MS)

    @property
    def stream(self) -> Locator:
        return self.page.locator(".stream")

    def open_conversation(self, name: str) -> None:
        self.page.locator(".conv-item", has_text=name).click()
        expect(self.page.locator(".conv-header h1")).to_have_text(name)

    def mode(self, mode: str) -> None:
        self.page.locator(f".mode-tab.{mode}").click()
        expect(self.page.locator(f".mode-tab.{mode}")).to_have_attribute("aria-selected", "true")

    def send(self, text: str, *, mode: str | None = None) -> None:
        if mode is not None:
            self.mode(mode)
        composer = self.page.locator("#composer")
        composer.fill(text)
        composer.press("Enter")
        expect(self.stream.locator("[data-seq] .text", has_text=text).first).to_be_visible(
            timeout=TIMEOUT_MS
        )

    def expect_message(self, text: str, *, private: bool = False) -> Locator:
        kind = ".private" if private else ".public"
        message = self.stream.locator(f".msg{kind}[data-seq]", has_text=text)
        expect(message).to_have_count(1, timeout=TIMEOUT_MS)
        return message

    def dialog_select(self, select_id: str, label: str) -> None:
        option = self.page.locator(f"#{select_id} option", has_text=re.compile(re.escape(label)))
        value = option.first.get_attribute("value")
        assert value
        self.page.select_option(f"#{select_id}", value)

    def shoot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"))

    def close(self) -> None:
        self.context.close()

// Signing in and out: the sign-in page (with the demo accounts in demo mode), the login and
// logout requests, and the session token kept in this browser.

import { ICONS, h, icon, replaceChildren } from "../common/dom";
import { storageGet, storageSet } from "../common/util";

const TOKEN_KEY = "careline.console.token";

export function loadToken(): string | null {
  return storageGet<string | null>(localStorage, TOKEN_KEY, null);
}

export function storeToken(token: string | null): void {
  storageSet(localStorage, TOKEN_KEY, token);
}

/** What the server puts in the page (a JSON script element) for the console. */
export interface PageConfig {
  demo?: boolean;
  demo_logins?: { username: string; password: string; name: string; role: string; queues: string[] }[];
}

export function pageConfig(): PageConfig {
  const el = document.getElementById("careline-config");
  try {
    return el?.textContent ? (JSON.parse(el.textContent) as PageConfig) : {};
  } catch {
    return {};
  }
}

/**
 * Log in; on success hand the token to `onToken` and answer null, else answer what to tell the
 * person.
 */
export async function logIn(username: string, password: string, onToken: (token: string) => void): Promise<string | null> {
  try {
    const res = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (res.status === 401) return "That username and password don't match an account.";
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string }; message?: string } | null;
      return body?.error?.message || body?.message || `Sign-in failed (${res.status}).`;
    }
    const body = (await res.json()) as { token: string };
    onToken(body.token);
    return null;
  } catch {
    return "The server could not be reached. Check your connection and try again.";
  }
}

/** Revoke the token on the server; signing out goes on locally whatever the answer. */
export async function logOut(token: string): Promise<void> {
  await fetch("/api/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
}

export function renderSignIn(app: HTMLElement, message: string | null, config: PageConfig, login: (username: string, password: string) => Promise<string | null>): void {
  document.title = "Sign in · Careline console";
  const error = h("p", { class: "form-error", attrs: { role: "alert", hidden: !message } }, message ?? "");
  const username = h("input", { attrs: { id: "username", name: "username", autocomplete: "username", required: true } });
  const password = h("input", { attrs: { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true } });
  const submit = h("button", { class: "btn primary wide", text: "Sign in", attrs: { type: "submit" } });
  const form = h(
    "form",
    {
      class: "signin-card",
      attrs: { "aria-labelledby": "signin-title" },
      on: {
        submit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          submit.textContent = "Signing in…";
          const result = await login(username.value.trim(), password.value);
          submit.disabled = false;
          submit.textContent = "Sign in";
          if (result) {
            error.hidden = false;
            error.textContent = result;
            password.select();
          }
        },
      },
    },
    h("div", { class: "brand big" }, h("span", { class: "logo", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 22)), "Careline"),
    h("h1", { attrs: { id: "signin-title" } }, "Sign in to the agent console"),
    h("label", { class: "field", attrs: { for: "username" } }, "Username"),
    username,
    h("label", { class: "field", attrs: { for: "password" } }, "Password"),
    password,
    error,
    submit,
  );
  const demo = config.demo_logins?.length
    ? h(
        "div",
        { class: "demo-logins" },
        h("h2", null, "Demo accounts"),
        h("p", null, "Pick one to fill the form. Open a second browser window to be two CSRs at once."),
        h(
          "ul",
          null,
          ...config.demo_logins.map((l) =>
            h(
              "li",
              null,
              h(
                "button",
                {
                  class: "demo-login",
                  attrs: { type: "button" },
                  on: {
                    click: () => {
                      username.value = l.username;
                      password.value = l.password;
                      submit.focus();
                    },
                  },
                },
                h("strong", null, l.name),
                h("span", null, `${l.username} · ${l.role}`),
                h("small", null, l.queues.length ? l.queues.join(", ") : "all queues"),
              ),
            ),
          ),
        ),
      )
    : null;
  replaceChildren(app, h("main", { class: "signin" }, form, demo));
  app.className = "";
  username.focus();
}

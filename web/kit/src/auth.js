// The login every app shares. In production: OpenID Connect, authorisation code with PKCE,
// through oidc-client-ts; the tokens stay in this tab's sessionStorage and are renewed before
// they expire (with the refresh token the provider gives). In development, when the service
// says so (`<app>/config.json`): a form to choose a role and a centre, for which the service
// signs a development token.
import { forgetCopies, send, problemOf } from "./api.js";
import { h, show } from "./dom.js";
import { onLanguage, translator } from "./i18n.js";

const t = translator({
  nl: {
    title: "Aanmelden",
    city: "Aanmelden bij de stad",
    devTitle: "Aanmelden (ontwikkeling)",
    devNote: "Deze dienst draait in ontwikkelingsmodus: kies een rol en een centrum.",
    role: "Rol",
    centre: "Centrum",
    allCentres: "Alle centra",
    submit: "Aanmelden",
    noLogin: "Aanmelden is niet ingesteld op deze dienst.",
    offline: "Geen netwerk: aanmelden kan pas als het netwerk terug is.",
    failed: "Aanmelden lukte niet: {reason}",
    noRole: "Uw toegangstoken heeft geen rol of centra (vraag de beheerder van de aanmelding).",
    kitchen_staff: "Keukenmedewerker",
    centre_coordinator: "Centrumcoördinator",
    analyst: "Analist",
    admin: "Beheerder",
    volunteer_coordinator: "Vrijwilligerscoördinator",
    course_coordinator: "Cursuscoördinator",
    notifier: "Meldingsdienst",
  },
  en: {
    title: "Log in",
    city: "Log in with the city",
    devTitle: "Log in (development)",
    devNote: "This service runs in development mode: choose a role and a centre.",
    role: "Role",
    centre: "Centre",
    allCentres: "All centres",
    submit: "Log in",
    noLogin: "No login is configured for this service.",
    offline: "No network: you can log in once the network is back.",
    failed: "The login failed: {reason}",
    noRole: "Your access token has no role or centres (ask whoever runs the login).",
    kitchen_staff: "Kitchen staff",
    centre_coordinator: "Centre coordinator",
    analyst: "Analyst",
    admin: "Administrator",
    volunteer_coordinator: "Volunteer coordinator",
    course_coordinator: "Course coordinator",
    notifier: "Notifier",
  },
});

/** The name of a role in the chosen language. */
export const roleName = (role) => t(role);

// Renew a development token this long before it expires.
const DEV_RENEW_BEFORE_MS = 10 * 60 * 1000;
const RETRY_MS = 30 * 1000;

function claimsOf(token) {
  const part = token.split(".")[1] ?? "";
  const bytes = Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * The caller as the services see them, from the access token (the services verify it; the app
 * only reads who it is for): `{token, sub, role, centres, expiresAt}`, or null if it has none.
 */
export function sessionOf(token) {
  try {
    const claims = claimsOf(token);
    if (!claims.sub || !claims.role || !Array.isArray(claims.centres)) return null;
    return {
      token,
      sub: claims.sub,
      role: claims.role,
      centres: claims.centres,
      expiresAt: claims.exp * 1000,
    };
  } catch {
    return null;
  }
}

export class Login {
  /**
   * @param {object} options
   * @param {string} options.app  the app's name ("kitchen", "dashboard")
   * @param {string} options.base where it is served ("/kitchen/")
   */
  constructor({ app, base }) {
    this.app = app;
    this.base = base;
    this.session = null;
    this.config = null;
    this.manager = null;
    this.listeners = new Set();
    this.renewTimer = null;
    this.devKey = `buurtwerk.${app}.dev-session`;
    this.configKey = `buurtwerk.${app}.login-config`;
  }

  /** Call `listener(session)` whenever the login changes (null: logged out or expired). */
  onChange(listener) {
    this.listeners.add(listener);
  }

  /**
   * Call `changed(session)` when another person logs in or out (an app draws its screens for
   * them), and `renewed(session)` when the same person's token is renewed or expires (the
   * screens stay; what waits on the device can be sent).
   */
  onPerson(changed, renewed = () => {}) {
    let shownFor;
    this.onChange((session) => {
      const who = session?.sub ?? null;
      if (who === shownFor) {
        renewed(session);
        return;
      }
      shownFor = who;
      changed(session);
    });
  }

  set(session) {
    this.session = session;
    this.expired = false;
    if (session?.role) this.schedule();
    this.notify();
  }

  notify() {
    for (const listener of this.listeners) listener(this.session);
  }

  /** The token to send now, if any. */
  token() {
    return this.session?.token ?? null;
  }

  /**
   * Read how to log in (the last copy when offline), finish a login coming back from the
   * provider, and restore this tab's login. Resolves to the session or null.
   */
  async start() {
    try {
      const response = await send(`${this.base}config.json`);
      if (!response.ok) throw new Error(`config.json: ${response.status}`);
      this.config = await response.json();
      localStorage.setItem(this.configKey, JSON.stringify(this.config));
    } catch (error) {
      this.config = JSON.parse(localStorage.getItem(this.configKey) || "null");
      if (!this.config) throw error;
    }
    if (this.config.mode === "oidc") return this.startOidc();
    const kept = JSON.parse(sessionStorage.getItem(this.devKey) || "null");
    const session = kept && sessionOf(kept.token);
    if (session) {
      this.chosen = kept.chosen;
      this.set(session);
    }
    return this.session;
  }

  async startOidc() {
    // Loaded only where the provider is used: the development login does without it.
    const { UserManager, WebStorageStateStore } = await import("oidc-client-ts");
    const { issuer, client_id: clientId, scope } = this.config.oidc;
    const here = `${location.origin}${this.base}`;
    this.manager = new UserManager({
      authority: issuer,
      client_id: clientId,
      redirect_uri: here,
      post_logout_redirect_uri: here,
      response_type: "code",
      scope,
      userStore: new WebStorageStateStore({ store: sessionStorage, prefix: `oidc.${this.app}.` }),
      // Renewed with the refresh token, a minute before the access token expires.
      automaticSilentRenew: true,
      loadUserInfo: false,
    });
    this.manager.events.addUserLoaded((user) => this.set(sessionOf(user.access_token)));
    this.manager.events.addSilentRenewError(() => {
      // Offline, or the provider said no: try again in a while; the token may still be valid.
      clearTimeout(this.renewTimer);
      this.renewTimer = setTimeout(() => this.renew(), RETRY_MS);
    });
    const params = new URLSearchParams(location.search);
    if (params.has("code") && params.has("state")) {
      try {
        await this.manager.signinRedirectCallback();
      } finally {
        history.replaceState(null, "", this.base + location.hash);
      }
    }
    const user = await this.manager.getUser();
    if (user) {
      const session = sessionOf(user.access_token);
      if (!session) throw new Error(t("noRole"));
      this.set(session);
    }
    return this.session;
  }

  schedule() {
    if (this.config?.mode !== "development") return; // oidc-client-ts renews its own
    clearTimeout(this.renewTimer);
    const wait = Math.max(RETRY_MS, this.session.expiresAt - Date.now() - DEV_RENEW_BEFORE_MS);
    this.renewTimer = setTimeout(() => this.renew(), wait);
  }

  /**
   * Renew the token (before it expires, or when a service refused it). When that fails (no
   * network, the provider said no) the session stays, marked `expired` once its token is: the
   * app goes on storing what is registered, and sends it after `relogin()`.
   */
  async renew() {
    try {
      if (this.config.mode === "oidc") {
        const user = await this.manager.signinSilent();
        if (!user) throw new Error("no user");
        this.set(sessionOf(user.access_token));
      } else if (this.chosen) {
        await this.devLogin(this.chosen.role, this.chosen.centre);
      } else {
        throw new Error("nothing to renew with");
      }
    } catch {
      clearTimeout(this.renewTimer);
      this.renewTimer = setTimeout(() => this.renew(), RETRY_MS);
      if (this.session && this.session.expiresAt <= Date.now() + 5000 && !this.expired) {
        this.expired = true;
        this.notify();
      }
    }
  }

  /** Log in again after the token expired: at the provider (the page comes back), or the
   * development token for the same role and centre. */
  async relogin() {
    if (this.config.mode === "oidc") await this.manager.signinRedirect();
    else await this.renew();
  }

  async devLogin(role, centre) {
    const response = await send(`${this.base}dev-token`, { method: "POST", body: { role, centre } });
    if (!response.ok) throw new Error((await problemOf(response)).detail);
    const { access_token: token } = await response.json();
    this.chosen = { role, centre };
    sessionStorage.setItem(this.devKey, JSON.stringify({ token, chosen: this.chosen }));
    localStorage.setItem(`buurtwerk.${this.app}.dev-choice`, JSON.stringify(this.chosen));
    this.set(sessionOf(token));
  }

  /** Log out of this tab (and of the provider, if it can be reached). The copies of what this
   * user read go; the writes not yet sent stay, for the next login. */
  async logout() {
    clearTimeout(this.renewTimer);
    if (this.session) await forgetCopies(this.session.sub);
    sessionStorage.removeItem(this.devKey);
    const manager = this.manager;
    this.set(null);
    if (manager) {
      await manager.removeUser();
      if (navigator.onLine) {
        await manager.signoutRedirect().catch(() => undefined);
      }
    }
  }

  /** The login screen into `container`: the provider's button, or the development form. */
  render(container, message = "") {
    const error = h("p", { class: "error", role: "alert", text: message });
    this.drawScreen = () => show(container, this.screen(error));
    if (!this.followsLanguage) {
      this.followsLanguage = true;
      onLanguage(() => {
        if (!this.session) this.drawScreen?.();
      });
    }
    this.drawScreen();
  }

  screen(error) {
    const mode = this.config?.mode;
    if (mode === "oidc") {
      const button = h("button", { type: "button", class: "primary", text: t("city") });
      button.addEventListener("click", () => {
        error.textContent = "";
        this.manager.signinRedirect().catch((e) => {
          error.textContent = navigator.onLine ? t("failed", { reason: e.message }) : t("offline");
        });
      });
      return h("section", { class: "login panel", "aria-labelledby": "login-title" },
        h("h2", { id: "login-title", text: t("title") }), button, error);
    }
    if (mode === "development") return this.devForm(error);
    return h("section", { class: "login panel" }, h("h2", { text: t("title") }),
      h("p", { text: t("noLogin") }));
  }

  devForm(error) {
    const last = JSON.parse(localStorage.getItem(`buurtwerk.${this.app}.dev-choice`) || "{}");
    const role = h("select", { id: "login-role", name: "role", required: true },
      this.config.roles.map((r) => h("option", { value: r, selected: r === last.role, text: t(r) })));
    const centre = h("select", { id: "login-centre", name: "centre", required: true },
      this.config.centres.map((c) => h("option", {
        value: c.id, selected: c.id === last.centre, text: c[document.documentElement.lang] ?? c.nl,
      })),
      h("option", { value: "all", selected: last.centre === "all", text: t("allCentres") }));
    const form = h("form", { class: "login panel", "aria-labelledby": "login-title" },
      h("h2", { id: "login-title", text: t("devTitle") }),
      h("p", { class: "note", text: t("devNote") }),
      h("div", { class: "field" }, h("label", { for: "login-role", text: t("role") }), role),
      h("div", { class: "field" }, h("label", { for: "login-centre", text: t("centre") }), centre),
      h("button", { type: "submit", class: "primary", text: t("submit") }),
      error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await this.devLogin(role.value, centre.value);
      } catch (e) {
        error.textContent = navigator.onLine ? t("failed", { reason: e.message }) : t("offline");
      }
    });
    return form;
  }
}

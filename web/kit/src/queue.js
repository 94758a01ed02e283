// The outbox: every write an app makes is stored on the device first, with its own
// Idempotency-Key, and sent from there in the order it was made, now or when the network is back.
//
// Nothing is lost and nothing counts twice: an entry is in IndexedDB before anything is sent
// (closing the browser keeps it); it is sent again until the service answers, always with the
// same key, so a retry, a reload, a second tab or a second device replaying the same entries is
// counted once by the service (which stores the first answer under the key). One tab sends at a
// time (a Web Lock); the others follow the changes. An entry the service refuses is kept with
// the refusal until someone deals with it: sent again (changed, under a new key) or dropped.
//
// Written here rather than taken from Workbox's background sync: the refused writes must be
// shown and handled in the page, later writes may need the answer to an earlier one (a
// corrective action for a reading recorded offline), and the token lives in the page.
import { NetworkError, problemOf, retryable, send } from "./api.js";
import { database } from "./store.js";

const SEND_TIMEOUT_MS = 10000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;
// Entries already sent are kept a while (the till's recent taps and their undo), then dropped.
const KEEP_SENT = 200;
const CHANNEL = "buurtwerk-outbox";
const NOTIFY_MS = 100;

/**
 * @typedef {object} Entry
 * @property {number} seq        order of making (given by IndexedDB)
 * @property {string} key        the Idempotency-Key
 * @property {string} app
 * @property {string} sub        who made it
 * @property {"waiting"|"sending"|"sent"|"refused"} state
 * @property {string} method
 * @property {string} path       may hold `{name}` filled from the answer to `dependsOn`
 * @property {object} [body]     dropped once sent (it may hold a diner card)
 * @property {object} meta       what the app needs to show it
 * @property {string} createdAt  the device's time of the tap
 * @property {string} [dependsOn] key of an earlier entry whose answer fills `path`
 * @property {object} [response] the service's answer, once sent
 * @property {number} [ackedAt]  Date.now() when the answer arrived
 * @property {object} [refusal]  the problem document of a refusal
 * @property {string} [error]    why the last attempt did not reach the service
 */

export class Outbox {
  /**
   * @param {object} options
   * @param {string} options.app
   * @param {() => ({token: string, sub: string} | null)} options.session the current login
   * @param {() => void} options.onUnauthorized the token was refused: renew it
   */
  constructor({ app, session, onUnauthorized }) {
    this.app = app;
    this.session = session;
    this.onUnauthorized = onUnauthorized;
    this.listeners = new Set();
    this.lastError = null;
    this.retryDelay = RETRY_MIN_MS;
    this.timer = null;
    this.channel = "BroadcastChannel" in globalThis ? new BroadcastChannel(CHANNEL) : null;
    this.channel?.addEventListener("message", () => this.changed(false));
    addEventListener("online", () => this.kick());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.kick();
    });
  }

  /** Call `listener()` whenever an entry changes, in this tab or another. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Listeners hear once for a burst of changes (a queue of 200 being sent is 400 changes).
  changed(broadcast = true) {
    if (broadcast) this.channel?.postMessage("changed");
    if (this.notifying) return;
    this.notifying = true;
    setTimeout(() => {
      this.notifying = false;
      for (const listener of this.listeners) listener();
    }, NOTIFY_MS);
  }

  /**
   * Store a write; it is sent as soon as it can be. Resolves once it is stored on the device.
   * @returns {Promise<Entry>}
   */
  async add({ method = "POST", path, body, meta = {}, dependsOn }) {
    const entry = {
      key: crypto.randomUUID(),
      app: this.app,
      sub: this.session()?.sub ?? null,
      state: "waiting",
      method,
      path,
      body,
      meta,
      createdAt: new Date().toISOString(),
      dependsOn,
      attempts: 0,
    };
    const db = await database();
    entry.seq = await db.add("outbox", entry);
    this.changed();
    this.kick();
    return entry;
  }

  /** This app's entries, oldest first. */
  async entries() {
    const db = await database();
    return db.getAllFromIndex("outbox", "app", this.app).then((all) => all.sort((a, b) => a.seq - b.seq));
  }

  /** The entry stored under an Idempotency-Key. */
  async entry(key) {
    return (await database()).getFromIndex("outbox", "key", key);
  }

  /**
   * Take back an entry that is not sent (a tap undone before it left the device, a refusal
   * dealt with). False when it is being sent or was sent meanwhile.
   */
  async drop(key) {
    const db = await database();
    const tx = db.transaction("outbox", "readwrite");
    const entry = await tx.store.index("key").get(key);
    const droppable = entry && (entry.state === "waiting" || entry.state === "refused");
    if (droppable) await tx.store.delete(entry.seq);
    await tx.done;
    if (droppable) this.changed();
    return Boolean(droppable);
  }

  /**
   * Send a refused entry again, its body changed by `changes` (e.g. the reason to go beyond
   * capacity), under a new key: the refused request left nothing behind at the service.
   */
  async retry(key, changes = {}) {
    const db = await database();
    const tx = db.transaction("outbox", "readwrite");
    const entry = await tx.store.index("key").get(key);
    if (!entry || entry.state !== "refused") {
      await tx.done;
      return false;
    }
    const renewed = crypto.randomUUID();
    Object.assign(entry, {
      key: renewed,
      state: "waiting",
      body: { ...entry.body, ...changes },
      refusal: undefined,
      attempts: 0,
    });
    await tx.store.put(entry);
    // Later entries waiting for this one's answer follow it to its new key.
    for await (const cursor of tx.store.index("app").iterate(this.app)) {
      if (cursor.value.dependsOn === key) await cursor.update({ ...cursor.value, dependsOn: renewed });
    }
    await tx.done;
    this.changed();
    this.kick();
    return true;
  }

  /** Send what waits, soon. */
  kick() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sync(), 0);
  }

  /**
   * Send every waiting entry in order, one tab at a time. Stops at the first that does not
   * reach the service (it is tried again later, with the same key) or at a refused token.
   */
  async sync() {
    clearTimeout(this.timer);
    const session = this.session();
    if (!session?.token) return;
    const run = () => this.sendWaiting();
    const outcome = navigator.locks
      ? await navigator.locks.request(`${CHANNEL}-${this.app}`, run)
      : await run();
    if (outcome === "later") {
      this.timer = setTimeout(() => this.sync(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    } else if (outcome === "done") {
      this.retryDelay = RETRY_MIN_MS;
    }
  }

  async sendWaiting() {
    const db = await database();
    // Holding the lock, no other tab is sending: an entry left "sending" was cut off.
    for (const entry of await this.entries()) {
      if (entry.state === "sending") await this.update(entry.key, { state: "waiting" });
    }
    for (;;) {
      // What waits now, in order; what is added meanwhile comes after it, in the next round.
      const waiting = (await this.entries()).filter((e) => e.state === "waiting");
      if (!waiting.length) {
        await this.prune(db);
        return "done";
      }
      for (const { key } of waiting) {
        // Taken back, or sent by a tab before this one held the lock, meanwhile.
        const entry = await this.entry(key);
        if (entry?.state !== "waiting") continue;
        const outcome = await this.sendOne(entry);
        if (outcome !== "next") return outcome;
      }
    }
  }

  async sendOne(entry) {
    let path = entry.path;
    if (entry.dependsOn) {
      const before = await this.entry(entry.dependsOn);
      if (!before || before.state === "refused") {
        await this.update(entry.key, {
          state: "refused",
          refusal: {
            status: 409,
            title: "Depends on a refused write",
            detail: "the write this one belongs to was refused or dropped",
            code: "dependency-refused",
          },
        });
        return "next";
      }
      if (before.state !== "sent") return "later";
      path = path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(before.response?.[name] ?? ""));
    }
    const session = this.session();
    if (!session?.token) return "stopped";
    await this.update(entry.key, { state: "sending", attempts: (entry.attempts ?? 0) + 1 });
    let response;
    try {
      response = await send(path, {
        method: entry.method,
        token: session.token,
        body: entry.body,
        headers: { "Idempotency-Key": entry.key },
        timeout: SEND_TIMEOUT_MS,
      });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return this.notReached(entry, error.message);
    }
    if (response.ok) {
      const answer = await response.json().catch(() => ({}));
      await this.update(entry.key, {
        state: "sent",
        response: answer,
        ackedAt: Date.now(),
        body: undefined,
        error: undefined,
      });
      this.lastError = null;
      return "next";
    }
    const problem = await problemOf(response);
    if (response.status === 401) {
      await this.update(entry.key, { state: "waiting" });
      this.onUnauthorized?.();
      return "stopped";
    }
    if (retryable(response.status)) return this.notReached(entry, problem.detail || problem.title);
    await this.update(entry.key, { state: "refused", refusal: problem });
    return "next";
  }

  async notReached(entry, message) {
    this.lastError = message;
    await this.update(entry.key, { state: "waiting", error: message });
    return "later";
  }

  async update(key, changes) {
    const db = await database();
    const tx = db.transaction("outbox", "readwrite");
    const entry = await tx.store.index("key").get(key);
    if (entry) await tx.store.put({ ...entry, ...changes });
    await tx.done;
    this.changed();
  }

  async prune(db) {
    const sent = (await this.entries()).filter((e) => e.state === "sent");
    const tx = db.transaction("outbox", "readwrite");
    for (const entry of sent.slice(0, Math.max(0, sent.length - KEEP_SENT))) {
      await tx.store.delete(entry.seq);
    }
    await tx.done;
  }
}

/** What an outbox holds, in numbers: not yet sent, being sent, refused. */
export function counts(entries) {
  const count = (state) => entries.filter((e) => e.state === state).length;
  return { waiting: count("waiting") + count("sending"), refused: count("refused") };
}

// Talking to the service that serves the app: JSON with the user's token, RFC 9457 problem
// documents as errors, a time limit for the bad Wi-Fi of a kitchen, the last copy of what was
// read kept on the device for when the network is gone, and the service's clock.
import { database } from "./store.js";

const READ_TIMEOUT_MS = 6000;
const CLOCK_KEY = "buurtwerk.clock-offset";

/** Whether the last request reached the service; `buurtwerk:network` announces changes. */
export let reachable = navigator.onLine;

function note(now) {
  if (now === reachable) return;
  reachable = now;
  dispatchEvent(new CustomEvent("buurtwerk:network", { detail: now }));
}

addEventListener("offline", () => note(false));

/** The network could not be reached (offline, a time-out, a server that does not answer). */
export class NetworkError extends Error {}

/** The service answered with an error; `problem` is its problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? { status, title: `HTTP ${status}`, detail: `HTTP ${status}` };
  }
}

/** Whether a failed answer is worth trying again later (the request itself is fine). */
export function retryable(status) {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * `fetch` with a time limit; NetworkError when nothing usable came back. Keeps the service's
 * clock offset from the `Date` header of every answer.
 */
export async function send(path, { method = "GET", token, body, headers = {}, timeout } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout ?? READ_TIMEOUT_MS);
  const started = Date.now();
  try {
    const response = await fetch(path, {
      method,
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: "no-store",
    });
    noteClock(response, started);
    note(true);
    return response;
  } catch (error) {
    note(false);
    throw new NetworkError(error.name === "AbortError" ? "time-out" : error.message);
  } finally {
    clearTimeout(timer);
  }
}

/** The problem document of an error answer (or a plain one made from its status). */
export async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { status: response.status, title: response.statusText, detail: response.statusText };
  }
}

// The `Date` header has whole seconds, so an estimate is only good to a second or so: a device
// within a few seconds of the service keeps its own clock (and its times never jump back).
const CLOCK_NOISE_MS = 5000;

function noteClock(response, started) {
  const date = Date.parse(response.headers.get("Date") ?? "");
  if (Number.isNaN(date)) return;
  // It names the second in which the answer was made.
  const offset = date + 500 - (started + Date.now()) / 2;
  localStorage.setItem(CLOCK_KEY, String(Math.abs(offset) < CLOCK_NOISE_MS ? 0 : Math.round(offset)));
}

/** The service's time now, as far as the device knows it (the device's if never measured). */
export function serviceNow() {
  return new Date(Date.now() + Number(localStorage.getItem(CLOCK_KEY) || 0));
}

/** JSON from the service, or ApiError / NetworkError. */
export async function getJson(path, token) {
  const response = await send(path, { token });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/**
 * JSON from the service, kept on the device for this user; when the network is gone, the copy
 * kept last time. Answers `{data, startedAt, fetchedAt, stale}` (`startedAt`: Date.now() when
 * the request left, so that writes answered before then are known to be in the data); ApiError
 * when the service refused, or NetworkError when there is neither an answer nor a copy.
 */
export async function cachedJson(path, session) {
  const id = `${session.sub}|${path}`;
  const startedAt = Date.now();
  try {
    const data = await getJson(path, session.token);
    const fetchedAt = new Date().toISOString();
    const db = await database();
    await db.put("cache", { id, data, startedAt, fetchedAt });
    return { data, startedAt, fetchedAt, stale: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const kept = await (await database()).get("cache", id);
    if (!kept) throw error;
    return { data: kept.data, startedAt: kept.startedAt, fetchedAt: kept.fetchedAt, stale: true };
  }
}

/** Forget every copy kept for a user (at logout). */
export async function forgetCopies(sub) {
  const db = await database();
  const tx = db.transaction("cache", "readwrite");
  for await (const cursor of tx.store) {
    if (cursor.value.id.startsWith(`${sub}|`)) await cursor.delete();
  }
  await tx.done;
}

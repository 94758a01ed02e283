// The user's bearer token: an OpenID Connect login (authorisation code with PKCE) when the
// service names an issuer, or, in development, a token pasted once.
const TOKEN = "buurtwerk.reporting.token";
const PKCE = "buurtwerk.reporting.pkce";

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(length) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

function redirectUri() {
  return location.origin + location.pathname;
}

async function discover(issuer) {
  const response = await fetch(issuer.replace(/\/$/, "") + "/.well-known/openid-configuration");
  if (!response.ok) throw new Error("OpenID configuration: " + response.status);
  return response.json();
}

export function token() {
  return sessionStorage.getItem(TOKEN) || localStorage.getItem(TOKEN);
}

export function savePastedToken(value) {
  localStorage.setItem(TOKEN, value.trim());
}

export function logout() {
  sessionStorage.removeItem(TOKEN);
  localStorage.removeItem(TOKEN);
}

export async function login(config) {
  const discovery = await discover(config.oidc_issuer);
  const verifier = randomString(48);
  const challenge = base64url(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = randomString(16);
  sessionStorage.setItem(PKCE, JSON.stringify(
    { verifier, state, tokenEndpoint: discovery.token_endpoint }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.oidc_client_id,
    redirect_uri: redirectUri(),
    scope: config.oidc_scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(discovery.authorization_endpoint + "?" + query);
}

// Back from the identity provider: exchange the code for a token (kept for this tab only).
export async function completeLogin(config) {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || "null");
  if (!code || !pending) return false;
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, "", redirectUri());
  if (params.get("state") !== pending.state) throw new Error("login state does not match");
  const response = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: config.oidc_client_id,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error("token request: " + response.status);
  const body = await response.json();
  sessionStorage.setItem(TOKEN, body.access_token);
  return true;
}

// A real OpenID Provider (the certified `oidc-provider` library) on a loopback port, for the
// browser tests of the apps' login: authorisation code with PKCE for public clients, access
// tokens as JWTs for the services (audience `buurtwerk`, with the `role` and `centres` claims of
// the account), refresh tokens, and short-lived access tokens so that their renewal is seen.
// Any password signs in (the provider's development interactions); the login name picks the
// account.
//
//   node testing/oidc-provider.mjs '{"port": 4010, "accessTokenSeconds": 75,
//     "clients": [{"client_id": "buurtwerk-kitchen", "redirect_uris": ["http://127.0.0.1:8001/kitchen/"]}],
//     "accounts": {"kok": {"role": "kitchen_staff", "centres": ["mannenstraat"]}}}'
//
// It prints one JSON line with its issuer once it listens, and runs until it is stopped.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import Provider from "oidc-provider";

const options = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${options.port}`;
const RESOURCE = "https://buurtwerk.leuven.be/api";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signing = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: options.clients.map((client) => ({
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    post_logout_redirect_uris: client.redirect_uris,
    ...client,
  })),
  jwks: { keys: [signing] },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, name: id }) };
  },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: "openid profile offline_access",
        audience: "buurtwerk",
        accessTokenFormat: "jwt",
        accessTokenTTL: options.accessTokenSeconds ?? 300,
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  // The services read who the caller is from the access token.
  async extraTokenClaims(_ctx, token) {
    if (token.kind !== "AccessToken") return undefined;
    const account = options.accounts[token.accountId];
    return account ? { role: account.role, centres: account.centres } : undefined;
  },
  // A single-page app renews its token with the refresh token (rotated at every use).
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
  // The apps call the token endpoint from their own origin.
  clientBasedCORS: () => true,
  pkce: { required: () => true },
  ttl: {
    AccessToken: () => options.accessTokenSeconds ?? 300,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 24 * 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
});
provider.proxy = false;

const server = provider.listen(options.port, "127.0.0.1", () => {
  console.log(JSON.stringify({ issuer }));
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

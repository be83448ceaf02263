// A real OpenID Connect provider for the tests (npm `oidc-provider`), with a few accounts and
// test-only routes. Never for production: no passwords.
//
//   OIDC_PORT=4010 OIDC_REDIRECT_URIS=http://127.0.0.1:3100/auth/oidc/test/callback \
//     node end2end/oidc/provider.mjs
//
// Environment:
//   OIDC_PORT                       port on 127.0.0.1 (default 4010; 0 = any free port). The
//                                   issuer is http://127.0.0.1:<port>.
//   OIDC_REDIRECT_URIS              the clients' redirect URIs, comma-separated (required)
//   OIDC_POST_LOGOUT_REDIRECT_URIS  comma-separated; default: the origin of each redirect URI
//                                   with `/` and `/login`
// Clients (client_secret_basic, authorization code with PKCE S256 required):
//   portal / portal-secret          ID tokens signed RS256
//   portal-two / portal-two-secret  ID tokens signed ES256
// Signing in: the authorization endpoint redirects to /interaction/<uid>, a form with one field,
// `login` (an account's username, no password), posted to /interaction/<uid>/login; the
// consent step that follows is granted automatically. /interaction/<uid>/abort cancels
// (error=access_denied). ID tokens carry sub, name, preferred_username, email,
// email_verified and groups (scopes openid, profile, email).
// Test-only routes:
//   POST /_test/groups/<username>  {"groups": ["a", "b"]}  replaces the account's groups
//   POST /_test/rotate             new signing keys; the previous ones stay published
// Once listening it prints: `oidc test provider ready at <issuer>`.

import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const accounts = {
  olivia: { sub: '1001', name: 'Olivia Hansen', email: 'olivia@example.com', email_verified: true, groups: ['video-helpdesk'] },
  oscar: { sub: '1002', name: 'Oscar Lind', email: 'oscar@acme.com', email_verified: true, groups: ['acme-video-admins'] },
  unverified: { sub: '1003', name: 'Not Alice', email: 'alice.olsen@example.com', email_verified: false, groups: [] },
  alice: { sub: '1004', name: 'Alice Olsen', email: 'alice.olsen@example.com', email_verified: true, groups: [] },
};
const byUsername = (username) => (Object.hasOwn(accounts, username) ? accounts[username] : undefined);
const bySub = (sub) => Object.entries(accounts).find(([, account]) => account.sub === sub);

const list = (value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const redirectUris = list(process.env.OIDC_REDIRECT_URIS);
if (redirectUris.length === 0) {
  console.error('OIDC_REDIRECT_URIS is required (comma-separated callback URLs)');
  process.exit(2);
}
const postLogoutUris = list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS);
if (postLogoutUris.length === 0) {
  for (const origin of new Set(redirectUris.map((uri) => new URL(uri).origin))) {
    postLogoutUris.push(`${origin}/`, `${origin}/login`);
  }
}

let generation = 0;
const newKeys = () => {
  generation += 1;
  const jwk = (type, options, kid, alg) => ({
    ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig',
  });
  return [
    jwk('rsa', { modulusLength: 2048 }, `rsa-${generation}`, 'RS256'),
    jwk('ec', { namedCurve: 'P-256' }, `ec-${generation}`, 'ES256'),
  ];
};

const configuration = (keys) => ({
  clients: [
    { client_id: 'portal', client_secret: 'portal-secret', id_token_signed_response_alg: 'RS256' },
    { client_id: 'portal-two', client_secret: 'portal-two-secret', id_token_signed_response_alg: 'ES256' },
  ].map((client) => ({
    ...client,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys },
  pkce: { required: () => true },
  // The scopes' claims go into the ID token (the portal does not call userinfo).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'groups'],
  },
  async findAccount(ctx, sub) {
    const found = bySub(sub);
    if (!found) return undefined;
    const [username, account] = found;
    return {
      accountId: sub,
      async claims() {
        return {
          sub, name: account.name, preferred_username: username, email: account.email,
          email_verified: account.email_verified, groups: [...account.groups],
        };
      },
    };
  },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The same keys for every provider instance, so sessions survive a key rotation.
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
});

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginForm = (uid, error) => page('Test provider sign-in', `
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label for="login">Account</label>
  <input id="login" name="login" required autofocus autocomplete="off">
  <button type="submit">Sign in</button>
</form>
<p>Accounts: ${Object.keys(accounts).join(', ')}. No password.</p>
<p><a href="/interaction/${uid}/abort">Cancel</a></p>`);

const body = (req) => new Promise((resolve, reject) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { text += chunk; });
  req.on('end', () => resolve(text));
  req.on('error', reject);
});
const send = (res, status, type, text) => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
};

let provider; // replaced by /_test/rotate
let handler; // provider.callback()
let previousKeys = [];
const install = (keys) => {
  provider = new Provider(issuer, configuration(keys));
  handler = provider.callback();
};

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, 'text/plain', 'interaction mismatch');
  if (action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the person cancelled',
    }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') {
    if (action !== 'login' || req.method !== 'POST') return send(res, 200, 'text/html', loginForm(uid));
    const username = new URLSearchParams(await body(req)).get('login')?.trim() ?? '';
    const account = byUsername(username);
    if (!account) return send(res, 200, 'text/html', loginForm(uid, `No account "${username}".`));
    return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, {
      mergeWithLastSubmission: false,
    });
  }
  if (details.prompt.name === 'consent') {
    // Granted automatically: everything the client asked for.
    const { params, session, grantId, prompt: { details: missing } } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
  }
  return send(res, 501, 'text/plain', `unexpected prompt ${details.prompt.name}`);
}

async function testRoute(req, res, path) {
  if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
  const groups = path.match(/^\/_test\/groups\/([^/]+)$/);
  if (groups) {
    const account = byUsername(decodeURIComponent(groups[1]));
    if (!account) return send(res, 404, 'text/plain', 'no such account');
    const input = JSON.parse((await body(req)) || '{}');
    if (!Array.isArray(input.groups) || !input.groups.every((g) => typeof g === 'string')) {
      return send(res, 400, 'text/plain', 'expected {"groups": ["…"]}');
    }
    account.groups = input.groups;
    return send(res, 200, 'application/json', JSON.stringify({ groups: account.groups }));
  }
  if (path === '/_test/rotate') {
    // oidc-provider's keys are fixed at construction: a new instance signs with the new keys
    // and still publishes the previous ones. Sessions, codes and grants live in the in-memory
    // adapter shared by all instances, so sign-ins in progress carry on.
    const keys = newKeys();
    const published = [...keys, ...previousKeys];
    previousKeys = keys;
    install(published);
    return send(res, 200, 'application/json', JSON.stringify({ kids: published.map((k) => k.kid) }));
  }
  return send(res, 404, 'text/plain', 'no such test route');
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  try {
    const match = path.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
    if (match) return await interaction(req, res, match[1], match[2]);
    if (path.startsWith('/_test/')) return await testRoute(req, res, path);
    return handler(req, res);
  } catch (error) {
    console.error(`${req.method} ${path}: ${error.message}`);
    if (!res.headersSent) send(res, 400, 'text/plain', `error: ${error.message}`);
  }
});

const port = Number(process.env.OIDC_PORT ?? 4010);
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
previousKeys = newKeys();
install(previousKeys);
console.log(`oidc test provider ready at ${issuer}`);

import { test, expect } from '@playwright/test';

const COMMON = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function expectStrictCsp(csp: string | undefined) {
  expect(csp, 'content-security-policy header').toBeDefined();
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
}

for (const path of ['/', '/login', '/healthz', '/readyz', 'stylesheet', '/favicon.ico', '/no-such-page']) {
  test(`security headers on ${path}`, async ({ request }) => {
    let url = path;
    if (path === 'stylesheet') {
      // The stylesheet's name carries a content hash: the one the sign-in page links.
      const html = await (await request.get('/login')).text();
      url = /<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(url).toMatch(/^\/pkg\/pexip-portal\.[A-Za-z0-9_-]{22}\.css$/);
    }
    const response = await request.get(url);
    expect(response.status(), url).toBeLessThan(500);
    const headers = response.headers();
    for (const [name, value] of Object.entries(COMMON)) expect(headers[name], name).toBe(value);
    expectStrictCsp(headers['content-security-policy']);
  });
}

test('pages allow exactly their own inline script by nonce', async ({ request }) => {
  const response = await request.get('/');
  const csp = response.headers()['content-security-policy'];
  const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
  expect(nonce, 'a nonce in the policy').toBeTruthy();
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce for every response.
  const again = (await request.get('/')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);
});

test('/healthz answers with status and version', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const body = await response.json();
  expect(body.status).toBe('ok');
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test('/readyz reports readiness', async ({ request }) => {
  const response = await request.get('/readyz');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe('ready');
  // The e2e portal has a directory (playwright.config.ts): reported with the others.
  expect(body.checks).toEqual({ database: 'ok', directory: 'ok', pexip: 'ok' });
});

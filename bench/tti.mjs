// Time to interactive of `/rooms` for a signed-in end user in Chromium on a throttled phone:
// network "Fast 3G" as Chrome DevTools defines it (562.5 ms latency, 180,000 B/s down, 84,375 B/s
// up) and the CPU slowed 4x (CDP `Network.emulateNetworkConditions`,
// `Emulation.setCPUThrottlingRate`). Each run is a fresh browser context (cold cache).
//
// Interactive = the room cards have been hydrated (`#room-cards[data-hydrated="true"]`, set by
// the cards' effect once the wasm has taken them over), timed from the navigation's start by a
// MutationObserver installed before any of the page's scripts. Also reported: first contentful
// paint, and the bytes on the wire (encoded) per resource type.
//
// Usage (bench/tti.sh starts the server and makes the account and rooms):
//   node bench/tti.mjs <base URL> <username> <password> [runs]
import { chromium } from '@playwright/test';

const [base, username, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 180000, uploadThroughput: 84375 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // Signed in before the measured load (the session cookie lands in the context).
    const login = await context.request.post('/api/auth/login', { form: { username, password, next: '/rooms' }, maxRedirects: 0 });
    if (login.status() >= 400) throw new Error(`sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    await page.addInitScript(() => {
      const marks = (window.__marks = {});
      new MutationObserver(() => {
        if (!marks.hydrated && document.documentElement.dataset.hydrated === 'true') marks.hydrated = performance.now();
        if (!marks.cards && document.querySelector('#room-cards[data-hydrated="true"]')) marks.cards = performance.now();
      }).observe(document, { attributes: true, childList: true, subtree: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const types = new Map();
    const bytes = {};
    const encodings = {};
    cdp.on('Network.responseReceived', (e) => {
      types.set(e.requestId, e.type);
      const enc = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'];
      const name = e.response.url.split('/').pop().split('?')[0] || e.response.url;
      if (e.type !== 'Document') encodings[name] = enc ?? 'identity';
    });
    cdp.on('Network.loadingFinished', (e) => {
      const type = types.get(e.requestId) ?? 'Other';
      bytes[type] = (bytes[type] ?? 0) + e.encodedDataLength;
    });

    await page.goto('/rooms', { waitUntil: 'commit', timeout: 180_000 });
    await page.waitForSelector('#room-cards[data-hydrated="true"]', { state: 'attached', timeout: 180_000 });
    const marks = await page.evaluate(() => ({
      ...window.__marks,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      cardCount: document.querySelectorAll('[data-room-card]').length,
    }));
    if (!marks.cardCount) throw new Error('no room cards on /rooms');
    results.push(marks);
    const kb = Object.entries(bytes).map(([t, b]) => `${t} ${(b / 1024).toFixed(1)} KiB`).join(', ');
    console.log(`run ${run + 1}: interactive ${marks.cards.toFixed(0)} ms, hydrated ${marks.hydrated.toFixed(0)} ms, FCP ${marks.fcp?.toFixed(0)} ms; ${marks.cardCount} cards; on the wire: ${kb}`);
    if (run === 0) console.log(`  content encodings: ${JSON.stringify(encodings)}`);
    await context.close();
  }
} finally {
  await browser.close();
}

const stat = (key) => {
  const v = results.map((r) => r[key]).filter((x) => x !== undefined).sort((a, b) => a - b);
  const m = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return `median ${(m / 1000).toFixed(2)} s (min ${(v[0] / 1000).toFixed(2)}, max ${(v[v.length - 1] / 1000).toFixed(2)}, n=${v.length})`;
};
console.log(`time to interactive (room cards hydrated): ${stat('cards')}`);
console.log(`first contentful paint: ${stat('fcp')}`);

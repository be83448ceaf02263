import { test as base, expect, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from '../playwright.config';

export { ADMIN_PASSWORD };

/** Collects console errors and uncaught exceptions of a page; the test fails on any. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await use(errors);
    expect(errors, 'the page logged errors').toEqual([]);
  },
});

export { expect };

/** Waits until the wasm bundle has hydrated the page (the app marks <html>). */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** Signs in through the login page and waits for the signed-in layout. */
export async function signIn(page: Page, username = 'admin', password = ADMIN_PASSWORD, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#current-user')).toHaveText(username);
}

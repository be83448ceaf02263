import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from './fixtures';

// The rooms pages at a laptop width (1280 px) and a phone width (390 px): the page itself never
// scrolls sideways (wide tables scroll inside their own box), and the main controls stay on
// screen and usable.

const WIDTHS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

/** Creates a room (signed in as admin) and returns its id. */
async function newRoom(page: Page): Promise<number> {
  const name = `width ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const response = await page.request.post('/api/rooms/create', {
    data: { fields: { name, pin: '1234', aliases: [{ alias: `${name.replace(' ', '-')}@example.com` }] } },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

/**
 * The elements that stick out of the window on the right (empty when the page does not scroll
 * sideways), described by tag, id and classes so a failure names the culprit. Elements inside a
 * box that scrolls on its own (`overflow-x: auto`) do not count.
 */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    return Array.from(document.body.querySelectorAll('*'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${String(el.className).split(' ').join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
}

/** Asserts `locator`'s box lies within the window's width. */
async function withinWidth(page: Page, selector: string, width: number) {
  const box = await page.locator(selector).first().boundingBox();
  expect(box, `${selector} is laid out`).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width + 1);
}

for (const { name, width, height } of WIDTHS) {
  test.describe(`at ${name} width (${width} px)`, () => {
    test.use({ viewport: { width, height } });

    test('the rooms list fits and its search works', async ({ page }) => {
      await signIn(page, 'admin', undefined, '/rooms');
      await page.goto('/rooms');
      await hydrated(page);
      await expect(page.locator('tbody tr').first()).toBeVisible();
      expect(await sidewaysOverflow(page)).toEqual([]);
      const search = page.locator('#rooms-name');
      await withinWidth(page, 'main h1', width);
      await expect(search).toBeVisible();
      await expect(search).toBeInViewport();
    });

    test('a room form fits and its save button can be reached', async ({ page }) => {
      await signIn(page, 'admin');
      const id = await newRoom(page);
      await page.goto(`/rooms/${id}`);
      await hydrated(page);
      const save = page.getByRole('button', { name: 'Save changes' });
      await expect(save).toBeVisible();
      expect(await sidewaysOverflow(page)).toEqual([]);
      await save.scrollIntoViewIfNeeded();
      await expect(save).toBeInViewport();
      await withinWidth(page, 'main h1', width);
    });

    test('the new room form and the import page fit', async ({ page }) => {
      await signIn(page, 'admin');
      for (const path of ['/rooms/new?type=conference', '/rooms/import']) {
        await page.goto(path);
        await hydrated(page);
        await expect(page.locator('main h1')).toBeVisible();
        expect(await sidewaysOverflow(page), path).toEqual([]);
      }
    });
  });
}

// The partner portal in a real headless Chromium against the real services: sign in, customers,
// users (paging, search, selection across pages), manage licenses (mixed state, plans, buy more,
// preview), save with live progress, the report (successes and errors, filter, CSV, retry), jobs;
// every page checked with axe-core and operated by keyboard where it matters.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  chromiumPath,
  launchChromium,
  startPortalSystem,
  waitForJob,
  type PortalSystem,
} from './system.ts';

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));

// Without Chromium a developer's run skips these; CI installs it (.ci/run) and must not skip.
const run = chromiumAvailable || process.env.CI ? describe : describe.skip;

run(`partner portal in Chromium (${chromiumPath})`, () => {
  let system: PortalSystem;
  let browser: Browser;
  let customerId: string;
  const ids = new Map<string, string>(); // displayName → user id

  beforeAll(async () => {
    system = await startPortalSystem();
    browser = await launchChromium();
    const customer = await system.api('POST', '/v1/customers', { name: 'Fabrikam', country: 'US' });
    customerId = customer.body.id;
    const users = Array.from({ length: 130 }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return {
        userPrincipalName: `user${n}@fabrikam.example`,
        displayName: `User ${n}`,
        ...(n === '060' ? { usageLocation: 'CN' } : {}),
      };
    });
    const batch = await system.api('POST', `/v1/customers/${customerId}/users/batch`, { users });
    for (const user of batch.body.items) ids.set(user.displayName, user.id);
    for (const [productId, quantity] of [
      ['SPE_E3', 50],
      ['EMS', 20],
      ['VISIOCLIENT', 1],
    ] as const) {
      const res = await system.api('PUT', `/v1/customers/${customerId}/subscriptions/${productId}`, { quantity });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Before the partner arrives: User 001 holds Microsoft 365 E3, User 100 the only Visio seat.
    const setup = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
      userIds: [ids.get('User 001')],
      assign: [{ productId: 'SPE_E3' }],
    });
    expect(setup.status, JSON.stringify(setup.body)).toBe(202);
    await waitForJob(system, customerId, setup.body.id);
    const visio = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
      userIds: [ids.get('User 100')],
      assign: [{ productId: 'VISIOCLIENT' }],
    });
    await waitForJob(system, customerId, visio.body.id);
    await mkdir(docsDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    return { page, problems };
  }

  async function signIn(page: Page) {
    await page.goto(system.portalUrl);
    await page.getByLabel('API key').fill(system.partnerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
  }

  async function expectAccessible(page: Page, what: string) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      serious.map(
        (v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
  }

  it('signs in with an API key kept in the tab only, and refuses a wrong one with a clear message', async () => {
    const { page, problems } = await newPage();
    await page.goto(system.portalUrl);
    await expectAccessible(page, 'sign in');
    await page.getByLabel('API key').fill('lsk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not accepted/);

    // Keyboard only: the field has focus, Enter submits.
    await page.getByLabel('API key').fill('');
    await page.getByLabel('API key').focus();
    await page.keyboard.type(system.partnerKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    expect(page.url()).not.toContain(system.partnerKey);
    expect(await page.evaluate('JSON.stringify(localStorage) + document.cookie')).not.toContain(system.partnerKey);
    expect(await page.evaluate('Object.values(sessionStorage).join()')).toContain(system.partnerKey);
    await expectAccessible(page, 'customers');

    // A new tab of another session is signed out.
    const other = await newPage();
    await other.page.goto(`${system.portalUrl}/customers/${customerId}/users`);
    await other.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
    await other.page.context().close();
  });

  it('pages, searches and keeps a selection across pages and searches', async () => {
    const { page, problems } = await newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await expect.poll(() => page.getByText(/Page 1 of 3/).count()).toBe(1);
    await page.getByRole('checkbox', { name: 'User 001' }).check();
    await page.getByRole('checkbox', { name: 'User 004' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: 'User 060' }).check();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('3 selected');
    await page.getByRole('button', { name: 'Last' }).click();
    await page.getByRole('checkbox', { name: 'User 130' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('33 selected');
    await page.getByRole('checkbox', { name: 'Select all on this page' }).uncheck();
    await page.getByRole('button', { name: 'First' }).click();
    expect(await page.getByRole('checkbox', { name: 'User 001' }).isChecked()).toBe(true);

    // A search keeps the selection; the row of a selected user found again is ticked.
    await page.getByRole('searchbox').fill('User 06');
    await page.getByRole('checkbox', { name: 'User 069' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'User 060' }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('3 selected');

    // The panel lists whom you picked; each can be removed.
    const panel = page.getByRole('region', { name: 'Selected users' });
    expect(await panel.getByText('user004@fabrikam.example').count()).toBe(1);
    await panel.getByRole('button', { name: 'Remove User 004' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('2 selected');

    // Keyboard: tab to a row's checkbox and press Space.
    await page.getByRole('checkbox', { name: 'User 061' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('3 selected');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('2 selected');
    await expectAccessible(page, 'users');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

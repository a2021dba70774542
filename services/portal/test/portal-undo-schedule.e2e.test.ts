// Undo and scheduled changes in the portal, in a real headless Chromium against the real services:
// "Undo this change" on a report shows what undoing would do and whom it leaves alone, then undoes;
// "Schedule for…" next to Save takes a date and time in the browser's time zone and shows it back in
// it; scheduled jobs are listed with Cancel. In English and in Russian, every page checked with axe.
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

const run = chromiumAvailable || process.env.CI ? describe : describe.skip;
const TIME_ZONE = 'Asia/Tokyo'; // UTC+9 all year: the wall-clock time typed is known in UTC

run(`undo and scheduled changes in the portal (${chromiumPath})`, () => {
  let system: PortalSystem;
  let browser: Browser;
  let customerId: string;
  const ids = new Map<string, string>(); // displayName → user id

  beforeAll(async () => {
    system = await startPortalSystem();
    browser = await launchChromium();
    const customer = await system.api('POST', '/v1/customers', { name: 'Fabrikam', country: 'US' });
    customerId = customer.body.id;
    const users = Array.from({ length: 12 }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return { userPrincipalName: `user${n}@fabrikam.example`, displayName: `User ${n}` };
    });
    const batch = await system.api('POST', `/v1/customers/${customerId}/users/batch`, { users });
    for (const user of batch.body.items) ids.set(user.displayName, user.id);
    const res = await system.api('PUT', `/v1/customers/${customerId}/subscriptions/SPE_E3`, { quantity: 20 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function newPage(locale: 'en-US' | 'ru-RU') {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale, timezoneId: TIME_ZONE });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.goto(system.portalUrl);
    await page.getByLabel(locale === 'ru-RU' ? 'Ключ API' : 'API key').fill(system.partnerKey);
    await page.getByRole('button', { name: locale === 'ru-RU' ? 'Войти' : 'Sign in' }).click();
    await page.getByRole('heading', { name: locale === 'ru-RU' ? 'Клиенты' : 'Customers', exact: true }).waitFor();
    return { page, problems };
  }

  async function expectAccessible(page: Page, what: string) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    // Fluent UI's focus manager (tabster) puts focus sentinels, aria-hidden and focusable on purpose
    // (microsoft/tabster#288); Accessibility Insights suppresses them the same way.
    const isTabsterSentinel = (html: string) => html.startsWith('<i') && html.includes('data-tabster-dummy');
    const serious = violations
      .map((v) =>
        v.id === 'aria-hidden-focus' ? { ...v, nodes: v.nodes.filter((n) => !isTabsterSentinel(n.html)) } : v,
      )
      .filter((v) => (v.impact === 'serious' || v.impact === 'critical') && v.nodes.length > 0);
    expect(
      serious.map(
        (v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
  }

  /** A finished job of the API (setup), by user display names. */
  async function finishedJob(users: string[], change: Record<string, unknown>): Promise<string> {
    const res = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
      userIds: users.map((u) => ids.get(u)),
      ...change,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await waitForJob(system, customerId, res.body.id);
    return res.body.id;
  }

  async function heldE3(): Promise<string[]> {
    const rows = await system.env.sql<{ display_name: string }[]>`
      SELECT u.display_name FROM user_licenses l JOIN users u ON u.customer_id = l.customer_id AND u.id = l.user_id
      WHERE l.customer_id = ${customerId} AND l.product_id = 'SPE_E3' ORDER BY u.display_name`;
    return rows.map((r) => r.display_name);
  }

  it('undoes a finished change after showing what it will do and whom it leaves alone', async () => {
    const job = await finishedJob(['User 001', 'User 002', 'User 003'], { assign: [{ productId: 'SPE_E3' }] });
    // User 001's license changes after the job: undo leaves it alone.
    await finishedJob(['User 001'], { assign: [{ productId: 'SPE_E3', disabledServicePlans: ['TEAMS1'] }] });
    const { page, problems } = await newPage('en-US');
    await page.goto(`${system.portalUrl}/customers/${customerId}/jobs/${job}`);
    await page.getByRole('heading', { name: 'Licenses updated' }).waitFor();
    await page.getByRole('button', { name: 'Undo this change' }).click();
    const panel = page.getByRole('region', { name: 'What undo will do' });
    await panel.waitFor();
    await panel.getByText('Remove 2 licenses this change assigned').waitFor();
    await panel.getByText('1 user is left alone: its license changed after this change.').waitFor();
    expect(await panel.getByRole('list', { name: 'Users left alone' }).textContent()).toContain('User 001');
    await expectAccessible(page, 'undo preview');
    expect(await heldE3()).toEqual(['User 001', 'User 002', 'User 003']);

    await panel.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByRole('heading', { name: 'Licenses updated' }).waitFor();
    await page.getByText('an undo of').waitFor();
    await expect.poll(heldE3).toEqual(['User 001']);
    await expectAccessible(page, 'undo report');
    expect(problems).toEqual([]);
  });

  it('schedules a change for a date and time in the browser’s time zone, lists it, and cancels it', async () => {
    const { page, problems } = await newPage('en-US');
    await page.goto(`${system.portalUrl}/customers/${customerId}/users`);
    await page.getByRole('checkbox', { name: 'User 005' }).check();
    await page.getByRole('checkbox', { name: 'User 006' }).check();
    await page.getByRole('button', { name: 'Manage licenses' }).click();
    const e3 = page.getByRole('group', { name: 'Microsoft 365 E3' });
    await e3.getByRole('checkbox', { name: 'Microsoft 365 E3', exact: true }).check();

    // Two days ahead, on the minute; typed as Tokyo's wall-clock time (UTC+9).
    const at = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 60_000) * 60_000);
    const tokyo = new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
    await page.getByRole('button', { name: 'Schedule for…' }).click();
    const field = page.getByLabel(`Start at (your time zone, ${TIME_ZONE})`);
    await field.fill('2020-01-01T10:00');
    await page.getByText('Pick a time in the future.').waitFor();
    await field.fill(tokyo);
    await page.getByText(/^Will start on .* \(Asia\/Tokyo\)\. Licenses are reserved when you save\.$/).waitFor();
    await expectAccessible(page, 'manage licenses, scheduling');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();

    await page.getByRole('heading', { name: 'Scheduled change' }).waitFor();
    await page.getByText(`(your time zone, ${TIME_ZONE})`, { exact: false }).waitFor();
    const jobId = page.url().split('/').pop()!;
    const { body: job } = await system.api('GET', `/v1/customers/${customerId}/license-jobs/${jobId}`);
    expect(job).toMatchObject({ status: 'scheduled', notBefore: at.toISOString() });
    // Shown back in Tokyo's time: the hour typed, not the UTC hour.
    const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
    await page.getByText(shown.format(at), { exact: false }).first().waitFor();
    await expectAccessible(page, 'scheduled job');
    const { body: subscriptions } = await system.api('GET', `/v1/customers/${customerId}/subscriptions`);
    expect(subscriptions.items.find((s: { productId: string }) => s.productId === 'SPE_E3')).toMatchObject({
      reserved: 2,
    });

    await page.goto(`${system.portalUrl}/customers/${customerId}/jobs`);
    const row = page.getByRole('row').filter({ hasText: 'Starts on' });
    await row.getByText('Scheduled', { exact: true }).waitFor();
    await expectAccessible(page, 'jobs with a scheduled one');
    await row
      .getByRole('button', { name: /^Cancel the scheduled change: Assign Microsoft 365 E3 for 2 users/ })
      .click();
    await page.getByRole('row').filter({ hasText: 'Cancelled' }).first().waitFor();
    expect((await system.api('GET', `/v1/customers/${customerId}/license-jobs/${jobId}`)).body.status).toBe(
      'cancelled',
    );
    const { body: after } = await system.api('GET', `/v1/customers/${customerId}/subscriptions`);
    expect(after.items.find((s: { productId: string }) => s.productId === 'SPE_E3')).toMatchObject({ reserved: 0 });
    expect(problems).toEqual([]);
  });

  it('speaks Russian: the undo preview, a scheduled change and its cancel', async () => {
    const job = await finishedJob(['User 010', 'User 011'], { assign: [{ productId: 'SPE_E3' }] });
    const notBefore = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const scheduled = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
      userIds: [ids.get('User 012')],
      assign: [{ productId: 'SPE_E3' }],
      notBefore,
    });
    expect(scheduled.body.status).toBe('scheduled');
    const { page, problems } = await newPage('ru-RU');

    await page.goto(`${system.portalUrl}/customers/${customerId}/jobs/${job}`);
    await page.getByRole('button', { name: 'Отменить это изменение' }).click();
    const panel = page.getByRole('region', { name: 'Что сделает отмена' });
    await panel.getByText('Удалить 2 лицензии, назначенные этим изменением').waitFor();
    await expectAccessible(page, 'undo preview (ru)');
    await panel.getByRole('button', { name: 'Оставить как есть' }).click();
    await page.getByRole('button', { name: 'Отменить это изменение' }).waitFor();

    await page.goto(`${system.portalUrl}/customers/${customerId}/jobs/${scheduled.body.id}`);
    await page.getByRole('heading', { name: 'Запланированное изменение' }).waitFor();
    await page.getByText(`(ваш часовой пояс: ${TIME_ZONE})`, { exact: false }).waitFor();
    await expectAccessible(page, 'scheduled job (ru)');
    await page.getByRole('button', { name: 'Отменить запланированное изменение' }).click();
    await page.getByRole('heading', { name: 'Лицензии обновлены' }).waitFor();
    expect((await system.api('GET', `/v1/customers/${customerId}/license-jobs/${scheduled.body.id}`)).body.status).toBe(
      'cancelled',
    );
    expect(problems).toEqual([]);
  });
});

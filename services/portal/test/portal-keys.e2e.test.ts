/// <reference lib="dom" />
// Callbacks of page.evaluate run in the browser: they see the DOM's globals.
// API keys in the portal, in a real headless Chromium against the real services: the Keys page
// (presets named after Partner Center's agent roles, custom permissions, customer limits, expiry),
// the secret shown once with a copy button, revocation after a confirmation; who is signed in on
// every page; a read-only key walks the seed's flow up to Save and is told it may not save, with
// nothing changed; a key limited to one customer sees only that one. In English and in Russian,
// every page checked with axe-core.
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
const run = chromiumAvailable || process.env.CI ? describe : describe.skip;

interface KeyRow {
  id: string;
  name: string;
  scopes: string[];
  customerIds: string[] | null;
  expiresAt: string | null;
}

run(`API keys in the partner portal (${chromiumPath})`, () => {
  let system: PortalSystem;
  let browser: Browser;
  let fabrikam: string;
  let northwind: string;
  /** The read-only key the first test creates in the portal. */
  let readOnly: string;

  beforeAll(async () => {
    system = await startPortalSystem();
    browser = await launchChromium();
    fabrikam = (await system.api('POST', '/v1/customers', { name: 'Fabrikam', country: 'US' })).body.id;
    northwind = (await system.api('POST', '/v1/customers', { name: 'Northwind', country: 'US' })).body.id;
    const users = Array.from({ length: 5 }, (_, i) => ({
      userPrincipalName: `user${i + 1}@fabrikam.example`,
      displayName: `User ${i + 1}`,
    }));
    const batch = await system.api('POST', `/v1/customers/${fabrikam}/users/batch`, { users });
    expect(batch.status).toBe(201);
    expect((await system.api('PUT', `/v1/customers/${fabrikam}/subscriptions/SPE_E3`, { quantity: 10 })).status).toBe(
      200,
    );
    const job = await system.api('POST', `/v1/customers/${fabrikam}/license-jobs`, {
      userIds: [batch.body.items[0].id],
      assign: [{ productId: 'SPE_E3' }],
    });
    expect(job.status).toBe(202);
    await waitForJob(system, fabrikam, job.body.id);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function newPage(locale = 'en-US'): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.portalUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    return { page, problems };
  }

  async function signIn(page: Page, apiKey: string, words = { key: 'API key', signIn: 'Sign in', home: 'Customers' }) {
    await page.goto(system.portalUrl);
    await page.getByLabel(words.key).fill(apiKey);
    await page.getByRole('button', { name: words.signIn }).click();
    await page.getByRole('heading', { name: words.home, exact: true }).waitFor();
  }

  async function expectAccessible(page: Page, what: string) {
    // A dialog fades in: its colours are judged once the animation has ended.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
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

  const keysOfPartner = async () => (await system.api<KeyRow[]>('GET', '/v1/keys')).body;
  const jobsOf = async (customerId: string) =>
    (await system.api('GET', `/v1/customers/${customerId}/license-jobs`)).body.total as number;

  it('creates keys by Partner Center role or with chosen customers and expiry, shows each secret once with a copy button, and revokes after a confirmation', async () => {
    const { page, problems } = await newPage();
    await signIn(page, system.partnerKey);
    const header = page.getByRole('banner');
    await header.getByText('Signed in as Operator-issued key').waitFor();
    expect(await header.getByText('Admin agent').count()).toBe(1);
    await header.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'API keys of the partner' });
    expect(await table.getByRole('row').filter({ hasText: 'Operator-issued key' }).textContent()).toMatch(
      /This key.*Admin agent.*All customers.*Never/,
    );
    await expectAccessible(page, 'keys');

    // A read-only key, the preset chosen when the dialog opens.
    await page.getByRole('button', { name: 'Create key' }).click();
    let dialog = page.getByRole('dialog');
    for (const role of ['Admin agent', 'Helpdesk agent', 'Sales agent', 'Read-only', 'Custom'])
      await dialog.getByRole('radio', { name: new RegExp(`^${role} — `) }).waitFor();
    expect(await dialog.getByRole('radio', { name: /^Read-only — / }).isChecked()).toBe(true);
    await expectAccessible(page, 'create key');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('Give the key a name.').waitFor();
    await dialog.getByLabel('Name').fill('Nightly report');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Key “Nightly report” created' }).waitFor();
    await dialog.getByText(/shown only this once/).waitFor();
    const readOnlyKey = await dialog.getByLabel('API key').inputValue();
    expect(readOnlyKey).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(readOnlyKey);
    await expectAccessible(page, 'key created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Shown once: nowhere on the page any more.
    expect(await page.content()).not.toContain(readOnlyKey);
    expect(await table.getByRole('row').filter({ hasText: 'Nightly report' }).textContent()).toMatch(
      /Read-only.*All customers.*Never.*Not used yet/,
    );

    // A helpdesk agent for Fabrikam only, until a date.
    await page.getByRole('button', { name: 'Create key' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Fabrikam helpdesk');
    await dialog.getByRole('radio', { name: /^Helpdesk agent — / }).check();
    await dialog.getByRole('radio', { name: 'Only these customers' }).check();
    await dialog.getByRole('checkbox', { name: 'Fabrikam' }).check();
    await dialog.getByLabel('Expires on (optional)').fill('2031-03-15');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByRole('heading', { name: 'Key “Fabrikam helpdesk” created' }).waitFor();
    const helpdeskKey = await dialog.getByLabel('API key').inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await table.getByRole('row').filter({ hasText: 'Fabrikam helpdesk' }).textContent()).toMatch(
      /Helpdesk agent.*Fabrikam.*2031/,
    );

    // Custom permissions.
    await page.getByRole('button', { name: 'Create key' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Billing and users');
    await dialog.getByRole('radio', { name: /^Custom — / }).check();
    await dialog.getByRole('checkbox', { name: 'Change subscriptions (buy more)' }).check();
    await dialog.getByRole('checkbox', { name: 'Manage customers and users' }).check();
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByRole('heading', { name: 'Key “Billing and users” created' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const keys = await keysOfPartner();
    expect(keys.find((k) => k.name === 'Nightly report')).toMatchObject({ scopes: ['read'], customerIds: null });
    const helpdesk = keys.find((k) => k.name === 'Fabrikam helpdesk')!;
    expect(helpdesk).toMatchObject({ scopes: ['read', 'licenses:write'], customerIds: [fabrikam] });
    expect(helpdesk.expiresAt).toMatch(/^2031-03-1[56]T/);
    expect(keys.find((k) => k.name === 'Billing and users')).toMatchObject({
      scopes: ['read', 'users:write', 'subscriptions:write'],
      customerIds: null,
    });
    await page.screenshot({ path: `${docsDir}portal-keys.png`, fullPage: true });

    // Revoke: nothing happens without the confirmation.
    const row = table.getByRole('row').filter({ hasText: 'Billing and users' });
    await row.getByRole('button', { name: 'Revoke Billing and users' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText(/loses access at once/).waitFor();
    await expectAccessible(page, 'revoke key');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await keysOfPartner()).map((k) => k.name)).toContain('Billing and users');
    await row.getByRole('button', { name: 'Revoke Billing and users' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('The key “Billing and users” was revoked.').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    expect((await keysOfPartner()).map((k) => k.name)).not.toContain('Billing and users');

    // The helpdesk key sees its one customer only, and may save license changes there.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, helpdeskKey);
    await header.getByText('Signed in as Fabrikam helpdesk').waitFor();
    expect(await header.getByText('Helpdesk agent · 1 customer').count()).toBe(1);
    expect(await header.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Fabrikam' }).waitFor();
    expect(await page.getByRole('link', { name: 'Northwind' }).count()).toBe(0);
    await page.goto(`${system.portalUrl}/customers/${northwind}/users`);
    await page.getByRole('alert').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();

    // The read-only key from above signs in (the next test).
    readOnly = readOnlyKey;
  });

  it('lets a read-only key walk the seed flow up to Save, and says why it may not save, edit or manage keys; nothing changes', async () => {
    expect(readOnly).toBeTruthy();
    const jobsBefore = await jobsOf(fabrikam);
    const { page, problems } = await newPage();
    await signIn(page, readOnly);
    const header = page.getByRole('banner');
    await header.getByText('Signed in as Nightly report').waitFor();
    expect(await header.getByText('Read-only').count()).toBe(1);
    expect(await header.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await expectAccessible(page, 'read-only customers');

    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    // Editing a user needs "Manage customers and users": disabled, still focusable, with the reason.
    const edit = page.getByRole('button', { name: 'Edit User 2' });
    expect(await edit.getAttribute('aria-disabled')).toBe('true');
    await edit.focus();
    await expect
      .poll(() => page.getByRole('tooltip').textContent())
      .toBe(
        'The key “Nightly report” you signed in with does not have the permission “Manage customers and users”, so this is turned off. Ask for a key that has it.',
      );
    await page.getByRole('checkbox', { name: 'User 2' }).check();
    await page.getByRole('checkbox', { name: 'User 3' }).check();
    await expectAccessible(page, 'read-only users');
    await page.getByRole('button', { name: 'Manage licenses' }).click();

    const e3 = page.getByRole('group', { name: 'Microsoft 365 E3' });
    const e3Box = e3.getByRole('checkbox', { name: 'Microsoft 365 E3', exact: true });
    await e3Box.check();
    expect(await e3Box.isChecked()).toBe(true);
    // Preview only reads: it answers.
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Preview' }).waitFor();
    // Save does not: disabled, with the reason on the page and in its tooltip.
    const save = page.getByRole('button', { name: 'Save' });
    expect(await save.getAttribute('aria-disabled')).toBe('true');
    const reason =
      'The key “Nightly report” you signed in with does not have the permission “Assign and remove licenses”, so this is turned off. Ask for a key that has it.';
    await page.getByText(reason).first().waitFor();
    await save.focus();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toBe(reason);
    await save.click({ force: true });
    await expectAccessible(page, 'read-only manage licenses');
    await page.screenshot({ path: `${docsDir}portal-read-only-save.png`, fullPage: true });
    expect(new URL(page.url()).pathname).toMatch(/\/licenses$/);
    expect(await jobsOf(fabrikam)).toBe(jobsBefore);

    // The Keys page, reached by its address, says why there is nothing to do.
    await page.goto(`${system.portalUrl}/keys`);
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    await page.getByText(/does not have the permission “Manage API keys”/).waitFor();
    expect(await page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await expectAccessible(page, 'read-only keys');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('speaks Russian: who is signed in, the Keys page with the Partner Center roles, and why a read-only key may not save', async () => {
    const { page, problems } = await newPage('ru-RU');
    const ru = { key: 'Ключ API', signIn: 'Войти', home: 'Клиенты' };
    await signIn(page, system.partnerKey, ru);
    const header = page.getByRole('banner');
    await header.getByText('Вход выполнен: Operator-issued key').waitFor();
    expect(await header.getByText('Агент администратора').count()).toBe(1);
    await header.getByRole('link', { name: 'Ключи API' }).click();
    await page.getByRole('heading', { name: 'Ключи API', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Создать ключ' }).click();
    const dialog = page.getByRole('dialog');
    for (const role of ['Агент администратора', 'Агент службы поддержки', 'Агент по продажам', 'Только чтение'])
      await dialog.getByRole('radio', { name: new RegExp(`^${role} — `) }).waitFor();
    await expectAccessible(page, 'ru create key');
    await dialog.getByLabel('Имя').fill('Отчеты');
    await dialog.getByRole('button', { name: 'Создать', exact: true }).click();
    await dialog.getByText(/показывается только один раз/).waitFor();
    const key = await dialog.getByLabel('Ключ API').inputValue();
    await dialog.getByRole('button', { name: 'Копировать' }).click();
    await dialog.getByRole('button', { name: 'Скопировано' }).waitFor();
    await dialog.getByRole('button', { name: 'Готово' }).click();
    expect(
      await page
        .getByRole('table', { name: 'Ключи API партнера' })
        .getByRole('row')
        .filter({ hasText: 'Отчеты' })
        .textContent(),
    ).toMatch(/Только чтение.*Все клиенты.*Бессрочно/);
    await expectAccessible(page, 'ru keys');

    await page.getByRole('button', { name: 'Выйти' }).click();
    await signIn(page, key, ru);
    await header.getByText('Вход выполнен: Отчеты').waitFor();
    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Пользователи и лицензии', exact: true }).waitFor();
    await page.getByRole('checkbox', { name: 'User 4' }).check();
    await page.getByRole('button', { name: 'Управление лицензиями' }).click();
    await page
      .getByRole('group', { name: 'Microsoft 365 E3' })
      .getByRole('checkbox', { name: 'Microsoft 365 E3', exact: true })
      .check();
    const save = page.getByRole('button', { name: 'Сохранить' });
    expect(await save.getAttribute('aria-disabled')).toBe('true');
    await page
      .getByText(
        'У ключа «Отчеты», с которым выполнен вход, нет разрешения «Назначение и удаление лицензий», поэтому это действие недоступно. Запросите ключ с этим разрешением.',
      )
      .first()
      .waitFor();
    await expectAccessible(page, 'ru read-only manage licenses');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

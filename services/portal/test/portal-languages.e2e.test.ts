/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Callbacks of page.evaluate run in the browser: they see the DOM's globals.
// The portal in Russian and English, in a real headless Chromium against the real services: the
// seed's flow with the browser set to ru-RU (sign in, customers, users across pages, the selected
// users, manage licenses, service plans, buy more, save, "Лицензии обновлены" with a Russian error
// explanation), then the switch to English, remembered across reloads and sign-ins; the same flow
// at a phone's width (390 px). Every page passes axe-core in both languages. Writes the
// screenshots docs/portal-ru-*.png and docs/portal-en-*.png.
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
const run = chromiumAvailable || process.env.CI ? describe : describe.skip;
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

run(`partner portal in Russian and English (${chromiumPath})`, () => {
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
    for (const [user, productId] of [
      ['User 001', 'SPE_E3'],
      ['User 100', 'VISIOCLIENT'],
    ] as const) {
      const job = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
        userIds: [ids.get(user)],
        assign: [{ productId }],
      });
      expect(job.status, JSON.stringify(job.body)).toBe(202);
      await waitForJob(system, customerId, job.body.id);
    }
    await mkdir(docsDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function newPage(viewport: { width: number; height: number }) {
    // The browser's language is Russian: the portal's first visit follows it.
    const context = await browser.newContext({ viewport, locale: 'ru-RU' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    return { page, problems };
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

  /** Nothing wider than the window: no sideways scrolling on a phone. */
  async function expectNoSidewaysScroll(page: Page, what: string) {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
    }));
    expect(widths.page, what).toBeLessThanOrEqual(widths.window);
  }

  const selected = (page: Page) => page.getByRole('status').first().textContent();

  it('runs the seed’s flow in Russian for a ru-RU browser, then in English after the switch, remembered across reloads and sign-ins', async () => {
    const { page, problems } = await newPage(desktop);
    await page.goto(system.portalUrl);
    await page.getByRole('heading', { name: 'Портал партнера' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(await page.title()).toBe('Войти · Портал партнера');
    await expectAccessible(page, 'ru sign in');
    await page.getByLabel('Ключ API').fill('lsk_not-a-real-key');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Этот ключ API не принят/);
    await page.getByLabel('Ключ API').fill(system.partnerKey);
    await page.getByRole('button', { name: 'Войти' }).click();

    // Клиенты → the customer's users, across pages.
    await page.getByRole('heading', { name: 'Клиенты', exact: true }).waitFor();
    expect(await page.getByRole('row', { name: /Fabrikam/ }).textContent()).toMatch(/Соединенные Штаты/);
    await expectAccessible(page, 'ru customers');
    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Пользователи и лицензии', exact: true }).waitFor();
    await page.getByText('Страница 1 из 3 · 130 пользователей').waitFor();
    await page.getByRole('checkbox', { name: 'User 001' }).check();
    await expect.poll(() => selected(page)).toBe('Выбран 1 пользователь');
    await page.getByRole('checkbox', { name: 'User 004' }).check();
    await expect.poll(() => selected(page)).toBe('Выбрано 2 пользователя');
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByText('Страница 2 из 3 · 130 пользователей').waitFor();
    await page.getByRole('checkbox', { name: 'User 060' }).check();
    await expect.poll(() => selected(page)).toBe('Выбрано 3 пользователя');
    await page.getByRole('button', { name: 'Последний' }).click();
    await page.getByText('Страница 3 из 3 · 130 пользователей').waitFor();
    await page.getByRole('checkbox', { name: 'User 130' }).waitFor();
    await page.getByRole('checkbox', { name: 'Выбрать всех на этой странице' }).check();
    await expect.poll(() => selected(page)).toBe('Выбрано 33 пользователя');
    await page.getByRole('checkbox', { name: 'User 125' }).uncheck();
    await expect.poll(() => selected(page)).toBe('Выбрано 32 пользователя');
    await page.getByRole('checkbox', { name: 'User 125' }).check();
    await page.getByRole('checkbox', { name: 'Выбрать всех на этой странице' }).uncheck();
    await expect.poll(() => selected(page)).toBe('Выбрано 3 пользователя');
    await page.getByRole('button', { name: 'Первый' }).click();
    await page.getByText('Страница 1 из 3 · 130 пользователей').waitFor();
    const panel = page.getByRole('region', { name: 'Выбранные пользователи' });
    expect(await panel.getByText('user060@fabrikam.example').count()).toBe(1);
    await expectAccessible(page, 'ru users');

    // Управление лицензиями: the mixed state, service plans, buy more.
    await page.getByRole('button', { name: 'Управление лицензиями' }).click();
    await page.getByRole('heading', { name: 'Управление лицензиями', exact: true }).waitFor();
    expect(await page.title()).toBe('Управление лицензиями · Портал партнера');
    const e3 = page.getByRole('group', { name: 'Microsoft 365 E3' });
    const e3Box = e3.getByRole('checkbox', { name: 'Microsoft 365 E3', exact: true });
    await e3Box.waitFor();
    expect(await e3Box.getAttribute('aria-checked')).toBe('mixed');
    await e3.getByRole('button', { name: 'Назначено: 1 из 3' }).focus();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toBe('Назначено: User 001');
    expect(await e3.getByText('49 из 50 доступных лицензий').count()).toBe(1);
    // A product nobody holds shows its plans on request, not to be chosen until it is ticked.
    const ems = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
    await ems.getByRole('button', { name: 'Просмотреть планы обслуживания' }).click();
    const emsPlans = ems.getByRole('group', { name: /^Планы обслуживания Enterprise Mobility/ });
    await emsPlans.waitFor();
    expect(await emsPlans.getByRole('checkbox').first().isDisabled()).toBe(true);
    await ems.getByRole('button', { name: 'Скрыть планы обслуживания' }).click();
    await e3Box.check();
    await e3.getByRole('checkbox', { name: 'Microsoft Teams (план обслуживания Microsoft 365 E3)' }).uncheck();
    const visio = page.getByRole('group', { name: 'Visio Plan 2' });
    expect(await visio.getByText('0 из 1 доступных лицензий').count()).toBe(1);
    await visio.getByRole('checkbox', { name: 'Visio Plan 2', exact: true }).check();
    await visio.getByRole('button', { name: 'Купить еще Visio Plan 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Купить еще Visio Plan 2' });
    await dialog.getByText('У вас 1 лицензия, доступно: 0.').waitFor();
    await expectAccessible(page, 'ru buy more');
    await dialog.getByRole('button', { name: 'Купить 3 лицензии' }).click();
    await page.getByText('Куплено еще 3 лицензии Visio Plan 2.').waitFor();
    await visio.getByText('3 из 4 доступных лицензий').waitFor();
    await ems.getByRole('checkbox', { name: 'Enterprise Mobility + Security E3', exact: true }).check();
    await expectAccessible(page, 'ru manage licenses');
    await page.screenshot({ path: `${docsDir}portal-ru-manage-licenses.png` });

    // Предварительный просмотр, then Сохранить → Лицензии обновлены, the error explained in Russian.
    await page.getByRole('button', { name: 'Предварительный просмотр' }).click();
    const preview = page.getByRole('region', { name: 'Предварительный просмотр' });
    await preview.getByText('Ошибка ожидается у 1 пользователя:').waitFor();
    expect(await preview.textContent()).toContain(
      'Продукт не продается в стране или регионе пользователя (расположение для использования): 1 пользователь (ProhibitedInUsageLocationViolation)',
    );
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Лицензии обновлены', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('Обновлено 2 пользователя, с ошибкой: 1.').waitFor();
    const report = page.getByRole('table', { name: 'Итог по пользователям' });
    const row = (name: string) => report.getByRole('row').filter({ hasText: name });
    expect(await row('User 004').textContent()).toMatch(/Успешно.*Microsoft 365 E3: назначено/);
    expect(await row('User 060').textContent()).toMatch(
      /Ошибка.*Enterprise Mobility \+ Security E3: ошибка — Enterprise Mobility \+ Security E3 недоступен в стране или регионе этого пользователя\. Измените расположение для использования или выберите другой продукт\. \(ProhibitedInUsageLocationViolation\)/,
    );
    expect(await page.title()).toBe('Лицензии обновлены · Портал партнера');
    await expectAccessible(page, 'ru report');
    await page.screenshot({ path: `${docsDir}portal-ru-report.png` });
    // What the API holds: the same as in any language.
    const user004 = await system.api('GET', `/v1/customers/${customerId}/users/${ids.get('User 004')}`);
    expect(user004.body.licenses).toEqual(
      expect.arrayContaining([
        { productId: 'SPE_E3', disabledServicePlans: ['TEAMS1'], assignedBy: { direct: true, groupIds: [] } },
        { productId: 'EMS', disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
        { productId: 'VISIOCLIENT', disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
      ]),
    );

    // The switch: English at once, everywhere, and kept.
    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('heading', { name: 'Licenses updated', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.title()).toBe('Licenses updated · Partner portal');
    await page.getByText('2 users were updated, 1 failed.').waitFor();
    expect(
      await page
        .getByRole('table', { name: 'Outcome per user' })
        .getByRole('row')
        .filter({ hasText: 'User 060' })
        .textContent(),
    ).toMatch(/Failed.*Enterprise Mobility \+ Security E3 isn't available in this user's country or region/);
    await expectAccessible(page, 'en report');
    await page.screenshot({ path: `${docsDir}portal-en-report.png` });
    await page.reload();
    await page.getByRole('heading', { name: 'Licenses updated', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Back to users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByText('Page 1 of 3 · 130 users').waitFor();
    await expectAccessible(page, 'en users');
    // Signing out and in again keeps the language (it is kept in this browser, unlike the key).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('licensing-portal.language'))).toBe('en');
    await page.getByLabel('API key').fill(system.partnerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    // And the API is asked in the portal's language: its problems come in English now.
    const answer = await page.evaluate(async () => {
      const key = sessionStorage.getItem('licensing-portal.apiKey');
      const res = await fetch('/v1/customers/00000000-0000-4000-8000-000000000000', {
        headers: { authorization: `Bearer ${key}`, 'accept-language': document.documentElement.lang },
      });
      return { language: res.headers.get('content-language'), body: await res.json() };
    });
    expect(answer).toMatchObject({ language: 'en', body: { code: 'not_found', title: 'Not Found' } });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('filters the table to the selected users, edits a user’s usage location, skips to the content and focuses each page’s heading', async () => {
    const { page, problems } = await newPage(desktop);
    await page.goto(system.portalUrl);
    // The first Tab stop is the skip link, on the sign-in page's successor pages too.
    await page.getByLabel('Ключ API').fill(system.partnerKey);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Клиенты', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Клиенты', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Перейти к содержимому');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // A favicon, served under the page's Content-Security-Policy.
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href;
      const res = href ? await fetch(href) : undefined;
      return { status: res?.status, type: res?.headers.get('content-type') };
    });
    expect(icon).toEqual({ status: 200, type: expect.stringMatching(/^image\/svg\+xml/) });

    // After an in-app navigation the new page's heading has the focus.
    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Пользователи и лицензии', exact: true }).waitFor();
    await expect
      .poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`))
      .toBe('H1 Пользователи и лицензии');

    // "Выбранные пользователи": the table shows the selection only, across the pages it came from.
    await page.getByRole('checkbox', { name: 'User 002' }).check();
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('checkbox', { name: 'User 070' }).check();
    const onlySelected = page.getByRole('button', { name: 'Выбранные пользователи' });
    await onlySelected.click();
    expect(await onlySelected.getAttribute('aria-pressed')).toBe('true');
    await page.getByText('Страница 1 из 1 · 2 пользователя').waitFor();
    const table = page.getByRole('table', { name: 'Пользователи и лицензии' });
    expect(await table.getByRole('checkbox', { name: /^User / }).allTextContents()).toHaveLength(2);
    expect(await table.getByRole('checkbox', { name: 'User 070' }).isChecked()).toBe(true);
    expect(await page.getByRole('searchbox').isDisabled()).toBe(true);
    await expectAccessible(page, 'ru selected users');
    // Unticking one there drops it from the view.
    await table.getByRole('checkbox', { name: 'User 002' }).click();
    await page.getByText('Страница 1 из 1 · 1 пользователь').waitFor();
    await onlySelected.click();
    await page.getByText('Страница 1 из 3 · 130 пользователей').waitFor();

    // The region error says to change the usage location: the user's row edits it (User 060 stays in
    // CN for the phone's run).
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('button', { name: 'Изменить: User 061' }).click();
    const dialog = page.getByRole('dialog', { name: 'Изменение: User 061' });
    await dialog.getByLabel('Расположение для использования').fill('de');
    await dialog.getByText('Германия').waitFor();
    await dialog.getByLabel('Отдел').fill('Продажи');
    await expectAccessible(page, 'ru edit user');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = table.getByRole('row').filter({ hasText: 'User 061' });
    await expect.poll(() => row.textContent()).toMatch(/Германия.*Продажи/);
    const user061 = await system.api('GET', `/v1/customers/${customerId}/users/${ids.get('User 061')}`);
    expect(user061.body).toMatchObject({ usageLocation: 'DE', department: 'Продажи', displayName: 'User 061' });
    // A wrong code is refused by the API, in Russian, and changes nothing.
    await page.getByRole('button', { name: 'Изменить: User 061' }).click();
    await dialog.getByLabel('Расположение для использования').fill('ZZ');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toMatch(/^Недопустимые данные \(body\).*\(validation_error\)$/);
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    const again = await system.api('GET', `/v1/customers/${customerId}/users/${ids.get('User 061')}`);
    expect(again.body.usageLocation).toBe('DE');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('works at a phone’s width (390 px) in Russian and English: nothing wider than the screen, axe clean', async () => {
    const { page, problems } = await newPage(phone);
    await page.goto(system.portalUrl);
    await page.getByLabel('Ключ API').fill(system.partnerKey);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Клиенты', exact: true }).waitFor();
    await expectNoSidewaysScroll(page, 'ru customers, phone');
    await page.getByRole('link', { name: 'Fabrikam' }).click();
    await page.getByText('Страница 1 из 3 · 130 пользователей').waitFor();
    await page.getByRole('checkbox', { name: 'User 010' }).check();
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('checkbox', { name: 'User 060' }).check();
    await expect.poll(() => selected(page)).toBe('Выбрано 2 пользователя');
    await expectNoSidewaysScroll(page, 'ru users, phone');
    await expectAccessible(page, 'ru users, phone');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${docsDir}portal-ru-users-phone.png` });
    await page.getByRole('button', { name: 'Управление лицензиями' }).click();
    const ems = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
    await ems.getByRole('checkbox', { name: 'Enterprise Mobility + Security E3', exact: true }).check();
    await expectNoSidewaysScroll(page, 'ru manage licenses, phone');
    await expectAccessible(page, 'ru manage licenses, phone');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Лицензии обновлены', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('Обновлен 1 пользователь, с ошибкой: 1.').waitFor();
    await expectNoSidewaysScroll(page, 'ru report, phone');
    await expectAccessible(page, 'ru report, phone');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${docsDir}portal-ru-report-phone.png` });

    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('heading', { name: 'Licenses updated', exact: true }).waitFor();
    await page.getByText('1 user was updated, 1 failed.').waitFor();
    await expectNoSidewaysScroll(page, 'en report, phone');
    await expectAccessible(page, 'en report, phone');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${docsDir}portal-en-report-phone.png` });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);
});

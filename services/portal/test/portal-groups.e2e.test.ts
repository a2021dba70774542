/// <reference lib="dom" />
// License groups in the portal, in a real headless Chromium against the real services, in English
// and Russian at a desktop's and a phone's width: a static group given a product with too few seats
// (a member waits, "Buy more" licenses it), members added from the group page and from the users
// page's selection, a member removed after the dry run, a dynamic group by department whose rule
// change removes licenses only once the impact is shown and confirmed, a member in error with the
// reason explained, inherited licenses named by their group on the user page and on manage licenses,
// a group deleted; a read-only key sees the pages and can change nothing. Every page passes axe;
// every step is checked against what the API and Postgres then hold. Writes the screenshots
// docs/portal-en-groups.png and docs/portal-ru-groups.png.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, chromiumPath, launchChromium, startPortalSystem, type PortalSystem } from './system.ts';

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));
const run = chromiumAvailable || process.env.CI ? describe : describe.skip;
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

type Language = 'en' | 'ru';

/** What the pages say, per language: the test reads the portal as a person would. */
const words = {
  en: {
    locale: 'en-US',
    key: 'API key',
    signIn: 'Sign in',
    customers: 'Customers',
    users: 'Users',
    usersTitle: 'Users',
    groups: 'Groups',
    empty: 'This customer has no groups yet.',
    newGroup: 'New group',
    name: 'Name',
    create: 'Create',
    open: (group: string) => `Open ${group}`,
    dynamicRadio: 'Dynamic: a rule chooses the members',
    departments: 'Departments',
    addMembers: 'Add members',
    addMembersTitle: (group: string) => `Add members to ${group}`,
    addUsers3: 'Add 3 users',
    review: 'Preview and save',
    impact: 'What the change would do',
    gain2: '2 users would gain a license.',
    wait1: 'Visio Plan 2: 1 member would wait for a seat',
    save: 'Save',
    saved: "Saved. The members' licenses are being updated.",
    waitingTitle: '1 member waiting for a seat',
    show: 'Show',
    waitingBadge: 'Waiting for a seat',
    buyMore: 'Buy more Visio Plan 2',
    buy1: 'Buy 1 seat',
    bought: 'Bought 1 more seat of Visio Plan 2',
    noneInState: 'No member is in this state.',
    removeUser03: 'Remove User 03 from the group',
    remove: 'Remove',
    lose1: '1 user would lose a license.',
    addToGroup: 'Add to group',
    joined: '2 users joined Pilot.',
    membersTable: 'Members',
    ruleIs: 'Dynamic: department Sales',
    prohibited: "Enterprise Mobility + Security E3 isn't available in this user's country or region.",
    inheritedFrom: 'Inherited from the group',
    changeRule: 'Change rule',
    preview: 'Preview',
    lose4: '4 users would lose a license.',
    saveRemove4: 'Save and remove licenses from 4 users',
    manageLicenses: 'Manage licenses',
    groupOnly: '1 of the selected users holds it only through a group',
    deleteTemp: 'Delete group Temp',
    deleteConfirm: 'Delete',
    deleted: 'Group Temp deleted.',
  },
  ru: {
    locale: 'ru-RU',
    key: 'Ключ API',
    signIn: 'Войти',
    customers: 'Клиенты',
    users: 'Пользователи и лицензии',
    usersTitle: 'Пользователи и лицензии',
    groups: 'Группы',
    empty: 'У этого клиента пока нет групп.',
    newGroup: 'Новая группа',
    name: 'Имя',
    create: 'Создать',
    open: (group: string) => `Открыть ${group}`,
    dynamicRadio: 'Динамическое: участников выбирает правило',
    departments: 'Отделы',
    addMembers: 'Добавить участников',
    addMembersTitle: (group: string) => `Добавить участников в группу ${group}`,
    addUsers3: 'Добавить 3 пользователей',
    review: 'Просмотреть и сохранить',
    impact: 'Что сделает изменение',
    gain2: '2 пользователя получат лицензию.',
    wait1: 'Visio Plan 2: 1 участник будет ожидать лицензию',
    save: 'Сохранить',
    saved: 'Сохранено. Лицензии участников обновляются.',
    waitingTitle: '1 участник ожидает лицензию',
    show: 'Показать',
    waitingBadge: 'Ожидает лицензию',
    buyMore: 'Купить еще Visio Plan 2',
    buy1: 'Купить 1 лицензию',
    bought: 'Куплена еще 1 лицензия Visio Plan 2',
    noneInState: 'Участников в этом состоянии нет.',
    removeUser03: 'Удалить User 03 из группы',
    remove: 'Удалить',
    lose1: '1 пользователь потеряет лицензию.',
    addToGroup: 'Добавить в группу',
    joined: '2 пользователя добавлены в группу Pilot.',
    membersTable: 'Участники',
    ruleIs: 'Динамическое: отдел Sales',
    prohibited: 'Enterprise Mobility + Security E3 недоступен в стране или регионе этого пользователя.',
    inheritedFrom: 'Унаследована от группы',
    changeRule: 'Изменить правило',
    preview: 'Предварительный просмотр',
    lose4: '4 пользователя потеряют лицензию.',
    saveRemove4: 'Сохранить и отозвать лицензии у 4 пользователей',
    manageLicenses: 'Управление лицензиями',
    groupOnly: '1 из выбранных пользователей получает его только через группу',
    deleteTemp: 'Удалить группу Temp',
    deleteConfirm: 'Удалить',
    deleted: 'Группа Temp удалена.',
  },
} satisfies Record<Language, Record<string, unknown>>;

run(`license groups in the partner portal (${chromiumPath})`, () => {
  let system: PortalSystem;
  let browser: Browser;
  const customers = new Map<Language, { id: string; name: string; users: Map<string, string> }>();

  beforeAll(async () => {
    system = await startPortalSystem();
    browser = await launchChromium();
    for (const language of ['en', 'ru'] as const) {
      const name = `Northwind ${language.toUpperCase()}`;
      const customer = await system.api('POST', '/v1/customers', { name, country: 'US' });
      expect(customer.status, JSON.stringify(customer.body)).toBe(201);
      const departments = ['Sales', 'Sales', 'Sales', 'Sales', 'Marketing', 'Marketing', 'Sales', null];
      const batch = await system.api('POST', `/v1/customers/${customer.body.id}/users/batch`, {
        users: departments.map((department, i) => ({
          userPrincipalName: `user0${i + 1}@northwind.example`,
          displayName: `User 0${i + 1}`,
          department,
          ...(i === 6 ? { usageLocation: 'CN' } : {}),
        })),
      });
      expect(batch.status, JSON.stringify(batch.body)).toBe(201);
      for (const [productId, quantity] of [
        ['VISIOCLIENT', 2],
        ['EMS', 10],
      ] as const) {
        const res = await system.api('PUT', `/v1/customers/${customer.body.id}/subscriptions/${productId}`, {
          quantity,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      customers.set(language, {
        id: customer.body.id,
        name,
        users: new Map(batch.body.items.map((u: { displayName: string; id: string }) => [u.displayName, u.id])),
      });
    }
    await mkdir(docsDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function newPage(language: Language, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: words[language].locale });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    return { page, problems };
  }

  async function signIn(page: Page, language: Language, apiKey = system.partnerKey) {
    const w = words[language];
    await page.goto(system.portalUrl);
    await page.getByLabel(w.key).fill(apiKey);
    await page.getByRole('button', { name: w.signIn }).click();
    await page.getByRole('heading', { name: w.customers, exact: true }).waitFor();
  }

  async function expectAccessible(page: Page, what: string) {
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const { violations } = await new AxeBuilder({ page }).analyze();
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

  async function expectNoSidewaysScroll(page: Page, what: string) {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
    }));
    expect(widths.page, what).toBeLessThanOrEqual(widths.window);
  }

  const groupNamed = async (customerId: string, name: string) => {
    const { body } = await system.api('GET', `/v1/customers/${customerId}/groups?pageSize=500`);
    return (body.items as { id: string; name: string; memberCount: number }[]).find((g) => g.name === name);
  };

  /** The group once its changes are applied to every member. */
  async function settledGroup(customerId: string, groupId: string) {
    for (let i = 0; i < 300; i++) {
      const { body } = await system.api('GET', `/v1/customers/${customerId}/groups/${groupId}`);
      if (body.processing.state === 'idle') return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`group ${groupId} did not settle`);
  }

  /** Display names of the customer's users holding a product, from Postgres. */
  async function holders(customerId: string, productId: string): Promise<string[]> {
    const rows = await system.env.sql<{ display_name: string }[]>`
      SELECT u.display_name FROM user_licenses l JOIN users u ON u.id = l.user_id AND u.customer_id = l.customer_id
      WHERE l.customer_id = ${customerId} AND l.product_id = ${productId} ORDER BY u.display_name`;
    return rows.map((r) => r.display_name);
  }

  async function states(customerId: string, groupId: string, state: string): Promise<string[]> {
    const rows = await system.env.sql<{ display_name: string }[]>`
      SELECT u.display_name FROM group_license_states s JOIN users u ON u.id = s.user_id AND u.customer_id = s.customer_id
      WHERE s.customer_id = ${customerId} AND s.group_id = ${groupId} AND s.state = ${state} ORDER BY u.display_name`;
    return rows.map((r) => r.display_name);
  }

  async function openGroups(page: Page, language: Language) {
    const w = words[language];
    const customer = customers.get(language)!;
    await page.getByRole('link', { name: words[language].customers, exact: true }).first().click();
    await page.getByRole('link', { name: customer.name }).click();
    await page.getByRole('heading', { name: w.usersTitle, exact: true }).waitFor();
    await page
      .getByRole('navigation', { name: language === 'en' ? 'Customer' : 'Клиент' })
      .getByRole('link', { name: w.groups })
      .click();
    await page.getByRole('heading', { name: w.groups, exact: true }).waitFor();
  }

  for (const language of ['en', 'ru'] as const) {
    it(`walks the groups flow in ${language} at a desktop's width, checked against the API and Postgres`, async () => {
      const w = words[language];
      const customer = customers.get(language)!;
      const cid = customer.id;
      const { page, problems } = await newPage(language, desktop);
      await signIn(page, language);
      await openGroups(page, language);
      await page.getByText(w.empty).waitFor();
      await expectAccessible(page, `${language} groups, empty`);

      // A static group, created from the list; the portal opens it.
      await page.getByRole('button', { name: w.newGroup }).click();
      let dialog = page.getByRole('dialog', { name: w.newGroup });
      await dialog.getByLabel(w.name).fill('Pilot');
      await expectAccessible(page, `${language} new group`);
      await dialog.getByRole('button', { name: w.create }).click();
      await page.getByRole('link', { name: w.open('Pilot') }).click();
      await page.getByRole('heading', { name: 'Pilot', exact: true }).waitFor();
      const pilot = (await groupNamed(cid, 'Pilot'))!;
      expect(pilot).toMatchObject({ membershipRule: null, memberCount: 0 });

      // Three members, ticked in the dialog.
      await page.getByRole('button', { name: w.addMembers }).click();
      dialog = page.getByRole('dialog', { name: w.addMembersTitle('Pilot') });
      for (const name of ['User 01', 'User 02', 'User 03'])
        await dialog.getByRole('checkbox', { name: new RegExp(name) }).check();
      await expectAccessible(page, `${language} add members`);
      await dialog.getByRole('button', { name: w.addUsers3 }).click();
      await dialog.waitFor({ state: 'detached' });
      expect((await settledGroup(cid, pilot.id)).memberCount).toBe(3);

      // Visio for the group: 2 seats for 3 members. The dry run says so before anything is sent.
      const visio = page.getByRole('group', { name: 'Visio Plan 2' });
      await visio.getByRole('checkbox', { name: 'Visio Plan 2', exact: true }).check();
      await page.getByRole('button', { name: w.review }).click();
      const impact = page.getByRole('region', { name: w.impact });
      await impact.getByText(w.gain2).waitFor();
      await impact.getByText(w.wait1).waitFor();
      expect(await holders(cid, 'VISIOCLIENT')).toEqual([]); // a dry run changes nothing
      await expectAccessible(page, `${language} group licenses impact`);
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await page.getByText(w.saved).waitFor();
      const afterSave = await settledGroup(cid, pilot.id);
      expect(afterSave).toMatchObject({ membersWaiting: 1, licenses: [{ productId: 'VISIOCLIENT' }] });
      expect(await holders(cid, 'VISIOCLIENT')).toHaveLength(2);
      expect(await states(cid, pilot.id, 'waiting')).toHaveLength(1);

      // The waiting room: shown on the page, filtered to, and emptied by "Buy more".
      await page.getByText(w.waitingTitle).waitFor();
      await page.getByLabel(w.show).selectOption('waiting');
      const members = page.getByRole('table', { name: w.membersTable });
      await expect.poll(() => members.getByRole('row').count()).toBe(2); // header + the one waiting
      await members.getByText(w.waitingBadge).waitFor();
      await expectAccessible(page, `${language} group, waiting members`);
      await page.screenshot({ path: `${docsDir}portal-${language}-groups.png`, fullPage: true });
      await page.getByRole('button', { name: w.buyMore }).click();
      dialog = page.getByRole('dialog', { name: w.buyMore });
      await dialog.getByRole('button', { name: w.buy1 }).click();
      await page.getByText(w.bought).waitFor();
      await expect.poll(async () => (await settledGroup(cid, pilot.id)).membersWaiting, { timeout: 10_000 }).toBe(0);
      expect(await holders(cid, 'VISIOCLIENT')).toEqual(['User 01', 'User 02', 'User 03']);
      const subs = await system.api('GET', `/v1/customers/${cid}/subscriptions`);
      expect(subs.body.items.find((s: { productId: string }) => s.productId === 'VISIOCLIENT')).toMatchObject({
        quantity: 3,
        assigned: 3,
        waiting: 0,
      });
      await page.getByText(w.noneInState).waitFor();
      await page.getByLabel(w.show).selectOption('all');

      // A member removed: the dry run shows what it loses first.
      await page.getByRole('button', { name: w.removeUser03 }).click();
      dialog = page.getByRole('dialog', { name: /User 03/ });
      await dialog.getByText(w.lose1).waitFor();
      await expectAccessible(page, `${language} remove member`);
      await dialog.getByRole('button', { name: w.remove, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await settledGroup(cid, pilot.id);
      await expect.poll(() => holders(cid, 'VISIOCLIENT')).toEqual(['User 01', 'User 02']);

      // The users page's selection joins the group: one seat is free for two, so one waits.
      await page
        .getByRole('navigation', { name: language === 'en' ? 'Customer' : 'Клиент' })
        .getByRole('link', { name: w.users })
        .click();
      await page.getByRole('heading', { name: w.usersTitle, exact: true }).waitFor();
      await page.getByRole('checkbox', { name: 'User 05' }).check();
      await page.getByRole('checkbox', { name: 'User 06' }).check();
      await page.getByRole('button', { name: w.addToGroup }).click();
      dialog = page.getByRole('dialog');
      await expectAccessible(page, `${language} add selection to group`);
      await dialog.getByRole('button', { name: language === 'en' ? 'Add' : 'Добавить', exact: true }).click();
      await page.getByText(w.joined).waitFor();
      const joined = await settledGroup(cid, pilot.id);
      expect(joined).toMatchObject({ memberCount: 4, membersWaiting: 1 });
      expect(await holders(cid, 'VISIOCLIENT')).toHaveLength(3);
      // The users list names the group a license comes from.
      await page.reload();
      await expect
        .poll(() => page.getByRole('row').filter({ hasText: 'user01@northwind.example' }).textContent())
        .toMatch(/Visio Plan 2 \((through|через) Pilot\)/);

      // A dynamic group by department; EMS for it, refused for the user in China.
      await openGroups(page, language);
      await page.getByRole('button', { name: w.newGroup }).click();
      dialog = page.getByRole('dialog', { name: w.newGroup });
      await dialog.getByLabel(w.name).fill('Sales');
      await dialog.getByRole('radio', { name: w.dynamicRadio }).check();
      await dialog.getByLabel(w.departments).fill('Sales');
      await expectAccessible(page, `${language} new dynamic group`);
      await dialog.getByRole('button', { name: w.create }).click();
      await page.getByRole('link', { name: w.open('Sales') }).click();
      await page.getByRole('heading', { name: 'Sales', exact: true }).waitFor();
      await page.getByText(w.ruleIs).waitFor();
      const sales = (await groupNamed(cid, 'Sales'))!;
      expect(sales).toMatchObject({ memberCount: 5, membershipRule: { departments: ['Sales'] } });
      const ems = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
      await ems.getByRole('checkbox', { name: 'Enterprise Mobility + Security E3', exact: true }).check();
      await page.getByRole('button', { name: w.review }).click();
      await page.getByRole('region', { name: w.impact }).getByText('ProhibitedInUsageLocationViolation').waitFor();
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await page.getByText(w.saved).waitFor();
      expect(await settledGroup(cid, sales.id)).toMatchObject({ membersWithErrors: 1 });
      expect(await holders(cid, 'EMS')).toEqual(['User 01', 'User 02', 'User 03', 'User 04']);
      expect(await states(cid, sales.id, 'error')).toEqual(['User 07']);
      await page.getByLabel(w.show).selectOption('error');
      await expect.poll(() => members.getByRole('row').count()).toBe(2);
      await members.getByText(w.prohibited).waitFor();
      await expectAccessible(page, `${language} dynamic group, members in error`);

      // The user page names the groups its licenses come from, as links.
      await page.getByLabel(w.show).selectOption('all');
      await members.getByRole('link', { name: 'User 01' }).click();
      await page.getByRole('heading', { name: 'User 01', exact: true }).waitFor();
      const emsCard = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
      await expect.poll(() => emsCard.textContent()).toContain(`${w.inheritedFrom} Sales`);
      const visioCard = page.getByRole('group', { name: 'Visio Plan 2' });
      await expect.poll(() => visioCard.textContent()).toContain(`${w.inheritedFrom} Pilot`);
      await expectAccessible(page, `${language} user page with inherited licenses`);
      await visioCard.getByRole('link', { name: 'Pilot' }).click();
      await page.getByRole('heading', { name: 'Pilot', exact: true }).waitFor();

      // A rule change that takes licenses away: previewed, then confirmed by the number who lose one.
      await openGroups(page, language);
      await page.getByRole('link', { name: 'Sales' }).click();
      await page.getByRole('heading', { name: 'Sales', exact: true }).waitFor();
      await page.getByRole('button', { name: w.changeRule }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel(w.departments).fill('Marketing');
      await dialog.getByRole('button', { name: w.preview }).click();
      await dialog.getByText(w.lose4).waitFor();
      expect(await holders(cid, 'EMS')).toHaveLength(4); // nothing changed yet
      await expectAccessible(page, `${language} rule change impact`);
      await dialog.getByRole('button', { name: w.saveRemove4 }).click();
      await dialog.waitFor({ state: 'detached' });
      await settledGroup(cid, sales.id);
      await expect.poll(() => holders(cid, 'EMS')).toEqual(['User 05', 'User 06']);

      // Manage licenses for a user who holds EMS only through the group: why a job cannot revoke it.
      await page
        .getByRole('navigation', { name: language === 'en' ? 'Customer' : 'Клиент' })
        .getByRole('link', { name: w.users })
        .click();
      await page.getByRole('heading', { name: w.usersTitle, exact: true }).waitFor();
      const clear = page.getByRole('button', { name: language === 'en' ? 'Clear selection' : 'Снять выбор' });
      if (await clear.count()) await clear.click();
      await page.getByRole('checkbox', { name: 'User 05' }).check();
      await page.getByRole('button', { name: w.manageLicenses }).click();
      const emsRow = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
      await emsRow.getByText(w.groupOnly).waitFor();
      expect(await emsRow.getByRole('link', { name: 'Sales' }).count()).toBe(1);
      await expectAccessible(page, `${language} manage licenses, inherited`);

      // A group that grants nothing is deleted from the list.
      await openGroups(page, language);
      await page.getByRole('button', { name: w.newGroup }).click();
      dialog = page.getByRole('dialog', { name: w.newGroup });
      await dialog.getByLabel(w.name).fill('Temp');
      await dialog.getByRole('button', { name: w.create }).click();
      await page.getByRole('link', { name: w.open('Temp') }).waitFor();
      await page.getByRole('button', { name: w.deleteTemp }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: w.deleteConfirm }).click();
      await page.getByText(w.deleted).waitFor();
      expect(await groupNamed(cid, 'Temp')).toBeUndefined();
      await expect.poll(() => page.getByText('Temp', { exact: true }).count()).toBe(0);
      await expectAccessible(page, `${language} groups list`);
      expect(problems).toEqual([]);
      await page.context().close();
    }, 240_000);
  }

  it('shows the groups pages at a phone’s width in both languages: nothing wider than the screen, axe clean', async () => {
    for (const language of ['en', 'ru'] as const) {
      const w = words[language];
      const { page, problems } = await newPage(language, phone);
      await signIn(page, language);
      await openGroups(page, language);
      await page.getByRole('link', { name: 'Pilot' }).waitFor();
      await expectNoSidewaysScroll(page, `${language} groups, phone`);
      await expectAccessible(page, `${language} groups, phone`);
      await page.getByRole('link', { name: 'Pilot' }).click();
      await page.getByRole('heading', { name: 'Pilot', exact: true }).waitFor();
      await page.getByText(w.waitingTitle).waitFor();
      await page.getByLabel(w.show).selectOption('waiting');
      await page.getByRole('list', { name: w.membersTable }).getByText(w.waitingBadge).waitFor();
      await expectNoSidewaysScroll(page, `${language} group, phone`);
      await expectAccessible(page, `${language} group, phone`);
      await page.getByRole('button', { name: w.addMembers }).click();
      await page.getByRole('dialog', { name: w.addMembersTitle('Pilot') }).waitFor();
      await expectAccessible(page, `${language} add members, phone`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('lets a read-only key look at groups and change nothing', async () => {
    const created = await system.api('POST', '/v1/keys', { name: 'Auditor', scopes: ['read'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { page, problems } = await newPage('en', desktop);
    await signIn(page, 'en', created.body.apiKey);
    await openGroups(page, 'en');
    const disabled = (name: string) => page.getByRole('button', { name }).first().getAttribute('aria-disabled');
    await page.getByRole('link', { name: 'Pilot' }).waitFor();
    await expect.poll(() => disabled('New group')).toBe('true');
    expect(await disabled('Delete group Pilot')).toBe('true');
    await page.getByRole('link', { name: 'Pilot' }).click();
    await page.getByRole('heading', { name: 'Pilot', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Members' }).waitFor();
    expect(await disabled('Add members')).toBe('true');
    expect(await disabled('Preview and save')).toBe('true');
    expect(await disabled('Remove User 01 from the group')).toBe('true');
    expect(await disabled('Buy more Visio Plan 2')).toBe('true');
    expect(
      await page
        .getByRole('group', { name: 'Visio Plan 2' })
        .getByRole('checkbox', { name: 'Visio Plan 2', exact: true })
        .isDisabled(),
    ).toBe(true);
    await expectAccessible(page, 'read-only group');
    await page.getByRole('navigation', { name: 'Customer' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('checkbox', { name: 'User 05' }).check();
    expect(await disabled('Add to group')).toBe('true');
    const pilot = (await groupNamed(customers.get('en')!.id, 'Pilot'))!;
    expect(pilot.memberCount).toBe(4);
    expect(problems).toEqual([]);
  }, 60_000);
});

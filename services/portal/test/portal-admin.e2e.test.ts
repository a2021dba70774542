/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Callbacks of page.evaluate run in the browser: they see the DOM's globals.
// The rest of a partner administrator's day in the portal, in a real headless Chromium against the
// real services, each part in English and Russian at a desktop's width and a phone's (390 px), every
// page axe clean and nothing wider than the window: the users list's page, search, filters, view and
// selection kept in the URL (a reload and a shared link open the same list); on a phone the users
// are a list, not a table.
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { TFunction } from 'i18next';
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
import { portalTexts, type Language } from './texts.ts';

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));
const run = chromiumAvailable || process.env.CI ? describe : describe.skip;
const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Size = keyof typeof viewports;
const runs: { language: Language; size: Size }[] = [
  { language: 'en', size: 'desktop' },
  { language: 'ru', size: 'desktop' },
  { language: 'en', size: 'phone' },
  { language: 'ru', size: 'phone' },
];

run(`partner portal: administration (${chromiumPath})`, () => {
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
      return { userPrincipalName: `user${n}@fabrikam.example`, displayName: `User ${n}` };
    });
    const batch = await system.api('POST', `/v1/customers/${customerId}/users/batch`, { users });
    for (const user of batch.body.items) ids.set(user.displayName, user.id);
    for (const [productId, quantity] of [
      ['SPE_E3', 50],
      ['EMS', 20],
    ] as const)
      await system.api('PUT', `/v1/customers/${customerId}/subscriptions/${productId}`, { quantity });
    const job = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, {
      userIds: [ids.get('User 011')],
      assign: [{ productId: 'SPE_E3' }],
    });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    await waitForJob(system, customerId, job.body.id);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function signedIn(language: Language, size: Size, path = '/customers') {
    const context = await browser.newContext({
      viewport: viewports[size],
      locale: language === 'ru' ? 'ru-RU' : 'en-US',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    const tr = await portalTexts(language);
    await page.goto(`${system.portalUrl}${path}`);
    await page.getByLabel(tr('auth:apiKey')).fill(system.partnerKey);
    await page.getByRole('button', { name: tr('auth:signIn') }).click();
    return { page, problems, tr };
  }

  async function expectUsable(page: Page, what: string) {
    // A dialog that just closed hands the page back to assistive technology (aria-hidden lifted) a
    // moment after it is gone.
    await page.waitForFunction(
      () =>
        document.querySelector('[role="dialog"], [role="alertdialog"]') !== null ||
        document.querySelector('#root[aria-hidden]') === null,
    );
    // A dialog fades in: its colours are judged once the animation has ended.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const { violations } = await new AxeBuilder({ page }).analyze();
    // Fluent UI's focus manager (tabster) puts focus sentinels, aria-hidden and focusable on purpose.
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
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: innerWidth }));
    expect(widths.page, `${what}: wider than the window`).toBeLessThanOrEqual(widths.window);
    // Nothing overlaps: no two visible controls (buttons, links, fields, checkboxes) share any pixels.
    const overlaps = await page.evaluate(() => {
      // With a dialog open, what is behind it does not count.
      const scope = document.querySelector('[role="dialog"], [role="alertdialog"]') ?? document;
      const controls = [
        ...scope.querySelectorAll<HTMLElement>('button, a[href], input:not([type="hidden"]), select, textarea'),
      ]
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ element, box }) => box.width > 1 && box.height > 1 && element.checkVisibility());
      const found: string[] = [];
      const name = (e: HTMLElement) =>
        `${e.tagName.toLowerCase()} “${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)}”`;
      for (let i = 0; i < controls.length; i++)
        for (let j = i + 1; j < controls.length; j++) {
          const a = controls[i]!;
          const b = controls[j]!;
          if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
          const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
          const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
          if (x > 1 && y > 1) found.push(`${name(a.element)} × ${name(b.element)}`);
        }
      return found;
    });
    expect(overlaps, `${what}: overlapping controls`).toEqual([]);
  }

  /** A screenshot for docs/, once every dialog has gone and nothing moves. */
  async function screenshot(page: Page, name: string) {
    await page.waitForFunction(
      () =>
        document.querySelector('[role="dialog"], [role="alertdialog"]') === null &&
        document.getAnimations().every((a) => a.playState !== 'running'),
    );
    await page.screenshot({ path: `${docsDir}${name}`, fullPage: true });
  }

  /** The users as shown: the table's rows on a desktop, the list's items on a phone. */
  function usersShown(page: Page, tr: TFunction, size: Size) {
    return size === 'phone'
      ? page.getByRole('list', { name: tr('users:title') }).getByRole('listitem')
      : page.getByRole('table', { name: tr('users:title') }).getByRole('row');
  }

  const position = (tr: TFunction, page: number, last: number, total: number) =>
    tr('pager.position', { page, last, total: tr('users:count', { count: total }) });

  for (const { language, size } of runs)
    it(`keeps the users list's page, search, filter, view and selection in the URL (${language}, ${size})`, async () => {
      const { page, problems, tr } = await signedIn(language, size, `/customers/${customerId}/users`);
      await page.getByRole('heading', { name: tr('users:title'), exact: true }).waitFor();
      await page.getByText(position(tr, 1, 3, 130)).waitFor();
      // On a phone the users are a list; on a desktop a table.
      expect(await page.getByRole('table', { name: tr('users:title') }).count()).toBe(size === 'phone' ? 0 : 1);
      expect(await page.getByRole('list', { name: tr('users:title') }).count()).toBe(size === 'phone' ? 1 : 0);
      await expectUsable(page, `users ${language} ${size}`);

      // Page 2, then a search and a license filter: each in the URL as it happens.
      await page.getByRole('button', { name: tr('pager.next') }).click();
      await page.getByText(position(tr, 2, 3, 130)).waitFor();
      expect(new URL(page.url()).searchParams.get('page')).toBe('2');
      await page.reload();
      await page.getByText(position(tr, 2, 3, 130)).waitFor();
      await page.getByRole('searchbox').fill('User 01');
      await page.getByText(position(tr, 1, 1, 10)).waitFor();
      await page.getByLabel(tr('users:licenseFilter')).selectOption('unlicensed');
      await page.getByText(position(tr, 1, 1, 9)).waitFor();
      await page.getByRole('checkbox', { name: 'User 012' }).check();
      await page.getByRole('checkbox', { name: 'User 015' }).check();
      await page.getByRole('button', { name: tr('users:selectedUsers') }).click();
      await page.getByText(position(tr, 1, 1, 2)).waitFor();
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({
        search: 'User 01',
        license: 'unlicensed',
        view: 'selected',
        selected: `${ids.get('User 012')},${ids.get('User 015')}`,
      });

      // A reload: the same list, the same selection (named again from the API), the same view.
      await page.reload();
      await page.getByText(position(tr, 1, 1, 2)).waitFor();
      expect(await page.getByRole('searchbox').inputValue()).toBe('User 01');
      expect(await page.getByLabel(tr('users:licenseFilter')).inputValue()).toBe('unlicensed');
      expect(await page.getByRole('button', { name: tr('users:selectedUsers') }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await expect.poll(() => usersShown(page, tr, size).filter({ hasText: 'User 015' }).count()).toBe(1);
      expect(await page.getByRole('checkbox', { name: 'User 012' }).isChecked()).toBe(true);
      const panel = page.getByRole('region', { name: tr('users:selectedUsers') });
      await panel.getByText('user015@fabrikam.example').waitFor();
      await expectUsable(page, `users from the URL ${language} ${size}`);

      // The link shared: another browser signs in on it and sees the same.
      const other = await signedIn(language, size, `${url.pathname}${url.search}`);
      await other.page.getByText(position(tr, 1, 1, 2)).waitFor();
      await other.page
        .getByRole('region', { name: tr('users:selectedUsers') })
        .getByText('user012@fabrikam.example')
        .waitFor();
      await other.page.context().close();

      // Manage licenses carries the selection: a reload there keeps it.
      await page.getByRole('button', { name: tr('users:manageLicenses') }).click();
      await page.getByRole('heading', { name: tr('licenses:title'), exact: true }).waitFor();
      expect(new URL(page.url()).searchParams.get('selected')).toBe(`${ids.get('User 012')},${ids.get('User 015')}`);
      await page.reload();
      await page.getByText(tr('licenses:forSelected', { count: 2 })).waitFor();
      await page.getByRole('group', { name: 'Microsoft 365 E3' }).waitFor();
      await expectUsable(page, `manage licenses from the URL ${language} ${size}`);

      // A selection of every matching user is a filter in the URL, its total read again.
      await page.goto(`${system.portalUrl}/customers/${customerId}/users?search=User+12`);
      await page.getByText(position(tr, 1, 1, 10)).waitFor();
      await page.getByRole('button', { name: tr('users:selectAllMatching', { count: 10 }) }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('selectedFilter')).toBe('{"search":"User 12"}');
      await page.reload();
      await page
        .getByRole('status')
        .filter({ hasText: tr('users:selected', { count: 10 }) })
        .waitFor();
      expect(problems).toEqual([]);
      await page.context().close();
    }, 120_000);

  // Jobs of three statuses, enough for two pages of 25: made once, for both languages' runs.
  let jobsMade: Promise<void> | undefined;
  function makeJobs() {
    jobsMade ??= (async () => {
      const started = async (body: Record<string, unknown>) => {
        const res = await system.api('POST', `/v1/customers/${customerId}/license-jobs`, body);
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        return res.body.id as string;
      };
      // 26 finished ones (with the setup's), each on User 120 (the other tests' users keep their history).
      for (let i = 0; i < 25; i++)
        await waitForJob(
          system,
          customerId,
          await started({
            userIds: [ids.get('User 120')],
            ...(i % 2 ? { revoke: ['EMS'] } : { assign: [{ productId: 'EMS' }] }),
          }),
        );
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      await started({ userIds: [ids.get('User 121')], assign: [{ productId: 'EMS' }], notBefore: tomorrow });
      const cancelled = await started({
        userIds: [ids.get('User 122')],
        assign: [{ productId: 'EMS' }],
        notBefore: tomorrow,
      });
      const cancel = await system.api('POST', `/v1/customers/${customerId}/license-jobs/${cancelled}/cancel`);
      expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);
    })();
    return jobsMade;
  }

  for (const language of ['en', 'ru'] as const)
    it(`keeps the jobs list's page, page size and status filter in the URL (${language})`, async () => {
      await makeJobs();
      const { page, problems, tr } = await signedIn(language, 'desktop', `/customers/${customerId}/jobs`);
      const jobsPosition = (at: number, last: number, total: number) =>
        tr('pager.position', { page: at, last, total: tr('jobs:count', { count: total }) });
      const rows = page
        .getByRole('table', { name: tr('jobs:recent') })
        .getByRole('row')
        .filter({ hasNot: page.getByRole('columnheader') });
      await page.getByRole('heading', { name: tr('jobs:title'), exact: true }).waitFor();
      await page.getByText(jobsPosition(1, 1, 28)).waitFor();
      await expectUsable(page, `jobs ${language}`);

      // 25 a page, page 2: both in the URL, both kept by a reload.
      await page.getByLabel(tr('pager.pageSize')).selectOption('25');
      await page.getByText(jobsPosition(1, 2, 28)).waitFor();
      await page.getByRole('button', { name: tr('pager.next') }).click();
      await page.getByText(jobsPosition(2, 2, 28)).waitFor();
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ pageSize: '25', page: '2' });
      await page.reload();
      await page.getByText(jobsPosition(2, 2, 28)).waitFor();
      await expect.poll(() => rows.count()).toBe(3);

      // A status: page 1 of that status's jobs, the status in the URL.
      const filter = page.getByLabel(tr('jobs:statusFilter.label'));
      await filter.selectOption('scheduled');
      await page.getByText(jobsPosition(1, 1, 1)).waitFor();
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ pageSize: '25', status: 'scheduled' });
      await rows.first().getByText(tr('jobs:status.scheduled'), { exact: true }).waitFor();
      await expectUsable(page, `scheduled jobs ${language}`);
      await filter.selectOption('cancelled');
      await page.getByText(jobsPosition(1, 1, 1)).waitFor();
      await rows.first().getByText(tr('jobs:status.cancelled'), { exact: true }).waitFor();
      await filter.selectOption('completed');
      await page.getByText(jobsPosition(1, 2, 26)).waitFor();
      await filter.selectOption('failed');
      await page.getByText(tr('jobs:statusFilter.noMatch')).waitFor();
      await expectUsable(page, `no failed jobs ${language}`);

      // A report and back: the list as it was; a link opens the same list in another browser.
      await filter.selectOption('cancelled');
      await page.getByText(jobsPosition(1, 1, 1)).waitFor();
      await rows.first().getByRole('link').click();
      await page.getByRole('heading', { name: tr('jobs:report.title'), exact: true }).waitFor();
      await page.goBack();
      await page.getByText(jobsPosition(1, 1, 1)).waitFor();
      expect(await filter.inputValue()).toBe('cancelled');
      const url = new URL(page.url());
      const other = await signedIn(language, 'desktop', `${url.pathname}${url.search}`);
      await other.page.getByText(jobsPosition(1, 1, 1)).waitFor();
      expect(await other.page.getByLabel(tr('jobs:statusFilter.label')).inputValue()).toBe('cancelled');
      await other.page.context().close();
      expect(problems).toEqual([]);
      await page.context().close();
    }, 120_000);

  // The longest walk of the portal (a dozen dialogs): on a loaded 2-core machine one of its waits
  // may run out, so it is tried up to three times; each try starts from a new customer of its own.
  const attempts: Record<string, number> = {};
  for (const { language, size } of runs)
    it(`creates a customer, adds, imports (with per-row errors) and deletes users, sells and takes back licenses, and shows the audit log by type (${language}, ${size})`, {
      timeout: 180_000,
      retry: 2,
    }, async () => {
      const { page, problems, tr } = await signedIn(language, size);
      const attempt = (attempts[`${language} ${size}`] ?? 0) + 1;
      attempts[`${language} ${size}`] = attempt;
      const name = `Tailspin ${language} ${size} ${attempt}`;
      const domain = `tailspin-${language}-${size}-${attempt}.example`;
      await page.getByRole('heading', { name: tr('customers:title'), exact: true }).waitFor();

      // A customer: its name and country (the country's name shown as typed).
      await page.getByRole('button', { name: tr('customers:add.button') }).click();
      const addCustomer = page.getByRole('dialog', { name: tr('customers:add.title') });
      await addCustomer.getByLabel(tr('customers:name')).fill(name);
      await addCustomer.getByLabel(tr('customers:country')).fill('de');
      await addCustomer.getByText(language === 'ru' ? 'Германия' : 'Germany').waitFor();
      await expectUsable(page, `add customer ${language} ${size}`);
      await addCustomer.getByRole('button', { name: tr('customers:add.submit') }).click();
      await page.getByText(tr('customers:add.added', { name })).waitFor();
      const customers = await system.api('GET', '/v1/customers?pageSize=500');
      const created = customers.body.items.find((c: { name: string }) => c.name === name);
      expect(created).toMatchObject({ country: 'DE' });
      await page.getByRole('link', { name: tr('customers:add.open') }).click();
      await page.getByRole('heading', { name: tr('users:title'), exact: true }).waitFor();

      // One user by hand.
      await page.getByRole('button', { name: tr('users:add.button') }).click();
      const addUser = page.getByRole('dialog', { name: tr('users:add.title') });
      await addUser.getByLabel(tr('users:userPrincipalName')).fill(`ada@${domain}`);
      await addUser.getByLabel(tr('users:edit.displayName')).fill('Ada Lovelace');
      await addUser.getByLabel(tr('users:usageLocation')).fill('fr');
      await expectUsable(page, `add user ${language} ${size}`);
      await addUser.getByRole('button', { name: tr('users:add.submit') }).click();
      await page.getByText(tr('users:add.added', { name: 'Ada Lovelace' })).waitFor();
      await page.getByText(position(tr, 1, 1, 1)).waitFor();

      // An import: every row's problem at once, nothing sent; the API's refusal shown on its row; then all.
      await page.getByRole('button', { name: tr('users:import.button') }).click();
      const importDialog = page.getByRole('dialog', { name: tr('users:import.title') });
      const file = importDialog.getByLabel(tr('users:import.file'));
      const csv = (lines: string[]) => ({
        name: 'users.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(lines.join('\r\n')),
      });
      await file.setInputFiles(
        csv([
          'displayName,userPrincipalName,usageLocation,department',
          `Grace Hopper,grace@${domain},US,Navy`,
          'No Domain,nodomain,,',
          `,alan@${domain},GB,`,
          `Grace Again,GRACE@${domain},,`,
          `"Lin, Mei",mei@${domain},Germany,"R&D"`,
        ]),
      );
      const problemsList = importDialog.getByRole('list', { name: tr('users:import.problemsLabel') });
      await problemsList.waitFor();
      expect(await problemsList.getByRole('listitem').allTextContents()).toEqual([
        tr('users:import.rowProblem', { line: 3, name: 'nodomain', problems: tr('users:import.badUserPrincipalName') }),
        tr('users:import.rowProblem', {
          line: 4,
          name: `alan@${domain}`,
          problems: tr('users:import.missingDisplayName'),
        }),
        tr('users:import.rowProblem', {
          line: 5,
          name: `GRACE@${domain}`,
          problems: tr('users:import.repeated', { line: 2 }),
        }),
        tr('users:import.rowProblem', {
          line: 6,
          name: `mei@${domain}`,
          problems: tr('users:import.badUsageLocation', { value: 'GERMANY' }),
        }),
      ]);
      expect(
        await importDialog.getByRole('button', { name: tr('users:import.submit', { count: 5 }) }).isDisabled(),
      ).toBe(true);
      await expectUsable(page, `import problems ${language} ${size}`);
      await file.setInputFiles(
        csv(['userPrincipalName,displayName', `grace@${domain},Grace Hopper`, `ADA@${domain},Ada Again`]),
      );
      await importDialog.getByRole('button', { name: tr('users:import.submit', { count: 2 }) }).click();
      await problemsList
        .getByText(
          tr('users:import.rowProblem', { line: 3, name: `ADA@${domain}`, problems: tr('users:import.taken') }),
        )
        .waitFor();
      expect((await system.api('GET', `/v1/customers/${created.id}/users`)).body.total).toBe(1);
      await file.setInputFiles(
        csv([
          'userPrincipalName,displayName,usageLocation,department',
          `grace@${domain},Grace Hopper,US,Navy`,
          `alan@${domain},Alan Turing,GB,`,
          `mei@${domain},"Lin, Mei",DE,R&D`,
        ]),
      );
      await importDialog.getByText(tr('users:import.readyToImport', { count: 3 })).waitFor();
      await importDialog.getByRole('button', { name: tr('users:import.submit', { count: 3 }) }).click();
      await page.getByText(tr('users:import.imported', { count: 3 })).waitFor();
      await page.getByText(position(tr, 1, 1, 4)).waitFor();
      if (size === 'desktop') await screenshot(page, `portal-${language}-users-admin.png`);
      const mei = (await system.api('GET', `/v1/customers/${created.id}/users?search=mei`)).body.items[0];
      expect(mei).toMatchObject({ displayName: 'Lin, Mei', usageLocation: 'DE', department: 'R&D' });

      // Delete, after a confirmation.
      await page.getByRole('button', { name: tr('users:delete.named', { name: 'Alan Turing' }) }).click();
      const confirm = page.getByRole('alertdialog', { name: tr('users:delete.title', { name: 'Alan Turing' }) });
      await confirm.getByText(tr('users:delete.withoutLicenses', { name: `alan@${domain}` })).waitFor();
      await expectUsable(page, `delete user ${language} ${size}`);
      await confirm.getByRole('button', { name: tr('users:delete.confirm') }).click();
      await page.getByText(tr('users:delete.deleted', { name: 'Alan Turing' })).waitFor();
      await page.getByText(position(tr, 1, 1, 3)).waitFor();
      expect((await system.api('GET', `/v1/customers/${created.id}/users?search=alan`)).body.total).toBe(0);

      // Subscriptions: a product the customer has none of, then its quantity down and up.
      await page
        .getByRole('navigation', { name: tr('nav.customer') })
        .getByRole('link', { name: tr('nav.subscriptions') })
        .click();
      await page.getByRole('heading', { name: tr('customers:subscriptions.title'), exact: true }).waitFor();
      await page.getByText(tr('customers:subscriptions.empty')).waitFor();
      await page.getByRole('button', { name: tr('customers:subscriptions.add.button') }).click();
      const addProduct = page.getByRole('dialog', { name: tr('customers:subscriptions.add.title') });
      await addProduct
        .getByLabel(tr('customers:subscriptions.product'))
        .selectOption({ label: 'Enterprise Mobility + Security E3' });
      const quantity = addProduct.getByRole('spinbutton', { name: tr('customers:subscriptions.quantity') });
      await quantity.fill('5');
      await quantity.press('Tab');
      await expectUsable(page, `add product ${language} ${size}`);
      await addProduct.getByRole('button', { name: tr('customers:subscriptions.add.submit') }).click();
      await page
        .getByText(tr('customers:subscriptions.add.added', { product: 'Enterprise Mobility + Security E3', count: 5 }))
        .waitFor();
      const ada = (await system.api('GET', `/v1/customers/${created.id}/users?search=ada`)).body.items[0];
      const job = await system.api('POST', `/v1/customers/${created.id}/license-jobs`, {
        userIds: [ada.id],
        assign: [{ productId: 'EMS' }],
      });
      await waitForJob(system, created.id, job.body.id);
      await page.reload();
      const change = page.getByRole('button', {
        name: tr('customers:subscriptions.change.named', { product: 'Enterprise Mobility + Security E3' }),
      });
      await change.click();
      const changeDialog = page.getByRole('dialog', {
        name: tr('customers:subscriptions.change.title', { product: 'Enterprise Mobility + Security E3' }),
      });
      const newQuantity = changeDialog.getByRole('spinbutton', { name: tr('customers:subscriptions.quantity') });
      await newQuantity.fill('0');
      await newQuantity.press('Tab');
      await changeDialog.getByRole('button', { name: tr('customers:subscriptions.change.save') }).click();
      await expect
        .poll(() => changeDialog.getByRole('alert').textContent())
        .toBe(
          tr('customers:subscriptions.belowUsage', { assigned: 1, reserved: 0, minimum: 1 }) +
            tr('problem.code', { code: 'quantity_below_usage' }),
        );
      await expectUsable(page, `quantity below usage ${language} ${size}`);
      await newQuantity.fill('2');
      await newQuantity.press('Tab');
      await changeDialog.getByRole('button', { name: tr('customers:subscriptions.change.save') }).click();
      await page
        .getByText(
          tr('customers:subscriptions.change.changed', { product: 'Enterprise Mobility + Security E3', count: 2 }),
        )
        .waitFor();
      await change.click();
      await newQuantity.fill('12');
      await newQuantity.press('Tab');
      await changeDialog.getByRole('button', { name: tr('customers:subscriptions.change.save') }).click();
      await page
        .getByText(
          tr('customers:subscriptions.change.changed', { product: 'Enterprise Mobility + Security E3', count: 12 }),
        )
        .waitFor();
      await changeDialog.waitFor({ state: 'detached' }); // axe reads the page once the dialog is gone
      const subscriptions = await system.api('GET', `/v1/customers/${created.id}/subscriptions`);
      expect(subscriptions.body.items).toMatchObject([{ productId: 'EMS', quantity: 12, assigned: 1, available: 11 }]);
      await expectUsable(page, `subscriptions ${language} ${size}`);
      if (size === 'desktop') await screenshot(page, `portal-${language}-subscriptions.png`);

      // The audit log, all changes and by type (the type in the URL).
      await page
        .getByRole('navigation', { name: tr('nav.customer') })
        .getByRole('link', { name: tr('nav.audit') })
        .click();
      await page.getByRole('heading', { name: tr('customers:audit.title'), exact: true }).waitFor();
      const events =
        size === 'phone'
          ? page.getByRole('list', { name: tr('customers:audit.title') }).getByRole('listitem')
          : page
              .getByRole('table', { name: tr('customers:audit.title') })
              .getByRole('row')
              .filter({ hasNot: page.getByRole('columnheader') });
      await events.first().waitFor();
      const all = (await events.allTextContents()).join('\n');
      for (const type of [
        'customerCreated',
        'userCreated',
        'userDeleted',
        'subscriptionUpdated',
        'jobAccepted',
      ] as const)
        expect(all).toContain(tr(`customers:audit.type.${type}`));
      await expectUsable(page, `audit ${language} ${size}`);
      if (size === 'desktop') await screenshot(page, `portal-${language}-audit.png`);
      await page.getByLabel(tr('customers:audit.filter')).selectOption('subscription.updated');
      await expect.poll(() => new URL(page.url()).searchParams.get('type')).toBe('subscription.updated');
      await expect.poll(() => events.count()).toBe(3);
      const texts = await events.allTextContents();
      expect(texts[0]).toContain(
        tr('customers:audit.details.subscription', { product: 'Enterprise Mobility + Security E3', old: 2, count: 12 }),
      );
      expect(texts[2]).toContain(
        tr('customers:audit.details.subscriptionNew', { product: 'Enterprise Mobility + Security E3', count: 5 }),
      );
      await page.reload();
      await expect.poll(() => events.count()).toBe(3);
      expect(problems).toEqual([]);
      await page.context().close();
    });

  for (const { language, size } of runs)
    it(`shows a user's page (details, licenses with plans, history), exports the list as CSV, and explains plan dependencies for every product (${language}, ${size})`, async () => {
      const { page, problems, tr } = await signedIn(language, size, `/customers/${customerId}/users?search=User+011`);
      await page.getByText(position(tr, 1, 1, 1)).waitFor();

      // The export: the list as filtered, with licenses by name.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: tr('users:export.button') }).click(),
      ]);
      const { readFile } = await import('node:fs/promises');
      const exported = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
      expect(exported).toEqual([
        'userPrincipalName,displayName,usageLocation,department,licenses,disabledServicePlans',
        'user011@fabrikam.example,User 011,,,Microsoft 365 E3,',
      ]);

      // The user's page: the heading has the focus after the navigation.
      await page.getByRole('link', { name: 'User 011' }).click();
      await page.getByRole('heading', { name: 'User 011', exact: true }).waitFor();
      await expect
        .poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`))
        .toBe('H1 User 011');
      await page.getByText('user011@fabrikam.example').waitFor();
      const license = page.getByRole('group', { name: 'Microsoft 365 E3' });
      const plans = license.getByRole('list', { name: tr('users:user.plansOf', { product: 'Microsoft 365 E3' }) });
      expect(await plans.getByText(tr('users:user.planOn', { plan: 'Microsoft Teams' })).count()).toBe(1);
      const history =
        size === 'phone'
          ? page.getByRole('list', { name: tr('users:user.history') })
          : page.getByRole('table', { name: tr('users:user.history') });
      await history.getByText(tr('users:user.assign', { product: 'Microsoft 365 E3' })).waitFor();
      expect(await history.textContent()).toContain(tr('errors:outcome.assigned'));
      expect(await page.title()).toBe(tr('pageTitle', { page: 'User 011' }));
      await expectUsable(page, `user page ${language} ${size}`);
      if (size === 'desktop') await screenshot(page, `portal-${language}-user.png`);

      // Plans of a product some of the selection holds, and of one none holds: shown, not to be chosen.
      const both = `${ids.get('User 011')},${ids.get('User 013')}`;
      await page.goto(`${system.portalUrl}/customers/${customerId}/licenses?selected=${both}`);
      const e3 = page.getByRole('group', { name: 'Microsoft 365 E3' });
      const e3Box = e3.getByRole('checkbox', { name: 'Microsoft 365 E3', exact: true });
      await e3Box.waitFor();
      expect(await e3Box.getAttribute('aria-checked')).toBe('mixed');
      await e3.getByRole('button', { name: tr('licenses:viewPlans') }).click();
      const e3Plans = e3.getByRole('group', { name: tr('licenses:plansOfUnticked', { product: 'Microsoft 365 E3' }) });
      await e3Plans.waitFor();
      expect(await e3Plans.getByRole('checkbox').first().isDisabled()).toBe(true);
      const ems = page.getByRole('group', { name: 'Enterprise Mobility + Security E3' });
      await ems.getByRole('button', { name: tr('licenses:viewPlans') }).click();
      await ems
        .getByRole('group', { name: tr('licenses:plansOfUnticked', { product: 'Enterprise Mobility + Security E3' }) })
        .waitFor();
      await expectUsable(page, `plans of unticked products ${language} ${size}`);

      // Ticked: a plan others need says so, and turning it off turns them off, in words.
      await e3Box.click(); // mixed → all
      expect(await e3Box.isChecked()).toBe(true);
      const sharePoint = e3.getByRole('checkbox', {
        name: tr('licenses:planOf', { plan: 'SharePoint Online (Plan 2)', product: 'Microsoft 365 E3' }),
      });
      const needers = ['Microsoft Forms (Plan E3)', 'Stream (Plan E3)', 'Microsoft Planner'];
      const list = new Intl.ListFormat(language, { type: 'conjunction' }).format(needers);
      expect(await sharePoint.getAttribute('aria-describedby')).toBeTruthy();
      await e3.getByText(tr('licenses:planNeededBy', { plans: list })).waitFor();
      await sharePoint.uncheck();
      await e3.getByText(tr('licenses:plansAlsoOff', { plan: 'SharePoint Online (Plan 2)', plans: list })).waitFor();
      const forms = e3.getByRole('checkbox', {
        name: tr('licenses:planOf', { plan: 'Microsoft Forms (Plan E3)', product: 'Microsoft 365 E3' }),
      });
      expect(await forms.isChecked()).toBe(false);
      await forms.check();
      await e3
        .getByText(
          tr('licenses:plansAlsoOn', { plan: 'Microsoft Forms (Plan E3)', plans: 'SharePoint Online (Plan 2)' }),
        )
        .waitFor();
      expect(await sharePoint.isChecked()).toBe(true);
      await expectUsable(page, `plan dependencies ${language} ${size}`);
      expect(problems).toEqual([]);
      await page.context().close();
    }, 120_000);
});

// Accept-Language through the real API, worker, Postgres and Redis: problem titles and details,
// and per-user error messages in results, previews and CSV, in English or Russian; codes and
// field names the same in both; Content-Language and Vary on every answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { ADDON, REGIONAL, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let partner: PartnerClient;
const ru = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' };

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

describe('Accept-Language', () => {
  it('words problems in Russian or English by quality value, English for anything else, with Content-Language and Vary', async () => {
    const missing = '/v1/customers/00000000-0000-4000-8000-000000000000';
    const cases: [string | undefined, 'en' | 'ru'][] = [
      [undefined, 'en'],
      ['ru', 'ru'],
      ['ru-RU', 'ru'],
      ['en-US,en;q=0.9,ru;q=0.8', 'en'],
      ['de-DE, ru;q=0.5, en;q=0.4', 'ru'],
      ['ru;q=0, en', 'en'],
      ['fr-FR, de', 'en'],
      ['*', 'en'],
      ['garbage;;;q=x', 'en'],
    ];
    for (const [header, language] of cases) {
      const res = await partner.call('GET', missing, undefined, header ? { 'accept-language': header } : {});
      expect(res.status, String(header)).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.headers['content-language'], String(header)).toBe(language);
      expect(String(res.headers.vary)).toMatch(/Accept-Language/i);
      if (language === 'ru') expect(res.body).toMatchObject({ title: 'Не найдено', detail: 'Клиент не найден.' });
      else expect(res.body).toMatchObject({ title: 'Not Found', detail: 'The customer was not found.' });
    }
    // A successful answer says its language too.
    const list = await partner.call('GET', '/v1/customers', undefined, ru);
    expect(list.status).toBe(200);
    expect(list.headers['content-language']).toBe('ru');
    expect(String(list.headers.vary)).toMatch(/Accept-Language/i);
  });

  it('keeps codes and fields while the words change: validation, unknown products, missing seats', async () => {
    const customer = await partner.customer();
    const bad = await partner.call('POST', '/v1/customers', { name: '', country: 'US' }, ru);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_error');
    expect(bad.body.title).toBe('Неверный запрос');
    expect(bad.body.detail).toMatch(/^Недопустимые данные \(body\): name /);
    expect(bad.body.errors[0].path).toBe('name');

    const [user] = await partner.users(customer, 1);
    const unknown = await partner.startJob(customer, { userIds: [user], assign: [{ productId: 'NOPE' }] }, ru);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({
      code: 'unknown_product',
      productIds: ['NOPE'],
      title: 'Необрабатываемые данные',
      detail: 'Неизвестный продукт «NOPE».',
    });
    const english = await partner.startJob(customer, { userIds: [user], assign: [{ productId: 'NOPE' }] });
    expect(english.body).toMatchObject({ code: 'unknown_product', detail: 'Unknown product "NOPE".' });

    await partner.subscribe(customer, SUITE.id, 0);
    const short = await partner.startJob(customer, { userIds: [user], assign: [{ productId: SUITE.id }] }, ru);
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({
      code: 'insufficient_licenses',
      shortages: [{ productId: SUITE.id, required: 1, available: 0 }],
      detail: `Недостаточно доступных лицензий: «${SUITE.id}»: нужно 1, доступно 0.`,
    });
    // Refused in any language: nothing was reserved or created.
    expect((await partner.subscriptions(customer))[SUITE.id]).toMatchObject({ reserved: 0, assigned: 0 });
    const [{ n }] = await system.env.sql`SELECT count(*)::int AS n FROM license_jobs WHERE customer_id = ${customer}`;
    expect(n).toBe(0);
  });

  it('words per-user errors in the reader’s language in previews, results and CSV, naming products by name', async () => {
    const customer = await partner.customer('Fabrikam', 'US');
    const batch = await partner.call('POST', `/v1/customers/${customer}/users/batch`, {
      users: [
        { userPrincipalName: 'ada@fabrikam.example', displayName: 'Ada' },
        { userPrincipalName: 'jean@fabrikam.example', displayName: 'Jean', usageLocation: 'FR' },
      ],
    });
    const [ada, jean] = batch.body.items.map((u: { id: string }) => u.id);
    await partner.subscribe(customer, REGIONAL.id, 5);
    await partner.subscribe(customer, ADDON.id, 5);
    const body = { userIds: [ada, jean], assign: [{ productId: REGIONAL.id }, { productId: ADDON.id }] };

    const preview = await partner.call('POST', `/v1/customers/${customer}/license-jobs/preview`, body, ru);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-language']).toBe('ru');
    const previewErrors = preview.body.failures.users.flatMap((u: any) => u.changes.filter((c: any) => c.error));
    expect(previewErrors.map((c: any) => c.error.code).sort()).toEqual([
      'DependencyViolation',
      'DependencyViolation',
      'ProhibitedInUsageLocationViolation',
    ]);
    const location = previewErrors.find((c: any) => c.error.code === 'ProhibitedInUsageLocationViolation');
    expect(location.error).toMatchObject({ productIds: [REGIONAL.id], usageLocation: 'FR' });
    expect(location.error.message).toBe(
      `Продукт «${REGIONAL.name}» недоступен в расположении для использования «FR» (Франция)`,
    );

    const job = await partner.startJob(customer, body);
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    await partner.waitForJob(customer, job.body.id);
    const path = `/v1/customers/${customer}/license-jobs/${job.body.id}/results`;
    const inRussian = await partner.call('GET', path, undefined, ru);
    const inEnglish = await partner.call('GET', path);
    expect(inRussian.headers['content-language']).toBe('ru');
    expect(inEnglish.headers['content-language']).toBe('en');
    const change = (res: any, user: string, productId: string) =>
      res.body.items.find((i: any) => i.userId === user).changes.find((c: any) => c.productId === productId);
    expect(change(inRussian, ada, ADDON.id).error).toEqual({
      code: 'DependencyViolation',
      productIds: [SUITE.id],
      message: `Продукту «${ADDON.name}» нужен один из продуктов: «${SUITE.name}»`,
    });
    expect(change(inEnglish, ada, ADDON.id).error.message).toBe(
      `Product "${ADDON.name}" requires one of "${SUITE.name}"`,
    );
    expect(change(inEnglish, jean, REGIONAL.id).error.message).toBe(
      `Product "${REGIONAL.name}" is not available in usage location "FR" (France)`,
    );

    const csv = await partner.call('GET', `${path}?format=csv`, undefined, ru);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-language']).toBe('ru');
    const row = String(csv.body)
      .split(/\r?\n/)
      .find((line) => line.startsWith('jean@fabrikam.example') && line.includes(`,${REGIONAL.id},`));
    expect(row).toContain('ProhibitedInUsageLocationViolation');
    expect(row).toContain(`недоступен в расположении для использования «FR» (Франция)`);
  });
});

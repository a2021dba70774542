// `licenses keys …` against a listening API: the key the CLI runs with, keys created by role or by
// scope for chosen customers, listed, refused beyond the creating key, revoked; exit statuses and
// the keys in Postgres checked.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@licensing/cli';
import { buildTestApi, createTestEnv, type TestEnv } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';

let env: TestEnv;
let api: Awaited<ReturnType<typeof buildTestApi>>;
let baseUrl: string;
let partner: PartnerClient;
let customerId: string;

class Captured {
  text = '';
  readonly isTTY = false;
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

async function cli(argv: string[], key = partner.apiKey) {
  const stdout = new Captured();
  const stderr = new Captured();
  const status = await runCli(argv, {
    env: { LICENSES_API_KEY: key, LICENSES_API_URL: baseUrl },
    stdin: Readable.from(['']),
    stdout,
    stderr,
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

beforeAll(async () => {
  env = await createTestEnv();
  api = await buildTestApi(env);
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  partner = await PartnerClient.create(api, 'CLI keys');
  customerId = await partner.customer();
});

afterAll(async () => {
  if (api?.server.listening) api.server.closeAllConnections();
  await api?.close();
  await env?.close();
});

describe('licenses keys', () => {
  it('shows the current key, creates one by role for a customer, lists it, and revokes it', async () => {
    const current = await cli(['keys', 'current', '--json']);
    expect(current.status, current.stderr).toBe(0);
    expect(JSON.parse(current.stdout)).toMatchObject({ issuedBy: 'operator', scopes: ['*'], customerIds: null });

    const created = await cli([
      'keys',
      'create',
      '--name',
      'Helpdesk',
      '--role',
      'helpdesk-agent',
      '--customer',
      customerId,
      '--expires',
      '2099-01-01T00:00:00Z',
    ]);
    expect(created.status, created.stderr).toBe(0);
    const helpdeskKey = created.stdout.trim();
    expect(helpdeskKey).toMatch(/^lsk_/);
    expect(created.stderr).toContain('shown only now');
    const [row] =
      await env.sql`SELECT id, name, scopes, customer_ids, expires_at FROM partner_api_keys WHERE name = 'Helpdesk'`;
    expect(row).toMatchObject({ scopes: ['read', 'licenses:write'], customer_ids: [customerId] });
    expect(new Date(row!.expires_at as string).toISOString()).toBe('2099-01-01T00:00:00.000Z');

    const table = await cli(['keys', 'list']);
    expect(table.status).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPES\s+CUSTOMERS\s+EXPIRES\s+LAST USED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual(['Operator-issued key', 'Helpdesk']);
    expect(table.stdout).toContain('read,licenses:write');

    // The helpdesk key sees itself, but may not manage keys.
    const itself = await cli(['keys', 'current', '--json'], helpdeskKey);
    expect(JSON.parse(itself.stdout)).toMatchObject({ name: 'Helpdesk', customerIds: [customerId] });
    const refused = await cli(['keys', 'list'], helpdeskKey);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('403 insufficient_scope');

    const revoked = await cli(['keys', 'revoke', row!.id as string]);
    expect(revoked.status, revoked.stderr).toBe(0);
    const after = await cli(['keys', 'current'], helpdeskKey);
    expect(after.status).toBe(2);
    expect(after.stderr).toContain('401 unauthorized');
  });

  it('creates a key by scopes, and refuses what it cannot do before calling the API', async () => {
    const created = await cli([
      'keys',
      'create',
      '--name',
      'Delegate',
      '--scope',
      'read',
      '--scope',
      'keys:manage',
      '--json',
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'Delegate',
      scopes: ['read', 'keys:manage'],
      customerIds: null,
    });
    const before = await env.sql`SELECT count(*)::int AS n FROM partner_api_keys`;
    for (const argv of [
      ['keys', 'create', '--name', 'X', '--role', 'boss'],
      ['keys', 'create', '--name', 'X', '--scope', 'everything'],
      ['keys', 'create', '--name', 'X'],
      ['keys', 'create', '--name', 'X', '--role', 'read-only', '--scope', 'read'],
      ['keys', 'create', '--name', 'X', '--role', 'read-only', '--expires', 'tomorrow'],
    ]) {
      const run = await cli(argv);
      expect(run.status, argv.join(' ')).toBe(2);
    }
    // A key cannot grant what it lacks: the API refuses, the CLI says why.
    const delegate = JSON.parse(created.stdout).apiKey as string;
    const wider = await cli(['keys', 'create', '--name', 'Wider', '--scope', 'read,users:write'], delegate);
    expect(wider.status).toBe(2);
    expect(wider.stderr).toContain('403 insufficient_scope');
    expect(wider.stderr).toContain('users:write');
    expect(await env.sql`SELECT count(*)::int AS n FROM partner_api_keys`).toEqual(before);
  });
});

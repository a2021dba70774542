// The `licenses` commands besides jobs, against a started system (catalog with its demo products,
// API, worker as processes): users imported from CSV (batches, errors by line number, a progress bar
// on a terminal) and exported with their licenses, subscriptions, the webhook and its deliveries to
// a receiver, the audit trail, customers; --json for scripts, tables for people; outcomes checked
// in Postgres.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@licensing/cli';
import { type StartedSystem, startSystem } from './support/started-system.ts';
import { Receiver, until } from './support/webhook-receiver.ts';

let system: StartedSystem;
let sql: postgres.Sql;
let apiKey: string;
let dir: string;
let receiver: Receiver;

class Captured {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

async function cli(argv: string[], options: { stdin?: string; tty?: boolean; key?: string } = {}) {
  const stdout = new Captured();
  const stderr = new Captured(options.tty ?? false);
  const status = await runCli(argv, {
    env: { LICENSES_API_KEY: options.key ?? apiKey, LICENSES_API_URL: system.apiUrl },
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const json = async (argv: string[]) => {
  const run = await cli([...argv, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

async function newPartner(name: string) {
  const response = await fetch(`${system.apiUrl}/v1/admin/partners`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-operator-token', 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  return ((await response.json()) as { apiKey: string }).apiKey;
}

async function newCustomer(name: string) {
  const run = await cli(['customers', 'create', '--name', name, '--country', 'US']);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

const usersOf = (customerId: string) =>
  sql<{ upn: string; name: string; location: string | null; department: string | null }[]>`
    select user_principal_name as upn, display_name as name, usage_location as location, department
    from users where customer_id = ${customerId} order by user_principal_name`;

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  system = await startSystem({ how: 'services', env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  sql = postgres(system.databaseUrl, { max: 2, onnotice: () => {} });
  apiKey = await newPartner('CLI commands partner');
  dir = await mkdtemp(join(tmpdir(), 'licenses-cli-commands-'));
}, 240_000);

afterAll(async () => {
  await sql?.end();
  await system?.stop();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('licenses users import', () => {
  it('creates the good lines in batches and reports every refused line with its number', async () => {
    const customerId = await newCustomer('Importers');
    // Already a user: its line is refused by the API (409), the rest of its batch goes on.
    expect(
      (
        await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
          stdin: 'userPrincipalName,displayName\ntaken@imp.example,Taken\n',
        })
      ).status,
    ).toBe(0);
    const file = join(dir, 'import.csv');
    await writeFile(
      file,
      [
        'displayName,userPrincipalName,usageLocation,department', // 1
        'Ada Lovelace,ada@imp.example,gb,Research', // 2
        '"Turing, Alan",alan@imp.example,,', // 3
        'No Domain,nodomain,US,', // 4
        ',empty@imp.example,US,', // 5
        'Grace Hopper,grace@imp.example,USA,', // 6
        '', // 7: blank
        'Ada Again,ADA@imp.example,,', // 8
        'Taken,taken@imp.example,,', // 9
        'Zero Width,zero\u200bwidth@imp.example,,', // 10
        'Katherine Johnson,katherine@imp.example,US,Flight', // 11
      ].join('\r\n'),
    );
    const run = await cli(['users', 'import', '--customer', customerId, '--file', file, '--batch-size', '2']);
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('line '));
    expect(lines).toEqual([
      'line 4: nodomain: invalid_line: userPrincipalName is not name@domain',
      'line 5: empty@imp.example: invalid_line: displayName is empty',
      'line 6: grace@imp.example: invalid_line: usageLocation "USA" is not a two-letter country code',
      'line 8: ADA@imp.example: invalid_line: repeats the user of line 2',
      'line 9: taken@imp.example: duplicate_user_principal_name: is already a user of the customer',
      'line 10: zero\u200bwidth@imp.example: invisible_characters: contains invisible characters',
    ]);
    expect(run.stderr).toContain('Imported 3 of 9 users; 6 lines with errors (above).');
    expect(await usersOf(customerId)).toEqual([
      { upn: 'ada@imp.example', name: 'Ada Lovelace', location: 'GB', department: 'Research' },
      { upn: 'alan@imp.example', name: 'Turing, Alan', location: null, department: null },
      { upn: 'katherine@imp.example', name: 'Katherine Johnson', location: 'US', department: 'Flight' },
      { upn: 'taken@imp.example', name: 'Taken', location: null, department: null },
    ]);

    // The same file again, for a script, in batches of two sent three at a time: every line is now
    // refused, listed in line order in JSON.
    const again = await cli([
      'users',
      'import',
      '--customer',
      customerId,
      '--file',
      file,
      '--batch-size',
      '2',
      '--parallel',
      '3',
      '--json',
    ]);
    expect(again.status).toBe(1);
    const report = JSON.parse(again.stdout);
    expect(report).toMatchObject({ created: 0, lines: 9 });
    expect(report.errors.map((e: { line: number; code: string }) => `${e.line} ${e.code}`)).toEqual([
      '2 duplicate_user_principal_name',
      '3 duplicate_user_principal_name',
      '4 invalid_line',
      '5 invalid_line',
      '6 invalid_line',
      '8 invalid_line',
      '9 duplicate_user_principal_name',
      '10 invisible_characters',
      '11 duplicate_user_principal_name',
    ]);
    expect(
      (await cli(['users', 'import', '--customer', customerId, '--file', file, '--parallel', '5'])).stderr,
    ).toContain('--parallel must be a whole number from 1 to 4');
    expect(await usersOf(customerId)).toHaveLength(4);
  });

  it('shows a progress bar on a terminal and refuses a file it cannot read, creating nothing', async () => {
    const customerId = await newCustomer('Progress');
    const file = join(dir, 'many.csv');
    const rows = Array.from({ length: 2500 }, (_, i) => `user${i}@many.example,User ${i}`);
    await writeFile(file, `userPrincipalName,displayName\n${rows.join('\n')}\n`);
    const run = await cli(['users', 'import', '--customer', customerId, '--file', file], { tty: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\r\x1b\[2K\[#{30}\] 100% 2,500 lines read, 2,500 users created, 0 lines with errors\n/);
    expect(run.stderr).toContain('Imported 2,500 of 2,500 users.');
    expect((await usersOf(customerId)).length).toBe(2500);

    const other = await newCustomer('Refused');
    const unknown = await cli(['users', 'import', '--customer', other, '--file', '-'], {
      stdin: 'userPrincipalName,displayName,manager\na@x.example,A,b\n',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown column "manager"');
    const headerless = await cli(['users', 'import', '--customer', other, '--file', '-'], {
      stdin: 'userPrincipalName\na@x.example\n',
    });
    expect(headerless.stderr).toContain('the header names no displayName column');
    expect((await cli(['users', 'import', '--customer', other, '--file', join(dir, 'nope.csv')])).stderr).toContain(
      'no such file',
    );
    const foreign = await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
      stdin: 'userPrincipalName,displayName\nz@x.example,Z\n',
      key: await newPartner('Another partner'),
    });
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toContain('404 not_found');
    expect(await usersOf(other)).toEqual([]);
    expect((await usersOf(customerId)).length).toBe(2500);
  });
});

describe('licenses users export, subscriptions, jobs', () => {
  it('exports users with their licenses as CSV that imports back', async () => {
    const customerId = await newCustomer('Exporters');
    await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
      stdin:
        'userPrincipalName,displayName,usageLocation\nana@exp.example,Ana,FR\n"=cmd@exp.example",Formula,\nbo@exp.example,Bo,\n',
    });
    const set = await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '5']);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toBe('SPE_E3: 5 seats, 0 assigned, 0 reserved, 5 available\n');
    const job = await cli(
      [
        'jobs',
        'create',
        '--customer',
        customerId,
        '--users',
        '-',
        '--assign',
        'SPE_E3',
        '--disable',
        'TEAMS1',
        '--watch',
      ],
      { stdin: 'ana@exp.example\nbo@exp.example\n' },
    );
    expect(job.status, job.stderr).toBe(0);

    const file = join(dir, 'export.csv');
    const exported = await cli(['users', 'export', '--customer', customerId, '--file', file]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Exported 3 users to ${file}.`);
    const ids = Object.fromEntries(
      (
        await sql<
          { upn: string; id: string }[]
        >`select user_principal_name as upn, id from users where customer_id = ${customerId}`
      ).map((u) => [u.upn, u.id]),
    );
    expect(await readFile(file, 'utf8')).toBe(
      'userPrincipalName,displayName,usageLocation,department,userId,licenses,disabledServicePlans\r\n' +
        `ana@exp.example,Ana,FR,,${ids['ana@exp.example']},SPE_E3,SPE_E3:TEAMS1\r\n` +
        `bo@exp.example,Bo,,,${ids['bo@exp.example']},SPE_E3,SPE_E3:TEAMS1\r\n` +
        `'=cmd@exp.example,Formula,,,${ids['=cmd@exp.example']},,\r\n`,
    );
    const toStdout = await cli(['users', 'export', '--customer', customerId]);
    expect(toStdout.stdout).toBe(await readFile(file, 'utf8'));

    const copy = await newCustomer('Exporters copy');
    const imported = await cli(['users', 'import', '--customer', copy, '--file', file]);
    expect(imported.status, imported.stderr).toBe(0);
    expect((await usersOf(copy)).map((u) => [u.upn, u.name, u.location])).toEqual([
      ['=cmd@exp.example', 'Formula', null],
      ['ana@exp.example', 'Ana', 'FR'],
      ['bo@exp.example', 'Bo', null],
    ]);

    const listed = await cli(['users', 'list', '--customer', customerId]);
    expect(listed.stdout.split('\n').slice(0, 2)).toEqual([
      'USER PRINCIPAL NAME  DISPLAY NAME  LOCATION  LICENSES',
      'ana@exp.example      Ana           FR        SPE_E3',
    ]);
    expect((await json(['users', 'list', '--customer', customerId, '--search', 'bo'])).map((u: any) => u.id)).toEqual([
      ids['bo@exp.example'],
    ]);
  });

  it('lists and sets subscriptions, and says why a quantity is refused', async () => {
    const customerId = await newCustomer('Seats');
    await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
      stdin: 'userPrincipalName,displayName\none@seats.example,One\ntwo@seats.example,Two\n',
    });
    expect((await cli(['subscriptions', 'list', '--customer', customerId])).stdout).toBe('No subscriptions.\n');
    await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '10']);
    await cli(['subscriptions', 'set', 'MCOEV', '--customer', customerId, '--quantity', '2']);
    await cli(['jobs', 'create', '--customer', customerId, '--users', '-', '--assign', 'SPE_E3', '--watch'], {
      stdin: 'one@seats.example\ntwo@seats.example\n',
    });
    const table = await cli(['subscriptions', 'list', '--customer', customerId]);
    expect(table.stdout).toBe(
      'PRODUCT  NAME                            QUANTITY  ASSIGNED  RESERVED  AVAILABLE\n' +
        'MCOEV    Microsoft Teams Phone Standard  2         0         0         2\n' +
        'SPE_E3   Microsoft 365 E3                10        2         0         8\n',
    );
    const below = await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '1']);
    expect(below.status).toBe(2);
    expect(below.stderr).toContain('409 quantity_below_usage');
    const bad = await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--quantity must be a whole number');
    expect(await json(['subscriptions', 'list', '--customer', customerId])).toEqual([
      expect.objectContaining({ productId: 'MCOEV', quantity: 2, assigned: 0 }),
      expect.objectContaining({ productId: 'SPE_E3', quantity: 10, assigned: 2, available: 8 }),
    ]);
    const rows = await sql`select product_id, quantity from subscriptions where customer_id = ${customerId} order by 1`;
    expect(rows.map((r) => [r.product_id, r.quantity])).toEqual([
      ['MCOEV', 2],
      ['SPE_E3', 10],
    ]);
    const jobs = await json(['jobs', 'list', '--customer', customerId]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'completed', progress: { succeeded: 2 } });
  });
});

describe('licenses webhooks and audit', () => {
  it('sets the webhook, sends a test ping to the receiver and lists its deliveries', async () => {
    const partnerKey = await newPartner('Webhook partner');
    const as = (argv: string[]) => cli(argv, { key: partnerKey });
    const none = await as(['webhooks', 'show']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('404 not_found');
    const set = await as(['webhooks', 'set', '--url', receiver.url('/cli-hooks')]);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^whsec_\S+\n$/);
    expect(set.stderr).toContain('shown only now');
    expect((await as(['webhooks', 'show'])).stdout).toContain(receiver.url('/cli-hooks'));
    expect((await as(['webhooks', 'test'])).status).toBe(0);
    const [ping] = await until('the ping', () =>
      receiver.at('/cli-hooks').length ? receiver.at('/cli-hooks') : undefined,
    );
    expect(JSON.parse(ping!.body).type).toBe('ping');
    const delivered = await until('delivered', async () => {
      const run = await cli(['webhooks', 'deliveries', '--json'], { key: partnerKey });
      const items = JSON.parse(run.stdout);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(delivered).toEqual([expect.objectContaining({ type: 'ping', attempts: 1, lastStatusCode: 204 })]);
    expect(ping!.headers['webhook-id']).toBe(delivered[0].id);
    const table = await as(['webhooks', 'deliveries']);
    expect(table.stdout).toMatch(
      /^ID\s+TYPE\s+JOB\s+STATUS\s+ATTEMPTS\s+LAST\s+NEXT ATTEMPT\n\S+\s+ping\s+-\s+delivered\s+1\s+204/,
    );
    const rotated = await as(['webhooks', 'rotate-secret']);
    expect(rotated.stdout).toMatch(/^whsec_\S+\n$/);
    expect(rotated.stdout).not.toBe(set.stdout);
    expect((await as(['webhooks', 'delete'])).status).toBe(0);
    expect((await as(['webhooks', 'show'])).status).toBe(2);
    const refused = await as(['webhooks', 'set', '--url', 'ftp://example.invalid/x']);
    expect(refused.status).toBe(2);
  });

  it("lists a customer's audit events, newest first, by type", async () => {
    const customerId = await newCustomer('Audited');
    await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
      stdin: 'userPrincipalName,displayName\naudit@aud.example,Audit\n',
    });
    await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '3']);
    await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '4']);
    const events = await json(['audit', 'list', '--customer', customerId]);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'subscription.updated',
      'subscription.updated',
      'user.created',
      'customer.created',
    ]);
    expect(events[0].data).toMatchObject({ productId: 'SPE_E3', oldQuantity: 3, newQuantity: 4 });
    const typed = await json(['audit', 'list', '--customer', customerId, '--type', 'user.created', '--limit', '1']);
    expect(typed).toHaveLength(1);
    const table = await cli(['audit', 'list', '--customer', customerId, '--limit', '2']);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^AT\s+TYPE\s+KEY\s+DATA$/);
    expect(lines[1]).toMatch(/subscription\.updated\s+[0-9a-f-]{36}\s+.*newQuantity=4/);
  });

  it('lists customers, answers --help for every command, and refuses unknown ones', async () => {
    const listed = await json(['customers', 'list']);
    expect(listed.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Importers', 'Audited']));
    const main = await cli(['--help']);
    for (const group of ['customers', 'users', 'subscriptions', 'jobs', 'groups', 'webhooks', 'audit']) {
      expect(main.stdout).toContain(`  ${group} `);
      const help = await cli([group, '--help']);
      expect(help.status).toBe(0);
      for (const [, command] of help.stdout.matchAll(new RegExp(`^  ${group} (\\S+)`, 'gm'))) {
        const commandHelp = await cli([group, command!, '--help']);
        expect(commandHelp.status, `${group} ${command}`).toBe(0);
        expect(commandHelp.stdout).toMatch(new RegExp(`^Usage: licenses ${group} ${command}`));
      }
    }
    expect((await cli(['teams', 'list'])).stderr).toContain('unknown command "teams"');
    expect((await cli(['users', 'purge'])).status).toBe(2);
    expect((await cli(['users', 'list'])).stderr).toContain('--customer is required');
  });
});

describe('licenses groups', () => {
  it('creates a dynamic group, gives it a product, shows members and their states, and deletes it', async () => {
    const customerId = (await cli(['customers', 'create', '--name', 'Groups Inc', '--country', 'US'])).stdout.trim();
    const imported = await cli(['users', 'import', '--customer', customerId, '--file', '-'], {
      stdin: 'userPrincipalName,displayName,department\nann@groups.example,Ann,Sales\nbob@groups.example,Bob,HR\n',
    });
    expect(imported.status, imported.stderr).toBe(0);
    await cli(['subscriptions', 'set', 'SPE_E3', '--customer', customerId, '--quantity', '5']);
    const created = await cli([
      'groups',
      'create',
      '--customer',
      customerId,
      '--name',
      'Sales',
      '--department',
      'Sales',
    ]);
    expect(created.status, created.stderr).toBe(0);
    const groupId = created.stdout.trim();
    const set = await cli(['groups', 'set-licenses', groupId, '--customer', customerId, '--assign', 'SPE_E3']);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toContain('type:       dynamic');
    const holders = await until('the member licensed', async () => {
      const rows = await sql<{ upn: string; direct: boolean }[]>`
        SELECT u.user_principal_name AS upn, l.direct FROM user_licenses l
        JOIN users u ON u.customer_id = l.customer_id AND u.id = l.user_id WHERE l.customer_id = ${customerId}`;
      return rows.length ? rows : undefined;
    });
    expect(holders).toEqual([{ upn: 'ann@groups.example', direct: false }]);
    const members = await cli(['groups', 'members', groupId, '--customer', customerId]);
    expect(members.stdout).toMatch(/ann@groups\.example\s+SPE_E3\s+active/);
    const list = await cli(['groups', 'list', '--customer', customerId, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: groupId, name: 'Sales', memberCount: 1 }]);
    expect((await cli(['groups', 'delete', groupId, '--customer', customerId])).status).toBe(2);
    expect((await cli(['groups', 'set-licenses', groupId, '--customer', customerId, '--none'])).status).toBe(0);
    await until('the license removed', async () => {
      const [row] = await sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM user_licenses WHERE customer_id = ${customerId}`;
      return row!.n === 0 || undefined;
    });
    expect((await cli(['groups', 'delete', groupId, '--customer', customerId])).status).toBe(0);
  });
});

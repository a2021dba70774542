// `licenses keys …`: the partner's own API keys (scopes, customers, expiry): list, create, revoke,
// and the key the CLI runs with.
import { type components, unwrap } from '@licensing/client';
import { KEY_ROLES, type KeyRole, SCOPES, type Scope } from '@licensing/domain';
import { type CommandGroup, EXIT, list, str, strs, UsageError } from '../command.ts';
import { printJson, printTable } from '../output.ts';

type ApiKey = components['schemas']['ApiKey'];

const ROLES = Object.keys(KEY_ROLES) as KeyRole[];

const row = (k: ApiKey) => [
  k.id,
  k.name,
  k.prefix,
  k.scopes.join(','),
  k.customerIds?.join(',') ?? 'all',
  k.expiresAt ?? 'never',
  k.lastUsedAt ?? 'never',
];
const HEADERS = ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CUSTOMERS', 'EXPIRES', 'LAST USED'];

export const keys: CommandGroup = {
  summary: "the partner's API keys: list, create, revoke, current",
  commands: {
    list: {
      summary: "the partner's live API keys",
      usage: `Usage: licenses keys list [--json]

The live keys, oldest first: id, name, prefix, scopes ("*" is every scope), the customers a key is
limited to, when it expires and when it was last used. Needs a key with keys:manage.`,
      options: {},
      async run(ctx) {
        const listed = unwrap(await ctx.api.GET('/v1/keys', {}));
        if (ctx.json) printJson(ctx.io.stdout, listed);
        else printTable(ctx.io.stdout, HEADERS, listed.map(row), 'No keys.');
        return EXIT.ok;
      },
    },
    current: {
      summary: 'the key the CLI runs with: its name, scopes, customers and expiry',
      usage: `Usage: licenses keys current [--json]

Who is calling: the key of LICENSES_API_KEY (or --key), what it may do and until when.`,
      options: {},
      async run(ctx) {
        const key = unwrap(await ctx.api.GET('/v1/keys/current', {}));
        if (ctx.json) printJson(ctx.io.stdout, key);
        else printTable(ctx.io.stdout, HEADERS, [row(key)]);
        return EXIT.ok;
      },
    },
    create: {
      summary: 'issue a key with chosen scopes, customers and expiry; prints it once',
      usage: `Usage: licenses keys create --name <name> (--role <role> | --scope <scope>...) [--customer <id>]...
       [--expires <time>] [--json]

Issues a key of the partner and prints it on stdout, this once: store it. A key never grants more
than the key creating it holds (403 insufficient_scope otherwise).
  --name <name>       what the key is for
  --role <role>       scopes by Partner Center role: ${ROLES.map((r) => `${r} (${KEY_ROLES[r].join(', ')})`).join(', ')}
  --scope <scope>     a scope to grant (repeatable, or comma-separated): ${SCOPES.join(', ')}
  --customer <id>     limit the key to this customer (repeatable, or comma-separated); default: all
  --expires <time>    when the key stops working (RFC 3339, e.g. 2027-12-31T23:59:59Z); default: never`,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        scope: { type: 'string', multiple: true },
        customer: { type: 'string', multiple: true },
        expires: { type: 'string' },
      },
      required: ['name'],
      async run(ctx, parsed) {
        const role = str(parsed, 'role');
        const named = strs(parsed, 'scope').flatMap(list);
        if (role !== undefined && !ROLES.includes(role as KeyRole))
          throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        if ((role === undefined) === (named.length === 0)) throw new UsageError('give either --role or --scope');
        const unknown = named.filter((s) => !SCOPES.includes(s as Scope));
        if (unknown.length) throw new UsageError(`unknown scope ${unknown.join(', ')}; scopes: ${SCOPES.join(', ')}`);
        const scopes = role ? [...KEY_ROLES[role as KeyRole]] : (named as Scope[]);
        const customerIds = strs(parsed, 'customer').flatMap(list);
        const expires = str(parsed, 'expires');
        if (expires !== undefined && Number.isNaN(Date.parse(expires)))
          throw new UsageError('--expires must be a date and time (RFC 3339), e.g. 2027-12-31T23:59:59Z');
        const key = unwrap(
          await ctx.api.POST('/v1/keys', {
            body: {
              name: str(parsed, 'name')!,
              scopes,
              ...(customerIds.length ? { customerIds } : {}),
              ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
            },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, key);
        else {
          ctx.io.stdout.write(`${key.apiKey}\n`);
          ctx.io.stderr.write(
            `Key "${key.name}" (${key.id}) issued with ${key.scopes.join(', ')}; the key (above) is shown only now.\n`,
          );
        }
        return EXIT.ok;
      },
    },
    revoke: {
      summary: 'revoke a key; it stops working at once',
      usage: `Usage: licenses keys revoke <keyId>

Revokes the key: every request with it is refused from now on, its open event streams and CSV
downloads end. A key may revoke itself and the keys it could have issued.`,
      options: {},
      args: ['keyId'],
      async run(ctx, parsed) {
        unwrap(await ctx.api.DELETE('/v1/keys/{keyId}', { params: { path: { keyId: parsed.args[0]! } } }));
        ctx.io.stderr.write(`Key ${parsed.args[0]} revoked.\n`);
        return EXIT.ok;
      },
    },
  },
};

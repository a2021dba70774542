// `licenses groups …`: license groups: list, show, create (static or dynamic), members, add and remove
// members, set the group's licenses, reprocess, delete.
import { readFile } from 'node:fs/promises';
import { type Group, unwrap } from '@licensing/client';
import {
  type Command,
  type CommandGroup,
  type Context,
  count,
  EXIT,
  list,
  type Parsed,
  str,
  strs,
  UsageError,
} from '../command.ts';
import { n, printJson, printTable } from '../output.ts';
import { parseUserList } from '../user-list.ts';
import { readAll, resolveUsers } from './jobs.ts';

const customerOf = (parsed: Parsed) => str(parsed, 'customer')!;

function printGroup(ctx: Context, group: Group): void {
  if (ctx.json) {
    printJson(ctx.io.stdout, group);
    return;
  }
  const rule = group.membershipRule;
  const licenses = group.licenses
    .map((l) =>
      l.disabledServicePlans.length ? `${l.productId} (without ${l.disabledServicePlans.join(', ')})` : l.productId,
    )
    .join('; ');
  ctx.io.stdout.write(
    [
      `${group.name} (${group.id})`,
      `  type:       ${rule ? 'dynamic' : 'static'}`,
      ...(rule
        ? [
            `  rule:       ${[
              rule.departments && `department in ${rule.departments.join(', ')}`,
              rule.usageLocations && `usage location in ${rule.usageLocations.join(', ')}`,
              rule.userPrincipalNameSuffixes && `name ends with ${rule.userPrincipalNameSuffixes.join(', ')}`,
            ]
              .filter(Boolean)
              .join(' and ')}`,
          ]
        : []),
      `  members:    ${n(group.memberCount)} (${n(group.membersWaiting)} waiting for a seat, ${n(group.membersWithErrors)} in error)`,
      `  licenses:   ${licenses || 'none'}`,
      `  processing: ${group.processing.state}${group.processing.pendingUsers ? ` (${n(group.processing.pendingUsers)} users left)` : ''}`,
      '',
    ].join('\n'),
  );
}

/** The user ids of --users (a file or -, names or ids), resolved in the customer. */
async function usersOf(ctx: Context, parsed: Parsed): Promise<string[]> {
  const source = str(parsed, 'users');
  if (!source) throw new UsageError('--users <file|-> is required (user principal names or ids)');
  const text = source === '-' ? await readAll(ctx.io.stdin) : await readFile(source, 'utf8');
  let ids: string[];
  try {
    ids = await resolveUsers(ctx, customerOf(parsed), parseUserList(text));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
  if (ids.length === 0) throw new UsageError(`${source} names no users`);
  return ids;
}

const membersCommand = (action: 'add' | 'remove'): Command => ({
  summary: action === 'add' ? 'add users to a static group' : 'remove users from a static group',
  usage: `Usage: licenses groups ${action}-members <group> --customer <id> --users <file|-> [--json]

${action === 'add' ? 'Adds the users to the group; they gain its licenses' : 'Removes the users from the group; they lose its licenses'} in the
background. --users reads user principal names or ids, one per line (or a CSV naming the column).`,
  options: { customer: { type: 'string' }, users: { type: 'string' } },
  args: ['group'],
  required: ['customer', 'users'],
  async run(ctx: Context, parsed: Parsed) {
    const customerId = customerOf(parsed);
    const groupId = parsed.args[0]!;
    const userIds = await usersOf(ctx, parsed);
    const params = { path: { customerId, groupId } };
    const result =
      action === 'add'
        ? unwrap(
            await ctx.api.POST('/v1/customers/{customerId}/groups/{groupId}/members', { params, body: { userIds } }),
          )
        : unwrap(
            await ctx.api.POST('/v1/customers/{customerId}/groups/{groupId}/members/remove', {
              params,
              body: { userIds },
            }),
          );
    if (ctx.json) printJson(ctx.io.stdout, result);
    else
      ctx.io.stdout.write(
        'added' in result
          ? `${n(result.added)} users added\n`
          : `${n((result as { removed: number }).removed)} users removed\n`,
      );
    return EXIT.ok;
  },
});

export const groups: CommandGroup = {
  summary: 'license groups: list, show, create, members, licenses, reprocess, delete',
  commands: {
    list: {
      summary: "the customer's groups",
      usage: `Usage: licenses groups list --customer <id> [--json]

One row per group: its type, members, members waiting for a seat or in error, and what it grants.`,
      options: { customer: { type: 'string' } },
      required: ['customer'],
      async run(ctx, parsed) {
        const customerId = customerOf(parsed);
        const items: Group[] = [];
        for (let page = 1; ; page++) {
          const res = unwrap(
            await ctx.api.GET('/v1/customers/{customerId}/groups', {
              params: { path: { customerId }, query: { page, pageSize: 500 } },
            }),
          );
          items.push(...res.items);
          if (page >= res.totalPages) break;
        }
        if (ctx.json) printJson(ctx.io.stdout, items);
        else
          printTable(
            ctx.io.stdout,
            ['ID', 'NAME', 'TYPE', 'MEMBERS', 'WAITING', 'ERRORS', 'LICENSES'],
            items.map((g) => [
              g.id,
              g.name,
              g.membershipRule ? 'dynamic' : 'static',
              n(g.memberCount),
              n(g.membersWaiting),
              n(g.membersWithErrors),
              g.licenses.map((l) => l.productId).join(', '),
            ]),
            'No groups.',
          );
        return EXIT.ok;
      },
    },
    show: {
      summary: 'a group: rule, members, licenses and processing',
      usage: 'Usage: licenses groups show <group> --customer <id> [--json]',
      options: { customer: { type: 'string' } },
      args: ['group'],
      required: ['customer'],
      async run(ctx, parsed) {
        const group = unwrap(
          await ctx.api.GET('/v1/customers/{customerId}/groups/{groupId}', {
            params: { path: { customerId: customerOf(parsed), groupId: parsed.args[0]! } },
          }),
        );
        printGroup(ctx, group);
        return EXIT.ok;
      },
    },
    create: {
      summary: 'create a static group, or a dynamic one with a rule',
      usage: `Usage: licenses groups create --customer <id> --name <name> [--description <text>]
       [--department D]… [--usage-location CC]… [--upn-suffix S]… [--json]

Without --department, --usage-location or --upn-suffix the group is static. With any of them it is
dynamic: its members are the customer's users for whom every condition given holds (values of one
condition may be repeated or comma-separated; any of them matches). Prints the new group's id.`,
      options: {
        customer: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string' },
        department: { type: 'string', multiple: true },
        'usage-location': { type: 'string', multiple: true },
        'upn-suffix': { type: 'string', multiple: true },
      },
      required: ['customer', 'name'],
      async run(ctx, parsed) {
        const values = (name: string) => strs(parsed, name).flatMap(list);
        const departments = strs(parsed, 'department');
        const usageLocations = values('usage-location');
        const userPrincipalNameSuffixes = values('upn-suffix');
        const dynamic = departments.length + usageLocations.length + userPrincipalNameSuffixes.length > 0;
        const description = str(parsed, 'description');
        const group = unwrap(
          await ctx.api.POST('/v1/customers/{customerId}/groups', {
            params: { path: { customerId: customerOf(parsed) } },
            body: {
              name: str(parsed, 'name')!,
              ...(description ? { description } : {}),
              ...(dynamic
                ? {
                    membershipRule: {
                      ...(departments.length ? { departments } : {}),
                      ...(usageLocations.length ? { usageLocations } : {}),
                      ...(userPrincipalNameSuffixes.length ? { userPrincipalNameSuffixes } : {}),
                    },
                  }
                : {}),
            },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, group);
        else ctx.io.stdout.write(`${group.id}\n`);
        return EXIT.ok;
      },
    },
    members: {
      summary: "a group's members and where each stands (--state waiting|error|active)",
      usage: `Usage: licenses groups members <group> --customer <id> [--state S] [--limit N] [--json]

One line per member and product of the group: its state (active, waiting for a seat, error) and why.`,
      options: { customer: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } },
      args: ['group'],
      required: ['customer'],
      async run(ctx, parsed) {
        const customerId = customerOf(parsed);
        const groupId = parsed.args[0]!;
        const state = str(parsed, 'state');
        if (state !== undefined && !['active', 'waiting', 'error'].includes(state))
          throw new UsageError('--state must be active, waiting or error');
        const limit = count(parsed, 'limit', 1000);
        const members = [];
        for (let page = 1; members.length < limit; page++) {
          const res = unwrap(
            await ctx.api.GET('/v1/customers/{customerId}/groups/{groupId}/members', {
              params: {
                path: { customerId, groupId },
                query: { page, pageSize: 500, ...(state ? { state: state as 'active' | 'waiting' | 'error' } : {}) },
              },
            }),
          );
          members.push(...res.items);
          if (page >= res.totalPages) break;
        }
        const shown = members.slice(0, limit);
        if (ctx.json) printJson(ctx.io.stdout, shown);
        else
          printTable(
            ctx.io.stdout,
            ['USER', 'PRODUCT', 'STATE', 'SINCE', 'WHY'],
            shown.flatMap((u) => {
              const rows = u.licenseStates.filter((s) => s.groupId === groupId);
              return rows.length
                ? rows.map((s) => [u.userPrincipalName, s.productId, s.state, s.since, s.error?.message ?? ''])
                : [[u.userPrincipalName, '', '', '', '']];
            }),
            'No members.',
          );
        return EXIT.ok;
      },
    },
    'add-members': membersCommand('add'),
    'remove-members': membersCommand('remove'),
    'set-licenses': {
      summary: 'set the products every member should hold (none: --none)',
      usage: `Usage: licenses groups set-licenses <group> --customer <id> (--assign P [--disable PLAN]…)… | --none
       [--dry-run] [--confirm-removals N] [--json]

Replaces what the group grants; members follow in the background (a job with the group as its source).
--disable applies to the --assign before it; values may be comma-separated. --dry-run prints what the
change would do to every member and changes nothing; a change that takes licenses from more than 100
users needs --confirm-removals with at least that number.`,
      options: {
        customer: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'confirm-removals': { type: 'string' },
        assign: { type: 'string', multiple: true },
        disable: { type: 'string', multiple: true },
        none: { type: 'boolean' },
      },
      args: ['group'],
      required: ['customer'],
      async run(ctx, parsed) {
        const licenses: { productId: string; disabledServicePlans: string[] }[] = [];
        for (const token of parsed.tokens) {
          if (token.kind !== 'option' || token.value === undefined) continue;
          if (token.name === 'assign')
            for (const productId of list(token.value)) licenses.push({ productId, disabledServicePlans: [] });
          else if (token.name === 'disable') {
            const last = licenses.at(-1);
            if (!last) throw new UsageError('--disable names plans of the --assign before it; give an --assign first');
            last.disabledServicePlans.push(...list(token.value));
          }
        }
        if (licenses.length === 0 && parsed.values.none !== true)
          throw new UsageError('give at least one --assign, or --none to remove every license of the group');
        const dryRun = parsed.values['dry-run'] === true;
        const confirm = str(parsed, 'confirm-removals');
        const answer = unwrap(
          await ctx.api.PUT('/v1/customers/{customerId}/groups/{groupId}/licenses', {
            params: {
              path: { customerId: customerOf(parsed), groupId: parsed.args[0]! },
              query: dryRun ? { dryRun: 'true' } : {},
            },
            body: { licenses, ...(confirm ? { confirmRemovals: count(parsed, 'confirm-removals', 0) } : {}) },
          }),
        );
        if (!('usersLosing' in answer)) {
          printGroup(ctx, answer);
          return EXIT.ok;
        }
        if (ctx.json) printJson(ctx.io.stdout, answer);
        else
          ctx.io.stdout.write(
            [
              `would license ${n(answer.usersGaining)} users and take licenses from ${n(answer.usersLosing)}`,
              ...answer.seats.map(
                (seat) =>
                  `  ${seat.productId}: ${n(seat.required)} seats needed, ${n(seat.available)} free${seat.shortfall ? `, ${n(seat.shortfall)} would wait` : ''}`,
              ),
              ...Object.entries(answer.failures.byCode).map(([code, users]) => `  ${code}: ${n(users)} users`),
              '',
            ].join('\n'),
          );
        return EXIT.ok;
      },
    },
    reprocess: {
      summary: 'evaluate again the members waiting or in error',
      usage: 'Usage: licenses groups reprocess <group> --customer <id> [--json]',
      options: { customer: { type: 'string' } },
      args: ['group'],
      required: ['customer'],
      async run(ctx, parsed) {
        const group = unwrap(
          await ctx.api.POST('/v1/customers/{customerId}/groups/{groupId}/reprocess', {
            params: { path: { customerId: customerOf(parsed), groupId: parsed.args[0]! } },
          }),
        );
        printGroup(ctx, group);
        return EXIT.ok;
      },
    },
    delete: {
      summary: 'delete a group that grants no licenses',
      usage: 'Usage: licenses groups delete <group> --customer <id>',
      options: { customer: { type: 'string' } },
      args: ['group'],
      required: ['customer'],
      async run(ctx, parsed) {
        unwrap(
          await ctx.api.DELETE('/v1/customers/{customerId}/groups/{groupId}', {
            params: { path: { customerId: customerOf(parsed), groupId: parsed.args[0]! } },
          }),
        );
        if (!ctx.json) ctx.io.stdout.write('deleted\n');
        return EXIT.ok;
      },
    },
  },
};

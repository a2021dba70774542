// `licenses customers …`: the partner's customers.
import { type Customer, paginate, unwrap } from '@licensing/client';
import { type CommandGroup, count, EXIT, str } from '../command.ts';
import { printJson, printTable } from '../output.ts';

export const customers: CommandGroup = {
  summary: "the partner's customers: list, create",
  commands: {
    list: {
      summary: "the partner's customers",
      usage: `Usage: licenses customers list [--limit <n>] [--json]

The partner's customers (at most --limit, default 500): id, name, country, created.`,
      options: { limit: { type: 'string' } },
      async run(ctx, parsed) {
        const limit = count(parsed, 'limit', 500);
        const found: Customer[] = [];
        for await (const customer of paginate((page) =>
          ctx.api.GET('/v1/customers', { params: { query: { page, pageSize: Math.min(limit, 500) } } }),
        )) {
          found.push(customer);
          if (found.length >= limit) break;
        }
        if (ctx.json) printJson(ctx.io.stdout, found);
        else
          printTable(
            ctx.io.stdout,
            ['ID', 'NAME', 'COUNTRY', 'CREATED'],
            found.map((c) => [c.id, c.name, c.country, c.createdAt]),
            'No customers.',
          );
        return EXIT.ok;
      },
    },
    create: {
      summary: 'a new customer; prints its id',
      usage: `Usage: licenses customers create --name <name> --country <CC> [--json]

Creates a customer and prints its id on stdout (the Customer with --json).
  --name <name>     the customer's name
  --country <CC>    its country, ISO 3166-1 alpha-2 (the usage location of users without one)`,
      options: { name: { type: 'string' }, country: { type: 'string' } },
      required: ['name', 'country'],
      async run(ctx, parsed) {
        const customer = unwrap(
          await ctx.api.POST('/v1/customers', {
            body: { name: str(parsed, 'name')!, country: str(parsed, 'country')! },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, customer);
        else ctx.io.stdout.write(`${customer.id}\n`);
        return EXIT.ok;
      },
    },
  },
};

// `licenses subscriptions …`: how many seats of each product a customer has, and setting that number.
import { unwrap } from '@licensing/client';
import { type CommandGroup, count, EXIT, str } from '../command.ts';
import { n, printJson, printTable } from '../output.ts';

export const subscriptions: CommandGroup = {
  summary: "a customer's seats per product: list, set",
  commands: {
    list: {
      summary: "a customer's subscriptions and their seats",
      usage: `Usage: licenses subscriptions list --customer <id> [--json]

One row per product the customer subscribes to: quantity, seats assigned, reserved (by jobs not
yet applied) and available.`,
      options: { customer: { type: 'string' } },
      required: ['customer'],
      async run(ctx, parsed) {
        const customerId = str(parsed, 'customer')!;
        const { items } = unwrap(
          await ctx.api.GET('/v1/customers/{customerId}/subscriptions', { params: { path: { customerId } } }),
        );
        if (ctx.json) printJson(ctx.io.stdout, items);
        else
          printTable(
            ctx.io.stdout,
            ['PRODUCT', 'NAME', 'QUANTITY', 'ASSIGNED', 'RESERVED', 'AVAILABLE'],
            items.map((s) => [s.productId, s.productName, n(s.quantity), n(s.assigned), n(s.reserved), n(s.available)]),
            'No subscriptions.',
          );
        return EXIT.ok;
      },
    },
    set: {
      summary: 'create a subscription or set its quantity',
      usage: `Usage: licenses subscriptions set <product> --customer <id> --quantity <n> [--json]

Sets how many seats of the product the customer has (creating the subscription; "buy more" is a
higher quantity). Below the seats assigned and reserved the API answers 409 quantity_below_usage.`,
      options: { customer: { type: 'string' }, quantity: { type: 'string' } },
      args: ['product'],
      required: ['customer', 'quantity'],
      async run(ctx, parsed) {
        const customerId = str(parsed, 'customer')!;
        const productId = parsed.args[0]!;
        const quantity = str(parsed, 'quantity') === '0' ? 0 : count(parsed, 'quantity', 0);
        const subscription = unwrap(
          await ctx.api.PUT('/v1/customers/{customerId}/subscriptions/{productId}', {
            params: { path: { customerId, productId } },
            body: { quantity },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, subscription);
        else
          ctx.io.stdout.write(
            `${subscription.productId}: ${n(subscription.quantity)} seats, ${n(subscription.assigned)} assigned, ` +
              `${n(subscription.reserved)} reserved, ${n(subscription.available)} available\n`,
          );
        return EXIT.ok;
      },
    },
  },
};

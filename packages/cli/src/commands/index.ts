// The command groups of `licenses`, in the order `licenses --help` lists them. A new area of the API
// gets a file of its own here (commands/<group>.ts exporting a CommandGroup) and a line below.
import type { CommandGroup } from '../command.ts';
import { audit } from './audit.ts';
import { customers } from './customers.ts';
import { groups } from './groups.ts';
import { jobs } from './jobs.ts';
import { keys } from './keys.ts';
import { subscriptions } from './subscriptions.ts';
import { users } from './users.ts';
import { webhooks } from './webhooks.ts';

export const GROUPS: Record<string, CommandGroup> = {
  customers,
  users,
  subscriptions,
  jobs,
  groups,
  webhooks,
  audit,
  keys,
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { membershipRuleCondition, retryOnConflict, type Db, type DbOrTx, type GroupLicense } from '@licensing/db';
import { conflict, notFound, unprocessable } from '@licensing/http';
import { type GroupImpact, type MembershipRule, normalizeMembershipRule } from '@licensing/domain';
import { partnerOf } from '../auth.ts';
import { auditChange } from '../audit.ts';
import { pathId } from '../ids.ts';
import type { TaskEnqueuer } from '../enqueue.ts';
import type { PartnerQueue } from '../partner-queue.ts';
import { type PartnerShares, withJobAcceptance } from '../partner-shares.ts';
import { customerInScope } from './customers.ts';
import { validateProducts } from './license-jobs.ts';
import {
  addMembers,
  createGroupJob,
  deleteGroupRow,
  getGroupRow,
  groupHasRows,
  groupRowProducts,
  groupsWithCounts,
  type GroupRow,
  insertGroup,
  listGroupRows,
  lockGroupRow,
  membersAndHolders,
  membersNotSettled,
  pageOfMembers,
  removeMembers,
  syncDynamicMembers,
  updateGroupRow,
  usersAmong,
} from '../repositories/groups.ts';
import { findCustomerUsers, getUser } from '../repositories/users.ts';
import { resolveUserSelection } from '../repositories/user-selection.ts';
import { paged, pageQuery, pagedSchema } from '../schemas/common.ts';
import { groupChangeImpact } from '../repositories/group-impact.ts';
import {
  createGroupBody,
  dryRunQuery,
  impactSchema,
  REMOVALS_WITHOUT_CONFIRMATION,
  groupMembersBody,
  groupParams,
  groupSchema,
  listMembersQuery,
  membersAddedSchema,
  membersRemovedSchema,
  setGroupLicensesBody,
  updateGroupBody,
} from '../schemas/groups.ts';
import { customerParams } from '../schemas/customers.ts';
import { userParams, userSchema } from '../schemas/users.ts';
import { selectionOf } from '../schemas/user-selection.ts';
import { JSON_BODY_PROBLEMS, jsonResponse, noContent, problemResponses } from '../schemas/openapi.ts';

export interface GroupRouteDeps {
  db: Db;
  enqueuer: TaskEnqueuer;
  /** Each partner's share of the process's job acceptances, the one the license job routes take. */
  acceptanceShares: PartnerShares;
  /** The partner's share of the queue, the one the license job routes keep to (429 partner_queue_full). */
  partnerQueue: PartnerQueue;
}

type CreatedJob = { id: string; userCount: number };

/** What the routes that accept a group job say of the partner's share of job acceptances. */
const JOB_ACCEPTANCE_SHARE =
  "Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server " +
  '(shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered ' +
  '429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the ' +
  "partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, " +
  'a change that reaches licenses (its group grants some, or is given some) is refused with 429 ' +
  '`partner_queue_full` and `Retry-After`, having changed nothing.';

/** A group job that applies the group's licenses again (nothing revoked) to `affected`. */
const reprocessJob = (
  tx: DbOrTx,
  request: FastifyRequest,
  customerId: string,
  group: { id: string; licenses: GroupLicense[] },
  affected: SQL,
) =>
  createGroupJob(tx, {
    partnerId: partnerOf(request).id,
    customerId,
    groupId: group.id,
    assign: group.licenses,
    revoke: [],
    affected,
  });

const groupIsDynamic = () =>
  unprocessable(
    'group_is_dynamic',
    "The group is dynamic: its members are the users its rule selects; change the rule, or the users' fields.",
  );

export function groupRoutes(deps: GroupRouteDeps): FastifyPluginAsyncZod {
  const { db } = deps;

  /**
   * Runs a change that accepts a group job within the partner's share of job acceptances, as a new
   * license job is: past its short wait, 429 `partner_concurrency_limit` before anything is read or
   * changed. Without `when` (a dry run, a change that makes no job) it just runs.
   */
  const accepting = <T>(request: FastifyRequest, when: boolean, accept: () => Promise<T>): Promise<T> =>
    when ? withJobAcceptance(deps.acceptanceShares, partnerOf(request).id, accept) : accept();

  /**
   * A change whose job would take its place in the queue keeps to the partner's share of it, as a
   * new license job does: while the partner's unfinished jobs are at their limit, 429
   * `partner_queue_full`, checked once the group is read and before anything is locked or changed.
   * `makesJob`: the change reaches licenses (the group grants some, or is given some); a change of
   * a group that grants nothing makes no job and is never refused.
   */
  const keepToQueueShare = async (request: FastifyRequest, makesJob: boolean): Promise<void> => {
    if (makesJob) await deps.partnerQueue.refuseIfFull(partnerOf(request).id);
  };

  /** The group of the path, of a customer the caller reaches; 404 otherwise. */
  async function groupInScope(request: FastifyRequest, params: { customerId: string; groupId: string }) {
    const customer = await customerInScope(db, request, params.customerId);
    const groupId = pathId(params.groupId, 'group');
    const row = await getGroupRow(db, customer.id, groupId);
    if (!row) throw notFound('group');
    return { customer, row };
  }

  /** Locks the group for a change in the transaction; 404 if it was deleted meanwhile. */
  async function lockedGroup(tx: DbOrTx, customerId: string, groupId: string): Promise<GroupRow> {
    const row = await lockGroupRow(tx, customerId, groupId);
    if (!row) throw notFound('group');
    return row;
  }

  /** Once committed: the jobs' tasks go to the queue (the reconciler covers a process dying first). */
  function enqueueJobs(request: FastifyRequest, customerId: string, jobs: (CreatedJob | undefined)[]) {
    const partner = partnerOf(request);
    for (const job of jobs)
      if (job) {
        request.log.info({ jobId: job.id, users: job.userCount }, 'group job accepted');
        deps.enqueuer.enqueueJobItems({ id: job.id, partnerId: partner.id, customerId, userCount: job.userCount });
      }
  }

  async function showGroup(customerId: string, groupId: string) {
    const row = await getGroupRow(db, customerId, groupId);
    if (!row) throw notFound('group');
    const [group] = await groupsWithCounts(db, [row]);
    return group!;
  }

  /** Products must be in the catalog, plans theirs and consistent, and the customer subscribed to each. */
  async function validateGroupLicenses(
    tx: DbOrTx,
    customerId: string,
    licenses: { productId: string; disabledServicePlans?: string[] }[],
  ): Promise<GroupLicense[]> {
    const { assign } = await validateProducts(db, { assign: licenses, revoke: [] });
    if (assign.length === 0) return [];
    const subscribed = await tx.execute<{ product_id: string }>(sql`
      SELECT product_id FROM subscriptions
      WHERE customer_id = ${customerId} AND product_id = any(${sql.param(assign.map((a) => a.productId))}::text[])`);
    const have = new Set(subscribed.map((s) => s.product_id));
    const missing = assign.map((a) => a.productId).filter((p) => !have.has(p));
    if (missing.length)
      throw unprocessable(
        'no_subscription',
        `The customer has no subscription to ${missing.map((p) => `"${p}"`).join(', ')}.`,
        { productIds: missing },
      );
    return assign.map((a) => ({ productId: a.productId, disabledServicePlans: a.disabledServicePlans ?? [] }));
  }

  /** What a change would do: `affected` yields `(user_id, member_after)`. */
  const impactOf = (
    customerId: string,
    groupId: string,
    affected: ReturnType<typeof sql>,
    licensesAfter: GroupLicense[],
  ) => groupChangeImpact(db, { customerId, groupId, affected, licensesAfter });

  /** The removal guard: more than 100 users losing a license needs `confirmRemovals` of at least that many. */
  function guardRemovals(impact: GroupImpact, confirmRemovals: number | undefined): void {
    if (impact.usersLosing <= REMOVALS_WITHOUT_CONFIRMATION || (confirmRemovals ?? -1) >= impact.usersLosing) return;
    throw conflict(
      'confirmation_required',
      `The change would remove licenses from ${impact.usersLosing} users; send confirmRemovals: ${impact.usersLosing} (or more) to go ahead.`,
      { usersLosing: impact.usersLosing, impact },
    );
  }

  return async (app) => {
    app.post(
      '/v1/customers/:customerId/groups',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'createGroup',
          tags: ['groups'],
          summary: 'Create a license group: static (members added explicitly) or dynamic (a membership rule)',
          description:
            'Without `membershipRule` the group is static; with one it is dynamic and its members are, from now on, ' +
            "exactly the customer's users the rule selects. A new group grants nothing: give it products with " +
            '`PUT …/groups/{groupId}/licenses`.',
          params: customerParams,
          body: createGroupBody,
          bodyExamples: {
            static: { summary: 'A static group', value: { name: 'Pilot users', description: 'Teams pilot' } },
            dynamic: {
              summary: 'Everyone in Sales in Germany or Austria',
              value: { name: 'Sales DACH', membershipRule: { departments: ['Sales'], usageLocations: ['DE', 'AT'] } },
            },
          },
          response: {
            201: jsonResponse(groupSchema, 'The group was created.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, { 409: ['group_name_taken'] }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const rule = request.body.membershipRule ? normalizeMembershipRule(request.body.membershipRule) : null;
        const row = await db.transaction(async (tx) => {
          const created = await insertGroup(tx, customer.id, {
            name: request.body.name,
            description: request.body.description ?? null,
            membershipRule: rule,
          });
          if (rule)
            await tx.execute(sql`
              WITH ${syncDynamicMembers(customer.id, created.id, rule, customer.country)}
              SELECT (SELECT count(*) FROM joined) + (SELECT count(*) FROM left_group)`);
          await auditChange(tx, request, customer.id, 'group.created', {
            groupId: created.id,
            name: created.name,
            membershipRule: rule,
          });
          return created;
        });
        return reply
          .status(201)
          .header('location', `/v1/customers/${customer.id}/groups/${row.id}`)
          .send(await showGroup(customer.id, row.id));
      },
    );

    app.get(
      '/v1/customers/:customerId/groups',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listGroups',
          tags: ['groups'],
          summary: "List the customer's license groups, by name",
          params: customerParams,
          querystring: pageQuery,
          response: {
            200: jsonResponse(pagedSchema(groupSchema, 'GroupPage'), 'A page of groups.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const { items, total } = await listGroupRows(db, customer.id, request.query);
        return paged(await groupsWithCounts(db, items), request.query, total);
      },
    );

    app.get(
      '/v1/customers/:customerId/groups/:groupId',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getGroup',
          tags: ['groups'],
          summary: 'Get a group with its member count, members waiting or in error, and processing state',
          params: groupParams,
          response: { 200: jsonResponse(groupSchema, 'The group.'), ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        const { customer, row } = await groupInScope(request, request.params);
        return showGroup(customer.id, row.id);
      },
    );

    app.patch(
      '/v1/customers/:customerId/groups/:groupId',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'updateGroup',
          tags: ['groups'],
          summary: "Rename a group, change its description, or change a dynamic group's rule",
          description:
            'A new rule takes effect at once: users who now match join, members who no longer match leave, and their ' +
            'licenses follow in the background (a job with `source: {type: "group"}`). A static group cannot take a ' +
            'rule, nor a dynamic one lose it (422 `group_type_fixed`). A new rule is applied by a job. ' +
            JOB_ACCEPTANCE_SHARE,
          params: groupParams,
          querystring: dryRunQuery,
          body: updateGroupBody,
          response: {
            200: jsonResponse(
              z.union([groupSchema, impactSchema]),
              'The group as changed; with `dryRun=true`, the Impact of the new rule instead.',
            ),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              409: ['group_name_taken', 'confirmation_required'],
              422: ['group_type_fixed'],
              429: ['partner_queue_full', 'partner_concurrency_limit'],
            }),
          },
        },
      },
      async (request) => {
        return accepting(
          request,
          request.body.membershipRule !== undefined && request.query.dryRun !== 'true',
          async () => {
            const { customer, row } = await groupInScope(request, request.params);
            const body = request.body;
            const rule: MembershipRule | undefined = body.membershipRule
              ? normalizeMembershipRule(body.membershipRule)
              : undefined;
            if (rule && row.membershipRule === null)
              throw unprocessable(
                'group_type_fixed',
                'A static group cannot become dynamic (nor a dynamic one static); create a new group instead.',
              );
            const dryRun = request.query.dryRun === 'true';
            if (!dryRun) await keepToQueueShare(request, rule !== undefined && row.licenses.length > 0);
            if (rule && (dryRun || row.licenses.length > 0)) {
              const impact = await impactOf(
                customer.id,
                row.id,
                sql`SELECT u.id AS user_id, true AS member_after FROM users u
                WHERE u.customer_id = ${customer.id} AND (${membershipRuleCondition(rule, customer.country)})
                UNION ALL SELECT user_id, false FROM group_members WHERE customer_id = ${customer.id} AND group_id = ${row.id}
                UNION ALL SELECT user_id, false FROM group_license_states WHERE customer_id = ${customer.id} AND group_id = ${row.id}`,
                row.licenses,
              );
              if (dryRun) return impact;
              guardRemovals(impact, body.confirmRemovals);
            } else if (dryRun)
              return impactOf(
                customer.id,
                row.id,
                sql`SELECT NULL::uuid AS user_id, false AS member_after WHERE false`,
                [],
              );
            const job = await retryOnConflict(() =>
              db.transaction(async (tx) => {
                const group = await lockedGroup(tx, customer.id, row.id);
                if (rule && group.membershipRule === null)
                  throw unprocessable(
                    'group_type_fixed',
                    'A static group cannot become dynamic (nor a dynamic one static); create a new group instead.',
                  );
                await updateGroupRow(tx, customer.id, group.id, {
                  ...(body.name !== undefined ? { name: body.name } : {}),
                  ...(body.description !== undefined ? { description: body.description ?? null } : {}),
                  ...(rule ? { membershipRule: rule } : {}),
                });
                let created: CreatedJob | undefined;
                if (rule) {
                  const ctes = syncDynamicMembers(customer.id, group.id, rule, customer.country);
                  if (group.licenses.length === 0 && !(await groupHasRows(tx, customer.id, group.id)))
                    await tx.execute(
                      sql`WITH ${ctes} SELECT (SELECT count(*) FROM joined) + (SELECT count(*) FROM left_group)`,
                    );
                  else
                    created = await createGroupJob(tx, {
                      partnerId: partnerOf(request).id,
                      customerId: customer.id,
                      groupId: group.id,
                      assign: group.licenses,
                      revoke: [],
                      ctes,
                      affected: sql`SELECT user_id FROM joined UNION SELECT user_id FROM left_group
                    UNION ${membersNotSettled(customer.id, group.id)}`,
                    });
                }
                await auditChange(tx, request, customer.id, 'group.updated', {
                  groupId: group.id,
                  changes: { ...body, ...(rule ? { membershipRule: rule } : {}) },
                  ...(created ? { jobId: created.id } : {}),
                });
                return created;
              }),
            );
            enqueueJobs(request, customer.id, [job]);
            return showGroup(customer.id, row.id);
          },
        );
      },
    );

    app.delete(
      '/v1/customers/:customerId/groups/:groupId',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'deleteGroup',
          tags: ['groups'],
          summary: 'Delete a group that grants no licenses',
          description:
            'A group that still grants products is refused (409 `group_has_licenses`): set its licenses to `[]` first, ' +
            'which removes them from the members in the background. Until no member holds, waits for or was refused a ' +
            'product through the group any more (the removal processed; a removal refused because a product the user ' +
            'keeps requires it stays until that product goes), it is refused too, with `membersHold: true`.',
          params: groupParams,
          response: {
            204: noContent('The group was deleted.'),
            ...problemResponses(400, 404, { 409: ['group_has_licenses'] }),
          },
        },
      },
      async (request, reply) => {
        const { customer, row } = await groupInScope(request, request.params);
        await db.transaction(async (tx) => {
          const group = await lockedGroup(tx, customer.id, row.id);
          if (group.licenses.length > 0)
            throw conflict(
              'group_has_licenses',
              'The group still grants licenses; set its licenses to [] before deleting it.',
              { productIds: group.licenses.map((l) => l.productId) },
            );
          // Members still holding (or waiting for, or refused) its products: their removal is being
          // processed, or was refused (a product the user keeps requires it). Deleted now, the group
          // would stay a source of those licenses with nothing left to remove it.
          const held = await groupRowProducts(tx, customer.id, group.id);
          if (held.length > 0)
            throw conflict(
              'group_has_licenses',
              'Members still hold or wait for licenses through the group; delete it once they hold none.',
              { productIds: held, membersHold: true },
            );
          await deleteGroupRow(tx, customer.id, group.id);
          await auditChange(tx, request, customer.id, 'group.deleted', { groupId: group.id, name: group.name });
        });
        return reply.status(204).send();
      },
    );

    for (const action of ['add', 'remove'] as const) {
      app.post(
        action === 'add'
          ? '/v1/customers/:customerId/groups/:groupId/members'
          : '/v1/customers/:customerId/groups/:groupId/members/remove',
        {
          config: { scope: 'users:write' },
          bodyLimit: 4 * 1024 * 1024,
          schema: {
            operationId: action === 'add' ? 'addGroupMembers' : 'removeGroupMembers',
            tags: ['groups'],
            summary:
              action === 'add'
                ? 'Add users to a static group; they gain its licenses in the background'
                : 'Remove users from a static group; they lose its licenses in the background',
            description:
              'By `userIds` or `userFilter` (at most 50,000 users). Answers at once; the licenses follow as a job with ' +
              '`source: {type: "group"}`. A dynamic group takes no explicit members (422 `group_is_dynamic`). ' +
              JOB_ACCEPTANCE_SHARE,
            params: groupParams,
            querystring: dryRunQuery,
            body: groupMembersBody,
            response: {
              200: jsonResponse(
                z.union([action === 'add' ? membersAddedSchema : membersRemovedSchema, impactSchema]),
                action === 'add'
                  ? 'How many users joined; with `dryRun=true`, the Impact instead.'
                  : 'How many users left; with `dryRun=true`, the Impact instead.',
              ),
              ...problemResponses(JSON_BODY_PROBLEMS, 404, {
                ...(action === 'remove' ? { 409: ['confirmation_required'] as const } : {}),
                422: ['group_is_dynamic', 'unknown_users', 'too_many_users', 'unknown_product'],
                429: ['partner_queue_full', 'partner_concurrency_limit'],
              }),
            },
          },
        },
        async (request) => {
          return accepting(request, request.query.dryRun !== 'true', async () => {
            const { customer, row } = await groupInScope(request, request.params);
            if (row.membershipRule !== null) throw groupIsDynamic();
            const selection = selectionOf(request.body);
            const dryRun = request.query.dryRun === 'true';
            if (!dryRun) await keepToQueueShare(request, row.licenses.length > 0);
            if (dryRun || (action === 'remove' && row.licenses.length > 0)) {
              const userIds = await resolveUserSelection(db, customer.id, selection);
              const impact = await impactOf(
                customer.id,
                row.id,
                sql`SELECT unnest(${sql.param(userIds)}::uuid[]) AS user_id, ${action === 'add'} AS member_after`,
                row.licenses,
              );
              if (dryRun) return impact;
              guardRemovals(impact, request.body.confirmRemovals);
            }
            const { changed, job } = await retryOnConflict(() =>
              db.transaction(async (tx) => {
                const group = await lockedGroup(tx, customer.id, row.id);
                const userIds = await resolveUserSelection(tx, customer.id, selection);
                if (selection.userIds !== undefined) {
                  const found = new Set((await findCustomerUsers(tx, customer.id, userIds)).map((u) => u.id));
                  const unknown = userIds.filter((id) => !found.has(id));
                  if (unknown.length)
                    throw unprocessable(
                      'unknown_users',
                      `${unknown.length} of the selected users do not exist in this customer.`,
                      { userIds: unknown },
                    );
                }
                const changed =
                  action === 'add'
                    ? await addMembers(tx, customer.id, group.id, userIds)
                    : await removeMembers(tx, customer.id, group.id, userIds);
                const job =
                  changed > 0 && (group.licenses.length > 0 || (await groupHasRows(tx, customer.id, group.id)))
                    ? await createGroupJob(tx, {
                        partnerId: partnerOf(request).id,
                        customerId: customer.id,
                        groupId: group.id,
                        assign: action === 'add' ? group.licenses : [],
                        revoke: action === 'add' ? [] : group.licenses.map((l) => l.productId),
                        affected: usersAmong(userIds),
                      })
                    : undefined;
                await auditChange(
                  tx,
                  request,
                  customer.id,
                  action === 'add' ? 'group.members_added' : 'group.members_removed',
                  {
                    groupId: group.id,
                    [action === 'add' ? 'added' : 'removed']: changed,
                    ...(job ? { jobId: job.id } : {}),
                  },
                );
                return { changed, job };
              }),
            );
            enqueueJobs(request, customer.id, [job]);
            return action === 'add' ? { added: changed } : { removed: changed };
          });
        },
      );
    }

    app.get(
      '/v1/customers/:customerId/groups/:groupId/members',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listGroupMembers',
          tags: ['groups'],
          summary: "A group's members, each with its licenses and license states; filter by state",
          description:
            'By display name, or with `state=waiting` the waiting room: the longest waiting first, as seats are handed out.',
          params: groupParams,
          querystring: listMembersQuery,
          response: {
            200: jsonResponse(pagedSchema(userSchema, 'GroupMemberPage'), 'A page of members.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const { customer, row } = await groupInScope(request, request.params);
        const { items, total } = await pageOfMembers(db, customer.id, row.id, request.query);
        return paged(items, request.query, total);
      },
    );

    app.put(
      '/v1/customers/:customerId/groups/:groupId/licenses',
      {
        config: { scope: 'licenses:write' },
        schema: {
          operationId: 'setGroupLicenses',
          tags: ['groups'],
          summary: 'Set the products every member of the group should hold; applied in the background',
          description:
            'Replaces what the group grants (`[]` removes everything). Answers 202 at once; every member (and every user ' +
            'still holding something through the group) is brought in line by a job with `source: {type: "group"}`. A ' +
            'member who needs a seat when none is free waits for one (`waiting`) and is licensed, oldest first, as seats ' +
            'free up. Unknown products, missing subscriptions and invalid plans are refused as for jobs. ' +
            JOB_ACCEPTANCE_SHARE,
          params: groupParams,
          querystring: dryRunQuery,
          body: setGroupLicensesBody,
          response: {
            200: jsonResponse(impactSchema, 'With `dryRun=true`: what the change would do; nothing changed.'),
            202: jsonResponse(groupSchema, 'The change was accepted; `processing` tells how far it is.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              409: ['confirmation_required'],
              422: ['unknown_product', 'unknown_service_plan', 'invalid_service_plans', 'no_subscription'],
              429: ['partner_queue_full', 'partner_concurrency_limit'],
            }),
          },
        },
      },
      async (request, reply) => {
        return accepting(request, request.query.dryRun !== 'true', async () => {
          const { customer, row } = await groupInScope(request, request.params);
          const proposed = await validateGroupLicenses(db, customer.id, request.body.licenses);
          const dryRun = request.query.dryRun === 'true';
          if (!dryRun) await keepToQueueShare(request, proposed.length > 0 || row.licenses.length > 0);
          const kept = new Map(proposed.map((l) => [l.productId, l.disabledServicePlans.join(',')]));
          // Only dropping a product can take a license away (changed plans keep it).
          if (dryRun || row.licenses.some((l) => !kept.has(l.productId))) {
            const impact = await impactOf(
              customer.id,
              row.id,
              sql`SELECT user_id, true AS member_after FROM group_members WHERE customer_id = ${customer.id} AND group_id = ${row.id}
                UNION ALL SELECT user_id, false FROM group_license_states WHERE customer_id = ${customer.id} AND group_id = ${row.id}`,
              proposed,
            );
            if (dryRun) return reply.status(200).send(impact);
            guardRemovals(impact, request.body.confirmRemovals);
          }
          const job = await retryOnConflict(() =>
            db.transaction(async (tx) => {
              const group = await lockedGroup(tx, customer.id, row.id);
              const licenses = await validateGroupLicenses(tx, customer.id, request.body.licenses);
              await updateGroupRow(tx, customer.id, group.id, { licenses });
              const kept = new Set(licenses.map((l) => l.productId));
              const job = await createGroupJob(tx, {
                partnerId: partnerOf(request).id,
                customerId: customer.id,
                groupId: group.id,
                assign: licenses,
                revoke: group.licenses.map((l) => l.productId).filter((p) => !kept.has(p)),
                affected: membersAndHolders(customer.id, group.id),
              });
              await auditChange(tx, request, customer.id, 'group.licenses_updated', {
                groupId: group.id,
                before: group.licenses,
                licenses,
                ...(job ? { jobId: job.id } : {}),
              });
              return job;
            }),
          );
          enqueueJobs(request, customer.id, [job]);
          return reply.status(202).send(await showGroup(customer.id, row.id));
        });
      },
    );

    app.post(
      '/v1/customers/:customerId/groups/:groupId/reprocess',
      {
        config: { scope: 'licenses:write' },
        schema: {
          operationId: 'reprocessGroup',
          tags: ['groups'],
          summary: 'Evaluate again the members of the group that are waiting or in error',
          description: JOB_ACCEPTANCE_SHARE,
          params: groupParams,
          response: {
            202: jsonResponse(groupSchema, 'The members are being evaluated again.'),
            ...problemResponses(400, 404, { 429: ['partner_queue_full', 'partner_concurrency_limit'] }),
          },
        },
      },
      async (request, reply) => {
        return accepting(request, true, async () => {
          const { customer, row } = await groupInScope(request, request.params);
          await keepToQueueShare(request, row.licenses.length > 0);
          const job = await db.transaction(async (tx) => {
            const group = await lockedGroup(tx, customer.id, row.id);
            return reprocessJob(tx, request, customer.id, group, membersNotSettled(customer.id, group.id));
          });
          enqueueJobs(request, customer.id, [job]);
          return reply.status(202).send(await showGroup(customer.id, row.id));
        });
      },
    );

    app.post(
      '/v1/customers/:customerId/users/:userId/reprocess-licenses',
      {
        config: { scope: 'licenses:write' },
        schema: {
          operationId: 'reprocessUserLicenses',
          tags: ['groups'],
          summary: "Evaluate again the user's licenses in each of its groups",
          description: JOB_ACCEPTANCE_SHARE,
          params: userParams,
          response: {
            202: jsonResponse(userSchema, 'The user is being evaluated again.'),
            ...problemResponses(400, 404, { 429: ['partner_queue_full', 'partner_concurrency_limit'] }),
          },
        },
      },
      async (request, reply) => {
        return accepting(request, true, async () => {
          const customer = await customerInScope(db, request, request.params.customerId);
          const userId = pathId(request.params.userId, 'user');
          const user = await getUser(db, customer.id, userId);
          if (!user) throw notFound('user');
          const jobs = await db.transaction(async (tx) => {
            const groups = await tx.execute<{ id: string; licenses: GroupLicense[] }>(sql`
            SELECT g.id, g.licenses FROM groups g
            WHERE g.customer_id = ${customer.id} AND (
              EXISTS (SELECT 1 FROM group_members m WHERE m.customer_id = g.customer_id AND m.group_id = g.id AND m.user_id = ${userId})
              OR EXISTS (SELECT 1 FROM group_license_states s WHERE s.customer_id = g.customer_id AND s.group_id = g.id AND s.user_id = ${userId}))
            ORDER BY g.id FOR SHARE`);
            // Nothing is written yet: a refusal leaves nothing behind.
            await keepToQueueShare(
              request,
              groups.some((g) => g.licenses.length > 0),
            );
            const created: (CreatedJob | undefined)[] = [];
            for (const g of groups) created.push(await reprocessJob(tx, request, customer.id, g, usersAmong([userId])));
            return created;
          });
          enqueueJobs(request, customer.id, jobs);
          return reply.status(202).send(user);
        });
      },
    );
  };
}

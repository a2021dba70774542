import { describe, expect, it } from 'vitest';
import {
  catalogOf,
  changedSinceJob,
  evaluateRevertUser,
  evaluateUserChanges,
  recordLicenseStates,
  revertChanges,
  type ChangeResult,
  type License,
  type RequestedChanges,
} from '../src/index.ts';

const catalog = catalogOf([
  {
    id: 'E3',
    name: 'Suite E3',
    servicePlans: [
      { id: 'EXO', name: 'Exchange' },
      { id: 'SPO', name: 'SharePoint' },
      { id: 'TEAMS', name: 'Teams' },
    ],
  },
  { id: 'E5', name: 'Suite E5', servicePlans: [{ id: 'EXO', name: 'Exchange' }] },
  { id: 'PHONE', name: 'Phone add-on', servicePlans: [], requiresAnyOf: ['E3', 'E5'] },
]);
const lic = (productId: string, disabledServicePlans: string[] = []): License => ({ productId, disabledServicePlans });
const change = (
  productId: string,
  action: 'assign' | 'revoke',
  outcome: ChangeResult['outcome'],
  states: Pick<ChangeResult, 'disabledServicePlans' | 'previousDisabledServicePlans'> = {},
): ChangeResult => ({ productId, action, outcome, ...states });

describe('recordLicenseStates: the plans each applied change leaves in the history', () => {
  const cases: {
    name: string;
    changes: ChangeResult[];
    before: License[];
    after: License[];
    expected: ChangeResult[];
  }[] = [
    {
      name: 'assigned: the plans disabled after',
      changes: [change('E3', 'assign', 'assigned')],
      before: [],
      after: [lic('E3', ['TEAMS'])],
      expected: [change('E3', 'assign', 'assigned', { disabledServicePlans: ['TEAMS'] })],
    },
    {
      name: 'updated: the plans after and before',
      changes: [change('E3', 'assign', 'updated')],
      before: [lic('E3', ['SPO', 'EXO'])],
      after: [lic('E3', [])],
      expected: [
        change('E3', 'assign', 'updated', { disabledServicePlans: [], previousDisabledServicePlans: ['EXO', 'SPO'] }),
      ],
    },
    {
      name: 'revoked: the plans disabled before',
      changes: [change('E3', 'revoke', 'revoked')],
      before: [lic('E3', ['TEAMS'])],
      after: [],
      expected: [change('E3', 'revoke', 'revoked', { previousDisabledServicePlans: ['TEAMS'] })],
    },
    {
      name: 'unchanged keeps the plans it found; not_assigned has none',
      changes: [change('E5', 'revoke', 'not_assigned'), change('E3', 'assign', 'unchanged')],
      before: [lic('E3', ['TEAMS'])],
      after: [lic('E3', ['TEAMS'])],
      expected: [
        change('E5', 'revoke', 'not_assigned'),
        change('E3', 'assign', 'unchanged', { disabledServicePlans: ['TEAMS'] }),
      ],
    },
    {
      name: 'a revoke that leaves the license to other sources: the plans after and before',
      changes: [change('E3', 'revoke', 'inherited'), change('E5', 'revoke', 'unchanged')],
      before: [lic('E3', []), lic('E5', ['EXO'])],
      after: [lic('E3', ['TEAMS']), lic('E5', ['EXO'])],
      expected: [
        change('E3', 'revoke', 'inherited', { disabledServicePlans: ['TEAMS'], previousDisabledServicePlans: [] }),
        change('E5', 'revoke', 'unchanged', { disabledServicePlans: ['EXO'] }),
      ],
    },
    {
      name: 'a failed user applied nothing',
      changes: [change('PHONE', 'assign', 'failed')],
      before: [],
      after: [],
      expected: [change('PHONE', 'assign', 'failed')],
    },
  ];
  it.each(cases)('$name', ({ changes, before, after, expected }) => {
    expect(recordLicenseStates(changes, before, after)).toEqual(expected);
  });
});

describe('revertChanges: what puts a user back as it was just before the job', () => {
  const cases: { name: string; done: ChangeResult[]; expected: RequestedChanges | undefined }[] = [
    {
      name: 'assigned -> revoke',
      done: [change('E3', 'assign', 'assigned', { disabledServicePlans: ['TEAMS'] })],
      expected: { assign: [], revoke: ['E3'] },
    },
    {
      name: 'revoked -> assign with the plans the user had',
      done: [change('E3', 'revoke', 'revoked', { previousDisabledServicePlans: ['TEAMS', 'EXO'] })],
      expected: { assign: [{ productId: 'E3', disabledServicePlans: ['EXO', 'TEAMS'] }], revoke: [] },
    },
    {
      name: 'updated -> the previous plans',
      done: [change('E3', 'assign', 'updated', { disabledServicePlans: [], previousDisabledServicePlans: ['SPO'] })],
      expected: { assign: [{ productId: 'E3', disabledServicePlans: ['SPO'] }], revoke: [] },
    },
    {
      name: 'a swap is swapped back',
      done: [
        change('E3', 'revoke', 'revoked', { previousDisabledServicePlans: [] }),
        change('E5', 'assign', 'assigned', { disabledServicePlans: [] }),
      ],
      expected: { assign: [{ productId: 'E3', disabledServicePlans: [] }], revoke: ['E5'] },
    },
    {
      name: 'inherited (the direct source removed, the license kept through a group) -> assigned directly again',
      done: [change('E3', 'revoke', 'inherited', { previousDisabledServicePlans: ['TEAMS'] })],
      expected: { assign: [{ productId: 'E3', disabledServicePlans: ['TEAMS'] }], revoke: [] },
    },
    {
      name: 'unchanged and not_assigned need no undoing',
      done: [change('E3', 'assign', 'unchanged'), change('E5', 'revoke', 'not_assigned')],
      expected: undefined,
    },
    {
      name: 'a change recorded without its previous plans: none disabled',
      done: [change('E3', 'revoke', 'revoked')],
      expected: { assign: [{ productId: 'E3', disabledServicePlans: [] }], revoke: [] },
    },
  ];
  it.each(cases)('$name', ({ done, expected }) => {
    expect(revertChanges(done)).toEqual(expected);
  });
});

describe('changedSinceJob: products whose license changed after the job', () => {
  const assignedE3 = change('E3', 'assign', 'assigned', { disabledServicePlans: ['TEAMS'] });
  const revokedE5 = change('E5', 'revoke', 'revoked', { previousDisabledServicePlans: [] });
  const cases: {
    name: string;
    done: ChangeResult[];
    licenses: License[];
    later: { jobId: string; changes: ChangeResult[] }[];
    changed: Record<string, string[]>;
  }[] = [
    {
      name: 'as the job left it',
      done: [assignedE3, revokedE5],
      licenses: [lic('E3', ['TEAMS'])],
      later: [],
      changed: {},
    },
    {
      name: 'later jobs that changed nothing on the product do not count',
      done: [assignedE3],
      licenses: [lic('E3', ['TEAMS'])],
      later: [
        { jobId: 'j2', changes: [change('E3', 'assign', 'unchanged'), change('E5', 'assign', 'assigned')] },
        { jobId: 'j3', changes: [change('E3', 'assign', 'failed')] },
      ],
      changed: {},
    },
    {
      name: 'a later job updated the plans',
      done: [assignedE3],
      licenses: [lic('E3', [])],
      later: [{ jobId: 'j2', changes: [change('E3', 'assign', 'updated')] }],
      changed: { E3: ['j2'] },
    },
    {
      name: 'changed and changed back still counts, with every later job',
      done: [assignedE3],
      licenses: [lic('E3', ['TEAMS'])],
      later: [
        { jobId: 'j2', changes: [change('E3', 'revoke', 'revoked')] },
        { jobId: 'j3', changes: [change('E3', 'assign', 'assigned')] },
      ],
      changed: { E3: ['j2', 'j3'] },
    },
    {
      name: 'a revoked license that came back another way',
      done: [revokedE5],
      licenses: [lic('E5')],
      later: [],
      changed: { E5: [] },
    },
    {
      name: 'an assigned license that went another way',
      done: [assignedE3],
      licenses: [],
      later: [],
      changed: { E3: [] },
    },
    {
      name: 'only the product that changed',
      done: [assignedE3, revokedE5],
      licenses: [lic('E3', ['TEAMS'])],
      later: [{ jobId: 'j2', changes: [change('E5', 'assign', 'assigned')] }],
      changed: { E5: ['j2'] },
    },
  ];
  it.each(cases)('$name', ({ done, licenses, later, changed }) => {
    const errors = changedSinceJob({ done, licenses, later });
    expect(Object.fromEntries([...errors].map(([p, e]) => [p, e.jobIds]))).toEqual(changed);
    for (const [p, e] of errors) expect(e).toMatchObject({ code: 'ChangedSinceJob', productIds: [p] });
  });
});

describe('evaluateRevertUser', () => {
  const user = (licenses: License[]) => ({ usageLocation: null, customerCountry: 'US', licenses });
  const done = [
    change('E3', 'revoke', 'revoked', { previousDisabledServicePlans: ['TEAMS'] }),
    change('E5', 'assign', 'assigned', { disabledServicePlans: [] }),
  ];
  const revert = revertChanges(done)!;

  it('puts the user back: E5 revoked, E3 assigned with Teams off, under the rules of any job', () => {
    const evaluation = evaluateRevertUser({
      catalog,
      user: user([lic('E5'), lic('PHONE')]),
      changes: revert,
      hasSeat: () => true,
      done,
      later: [],
    });
    expect(evaluation).toMatchObject({ status: 'succeeded', newlyAssigned: ['E3'], revoked: ['E5'] });
    expect(evaluation.licenses).toEqual([lic('PHONE'), lic('E3', ['TEAMS'])]);
    expect(evaluation.changes.map((c) => [c.productId, c.outcome])).toEqual([
      ['E5', 'revoked'],
      ['E3', 'assigned'],
    ]);
  });

  it('leaves a changed user alone: ChangedSinceJob on the product, the other change skipped', () => {
    const evaluation = evaluateRevertUser({
      catalog,
      user: user([lic('E5', ['EXO'])]),
      changes: revert,
      hasSeat: () => true,
      done,
      later: [{ jobId: 'j9', changes: [change('E5', 'assign', 'updated')] }],
    });
    expect(evaluation).toMatchObject({ status: 'failed', errorCodes: ['ChangedSinceJob'], newlyAssigned: [] });
    expect(evaluation.licenses).toEqual([lic('E5', ['EXO'])]);
    expect(evaluation.changes).toEqual([
      expect.objectContaining({
        productId: 'E5',
        outcome: 'failed',
        error: expect.objectContaining({ jobIds: ['j9'] }),
      }),
      { productId: 'E3', action: 'assign', outcome: 'skipped' },
    ]);
  });

  it('the rules still apply: no seat is a CountViolation; a deleted user is UserNotFound', () => {
    const args = { catalog, changes: revert, done, later: [] };
    expect(evaluateRevertUser({ ...args, user: user([lic('E5')]), hasSeat: () => false }).errorCodes).toEqual([
      'CountViolation',
    ]);
    expect(evaluateRevertUser({ ...args, user: null, hasSeat: () => true })).toEqual(
      evaluateUserChanges({ catalog, user: null, changes: revert, hasSeat: () => true }),
    );
  });

  it('reverting the revert redoes the job', () => {
    const first = evaluateRevertUser({
      catalog,
      user: user([lic('E5')]),
      changes: revert,
      hasSeat: () => true,
      done,
      later: [],
    });
    const recorded = recordLicenseStates(first.changes, [lic('E5')], first.licenses);
    const redo = revertChanges(recorded)!;
    expect(redo).toEqual({ assign: [{ productId: 'E5', disabledServicePlans: [] }], revoke: ['E3'] });
    const second = evaluateRevertUser({
      catalog,
      user: user(first.licenses),
      changes: redo,
      hasSeat: () => true,
      done: recorded,
      later: [],
    });
    expect(second.licenses).toEqual([lic('E5')]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  catalogOf,
  evaluateGroupSources,
  evaluateUserChanges,
  groupRowsSettled,
  type GroupLicenseRow,
  type License,
  type LicenseSources,
  type Product,
  removeSource,
  sourcesOf,
  unionOfPlans,
} from '../src/index.ts';

const products: Product[] = [
  {
    id: 'E3',
    name: 'Suite E3',
    servicePlans: [
      { id: 'EXO', name: 'Exchange' },
      { id: 'SPO', name: 'SharePoint' },
      { id: 'FORMS', name: 'Forms', requires: ['SPO'] },
      { id: 'TEAMS', name: 'Teams' },
    ],
    excludes: ['BASIC'],
  },
  { id: 'E5', name: 'Suite E5', servicePlans: [] },
  { id: 'BASIC', name: 'Basic', servicePlans: [] },
  { id: 'PHONE', name: 'Phone add-on', servicePlans: [], requiresAnyOf: ['E3', 'E5'] },
  { id: 'CALLING', name: 'Calling plan', servicePlans: [], availableIn: ['US'] },
];
const catalog = catalogOf(products);
const lic = (productId: string, disabledServicePlans: string[] = []): License => ({ productId, disabledServicePlans });
const G = 'group-g';
const H = 'group-h';

describe('unionOfPlans: a plan is disabled only if every source disables it', () => {
  it.each<[string, LicenseSources, string[] | undefined]>([
    ['no source: no license', { direct: null, groups: [] }, undefined],
    ['direct only', { direct: ['TEAMS', 'EXO'], groups: [] }, ['EXO', 'TEAMS']],
    ['one group only', { direct: null, groups: [{ groupId: G, disabledServicePlans: ['TEAMS'] }] }, ['TEAMS']],
    [
      'direct and a group: the plans both disable',
      { direct: ['TEAMS', 'EXO'], groups: [{ groupId: G, disabledServicePlans: ['TEAMS', 'FORMS'] }] },
      ['TEAMS'],
    ],
    [
      'a source that enables everything enables everything',
      { direct: ['TEAMS'], groups: [{ groupId: G, disabledServicePlans: [] }] },
      [],
    ],
    [
      'three sources',
      {
        direct: ['TEAMS', 'EXO', 'FORMS'],
        groups: [
          { groupId: G, disabledServicePlans: ['TEAMS', 'FORMS'] },
          { groupId: H, disabledServicePlans: ['FORMS', 'TEAMS', 'SPO'] },
        ],
      },
      ['FORMS', 'TEAMS'],
    ],
  ])('%s', (_name, sources, expected) => {
    expect(unionOfPlans(sources)).toEqual(expected);
  });
});

describe('removeSource: the license goes with its last source', () => {
  const both: LicenseSources = { direct: ['TEAMS'], groups: [{ groupId: G, disabledServicePlans: ['TEAMS', 'EXO'] }] };
  it.each<[string, LicenseSources, Parameters<typeof removeSource>[1], boolean, string[] | undefined]>([
    ['direct removed, a group keeps it', both, { type: 'direct' }, true, ['EXO', 'TEAMS']],
    ['group removed, direct keeps it', both, { type: 'group', groupId: G }, true, ['TEAMS']],
    ['the only direct source removed', { direct: [], groups: [] }, { type: 'direct' }, false, undefined],
    [
      'the only group removed',
      { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] },
      { type: 'group', groupId: G },
      false,
      undefined,
    ],
    [
      'one of two groups removed',
      {
        direct: null,
        groups: [
          { groupId: G, disabledServicePlans: [] },
          { groupId: H, disabledServicePlans: ['TEAMS'] },
        ],
      },
      { type: 'group', groupId: G },
      true,
      ['TEAMS'],
    ],
    ['a source the license lacks changes nothing', both, { type: 'group', groupId: H }, true, ['TEAMS']],
  ])('%s', (_name, sources, source, kept, plans) => {
    const left = removeSource(sources, source);
    expect(left.kept).toBe(kept);
    expect(left.disabledServicePlans).toEqual(plans);
  });

  it('sourcesOf counts applied rows only', () => {
    const rows: GroupLicenseRow[] = [
      { groupId: G, productId: 'E3', state: 'active', disabledServicePlans: ['TEAMS'], applied: true },
      { groupId: H, productId: 'E3', state: 'waiting', disabledServicePlans: [], applied: false, waitingFor: 'E3' },
      { groupId: H, productId: 'E5', state: 'error', disabledServicePlans: [], applied: true },
    ];
    const sources = sourcesOf(
      [
        { productId: 'E3', directDisabledServicePlans: null },
        { productId: 'E5', directDisabledServicePlans: [] },
      ],
      rows,
    );
    expect(sources.get('E3')).toEqual({ direct: null, groups: [{ groupId: G, disabledServicePlans: ['TEAMS'] }] });
    expect(sources.get('E5')).toEqual({ direct: [], groups: [{ groupId: H, disabledServicePlans: [] }] });
  });
});

describe('evaluateUserChanges with group sources: what a job does to an inherited license', () => {
  const user = (licenses: License[]) => ({ usageLocation: null, customerCountry: 'US', licenses });
  it.each<
    [string, License[], Map<string, LicenseSources>, { assign?: string[]; revoke?: string[] }, string[], License[]]
  >([
    [
      'revoking a license held only through groups fails LicenseInheritedFromGroup',
      [lic('E3')],
      new Map([['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }]]),
      { revoke: ['E3'] },
      ['revoke E3: failed (LicenseInheritedFromGroup)'],
      [lic('E3')],
    ],
    [
      'revoking a license held directly and through a group removes the direct source: inherited',
      [lic('E3')],
      new Map([['E3', { direct: [], groups: [{ groupId: G, disabledServicePlans: ['TEAMS'] }] }]]),
      { revoke: ['E3'] },
      ['revoke E3: inherited'],
      [lic('E3', ['TEAMS'])],
    ],
    [
      'assigning a license held through a group adds the direct source without a seat',
      [lic('E3', ['TEAMS'])],
      new Map([['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: ['TEAMS'] }] }]]),
      { assign: ['E3'] },
      ['assign E3: updated'],
      [lic('E3', [])],
    ],
    [
      'a direct license without groups is revoked as before',
      [lic('E3')],
      new Map(),
      { revoke: ['E3'] },
      ['revoke E3: revoked'],
      [],
    ],
  ])('%s', (_name, licenses, sources, requested, summary, after) => {
    const result = evaluateUserChanges({
      catalog,
      user: user(licenses),
      sources,
      changes: { assign: (requested.assign ?? []).map((productId) => ({ productId })), revoke: requested.revoke ?? [] },
      hasSeat: () => {
        throw new Error('no seat is asked for');
      },
    });
    expect(
      result.changes.map((c) => `${c.action} ${c.productId}: ${c.outcome}${c.error ? ` (${c.error.code})` : ''}`),
    ).toEqual(summary);
    expect(result.licenses).toEqual(after);
    expect(result.newlyAssigned).toEqual([]);
    expect(result.revoked).toEqual(after.length ? [] : ['E3']);
  });

  it('names the groups of an inherited-only license, and keeps the direct source after inherited', () => {
    const sources = new Map([
      [
        'E3',
        {
          direct: null,
          groups: [
            { groupId: G, disabledServicePlans: [] },
            { groupId: H, disabledServicePlans: [] },
          ],
        },
      ],
    ]);
    const refused = evaluateUserChanges({
      catalog,
      user: user([lic('E3')]),
      sources,
      changes: { assign: [], revoke: ['E3'] },
      hasSeat: () => true,
    });
    expect(refused.changes[0]!.error).toMatchObject({ code: 'LicenseInheritedFromGroup', groupIds: [G, H] });
    expect(refused.errorCodes).toEqual(['LicenseInheritedFromGroup']);
    const kept = evaluateUserChanges({
      catalog,
      user: user([lic('E3')]),
      sources: new Map([['E3', { direct: [], groups: [{ groupId: G, disabledServicePlans: [] }] }]]),
      changes: { assign: [], revoke: ['E3'] },
      hasSeat: () => true,
    });
    expect(kept.sources.get('E3')).toEqual({ direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] });
  });
});

describe('evaluateGroupSources: what a group change means for one user', () => {
  const row = (productId: string, extra: Partial<GroupLicenseRow> = {}): GroupLicenseRow => ({
    groupId: G,
    productId,
    state: 'active',
    disabledServicePlans: [],
    applied: true,
    ...extra,
  });
  type Case = {
    licenses?: License[];
    sources?: [string, LicenseSources][];
    desired?: (string | [string, string[]])[];
    rows?: GroupLicenseRow[];
    seats?: string[];
    usageLocation?: string;
  };
  function run(c: Case) {
    const asked: string[] = [];
    const result = evaluateGroupSources({
      catalog,
      user: { usageLocation: c.usageLocation ?? null, customerCountry: 'US', licenses: c.licenses ?? [] },
      sources: new Map(c.sources ?? []),
      groupId: G,
      desired: (c.desired ?? []).map((d) =>
        typeof d === 'string' ? { productId: d } : { productId: d[0], disabledServicePlans: d[1] },
      ),
      rows: c.rows ?? [],
      hasSeat: (p) => {
        asked.push(p);
        return (c.seats ?? ['E3', 'E5', 'BASIC', 'PHONE', 'CALLING']).includes(p);
      },
    });
    return {
      result,
      asked,
      summary: result.changes.map(
        (ch) => `${ch.action} ${ch.productId}: ${ch.outcome}${ch.error ? ` (${ch.error.code})` : ''}`,
      ),
      states: result.rows.map(
        (r) => `${r.productId} ${r.state}${r.applied ? ' applied' : ''}${r.waitingFor ? ` for ${r.waitingFor}` : ''}`,
      ),
    };
  }

  it.each<[string, Case, string[], string[], License[]]>([
    [
      'a new member gets the group products',
      { desired: ['E3', 'PHONE'] },
      ['assign E3: assigned', 'assign PHONE: assigned'],
      ['E3 active applied', 'PHONE active applied'],
      [lic('E3'), lic('PHONE')],
    ],
    [
      'a member holding the product directly gains a source, no seat',
      {
        licenses: [lic('E3', ['TEAMS', 'EXO'])],
        sources: [['E3', { direct: ['TEAMS', 'EXO'], groups: [] }]],
        desired: [['E3', ['TEAMS']]],
        seats: [],
      },
      ['assign E3: updated'],
      ['E3 active applied'],
      [lic('E3', ['TEAMS'])],
    ],
    [
      'a member who leaves loses a license held only through the group',
      {
        licenses: [lic('E3')],
        sources: [['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }]],
        rows: [row('E3')],
      },
      ['revoke E3: revoked'],
      [],
      [],
    ],
    [
      'a member who leaves keeps a license also held directly, with the direct plans',
      {
        licenses: [lic('E3', [])],
        sources: [['E3', { direct: ['TEAMS'], groups: [{ groupId: G, disabledServicePlans: [] }] }]],
        rows: [row('E3')],
      },
      ['revoke E3: updated'],
      [],
      [lic('E3', ['TEAMS'])],
    ],
    [
      'a member who leaves keeps a license another group also grants',
      {
        licenses: [lic('E3')],
        sources: [
          [
            'E3',
            {
              direct: null,
              groups: [
                { groupId: G, disabledServicePlans: [] },
                { groupId: H, disabledServicePlans: [] },
              ],
            },
          ],
        ],
        rows: [row('E3')],
      },
      ['revoke E3: unchanged'],
      [],
      [lic('E3')],
    ],
    [
      'leaving with a base under a kept direct add-on is refused: the source stays, error',
      {
        licenses: [lic('E3'), lic('PHONE')],
        sources: [
          ['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }],
          ['PHONE', { direct: [], groups: [] }],
        ],
        rows: [row('E3')],
      },
      ['revoke E3: failed (DependencyViolation)'],
      ['E3 error applied'],
      [lic('E3'), lic('PHONE')],
    ],
    [
      'a base and its add-on from the same group go together',
      {
        licenses: [lic('E3'), lic('PHONE')],
        sources: [
          ['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }],
          ['PHONE', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }],
        ],
        rows: [row('E3'), row('PHONE')],
      },
      ['revoke E3: revoked', 'revoke PHONE: revoked'],
      [],
      [],
    ],
    [
      'no seat: the member waits, and the group’s other new products wait with it',
      { desired: ['E3', 'PHONE'], seats: ['PHONE'] },
      ['assign E3: failed (CountViolation)', 'assign PHONE: skipped'],
      ['E3 waiting for E3', 'PHONE waiting for E3'],
      [],
    ],
    [
      'a rule failure is an error, and the other products are errors too',
      { desired: ['CALLING', 'E5'], usageLocation: 'FR' },
      ['assign CALLING: failed (ProhibitedInUsageLocationViolation)', 'assign E5: skipped'],
      ['CALLING error', 'E5 error'],
      [],
    ],
    [
      'excluded by a held product: error, nothing applied',
      { licenses: [lic('BASIC')], sources: [['BASIC', { direct: [], groups: [] }]], desired: ['E3'] },
      ['assign E3: failed (MutuallyExclusiveViolation)'],
      ['E3 error'],
      [lic('BASIC')],
    ],
    [
      'a swap within the group frees the old seat first; if the new one has none, the old stays',
      {
        licenses: [lic('E3')],
        sources: [['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }]],
        rows: [row('E3')],
        desired: ['E5'],
        seats: [],
      },
      ['revoke E3: skipped', 'assign E5: failed (CountViolation)'],
      ['E3 active applied', 'E5 waiting for E5'],
      [lic('E3')],
    ],
    [
      'a row never applied that the group no longer grants goes quietly',
      { rows: [row('E3', { state: 'waiting', applied: false, waitingFor: 'E3' })] },
      ['revoke E3: not_assigned'],
      [],
      [],
    ],
    [
      'a waiting row is applied once a seat is there',
      { desired: ['E3'], rows: [row('E3', { state: 'waiting', applied: false, waitingFor: 'E3' })] },
      ['assign E3: assigned'],
      ['E3 active applied'],
      [lic('E3')],
    ],
    [
      'changed plans of the group: the union is updated',
      {
        licenses: [lic('E3', ['TEAMS'])],
        sources: [['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: ['TEAMS'] }] }]],
        rows: [row('E3', { disabledServicePlans: ['TEAMS'] })],
        desired: [['E3', ['EXO']]],
      },
      ['assign E3: updated'],
      ['E3 active applied'],
      [lic('E3', ['EXO'])],
    ],
    [
      'nothing to change: unchanged, no seat asked for',
      {
        licenses: [lic('E3')],
        sources: [['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }]],
        rows: [row('E3')],
        desired: ['E3'],
        seats: [],
      },
      ['assign E3: unchanged'],
      ['E3 active applied'],
      [lic('E3')],
    ],
  ])('%s', (_name, c, summary, states, licenses) => {
    const { result, summary: got, states: rows } = run(c);
    expect(got).toEqual(summary);
    expect(rows).toEqual(states);
    expect(result.licenses).toEqual(licenses);
  });

  it('asks for seats last and only when every other rule passed, and reports seats taken and freed', () => {
    const refused = run({ desired: ['CALLING', 'E3'], usageLocation: 'FR' });
    expect(refused.asked).toEqual([]);
    const swap = run({
      licenses: [lic('E3')],
      sources: [['E3', { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }]],
      rows: [row('E3')],
      desired: ['E5'],
    });
    expect(swap.asked).toEqual(['E5']);
    expect(swap.result).toMatchObject({ status: 'succeeded', newlyAssigned: ['E5'], revoked: ['E3'] });
    expect(swap.result.sources.get('E5')).toEqual({ direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] });
    expect(swap.result.sources.has('E3')).toBe(false);
  });

  it('reports a deleted user as UserNotFound and leaves no rows', () => {
    const result = evaluateGroupSources({
      catalog,
      user: null,
      sources: new Map(),
      groupId: G,
      desired: [{ productId: 'E3' }],
      rows: [row('E3')],
      hasSeat: () => true,
    });
    expect(result).toMatchObject({ status: 'failed', errorCodes: ['UserNotFound'], rows: [] });
  });

  it('groupRowsSettled: applied rows that match the grants need nothing', () => {
    expect(groupRowsSettled([{ productId: 'E3' }], [row('E3')], catalog)).toBe(true);
    expect(groupRowsSettled([{ productId: 'E3', disabledServicePlans: ['TEAMS'] }], [row('E3')], catalog)).toBe(false);
    expect(groupRowsSettled([{ productId: 'E3' }], [row('E3', { state: 'waiting', applied: false })], catalog)).toBe(
      false,
    );
    expect(groupRowsSettled([], [row('E3')], catalog)).toBe(false);
    expect(groupRowsSettled([], [], catalog)).toBe(true);
  });
});

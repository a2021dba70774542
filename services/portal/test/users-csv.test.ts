// Users to and from CSV for the portal's import and export (pure functions).
import { describe, expect, it } from 'vitest';
import type { User } from '../web/src/api/types.ts';
import { parseCsv, readImportFile, usersCsv } from '../web/src/features/users/users-csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', ''],
    ]);
  });
});

describe('readImportFile', () => {
  it('takes the columns in any order and case, and lists every row’s problems by its line', () => {
    const file = readImportFile(
      [
        'DisplayName,userprincipalname,UsageLocation',
        'Ada,ada@x.example,fr',
        'Bad,no-at-sign,',
        ',alan@x.example,',
        'Again,ADA@x.example,',
        'Far,far@x.example,France',
      ].join('\n'),
    );
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.rows[0]).toEqual({
      line: 2,
      user: { userPrincipalName: 'ada@x.example', displayName: 'Ada', usageLocation: 'FR' },
      problems: [],
    });
    expect(file.rows.slice(1).map((row) => [row.line, row.problems])).toEqual([
      [3, [{ code: 'badUserPrincipalName' }]],
      [4, [{ code: 'missingField', field: 'displayName' }]],
      [5, [{ code: 'repeated', firstLine: 2 }]],
      [6, [{ code: 'badUsageLocation', value: 'FRANCE' }]],
    ]);
  });

  it('refuses a file without users or without the required columns', () => {
    expect(readImportFile('userPrincipalName,displayName\n')).toEqual({ ok: false, problem: 'empty' });
    expect(readImportFile('upn,name\na@b,c')).toEqual({
      ok: false,
      problem: 'missingColumns',
      missing: ['userPrincipalName', 'displayName'],
    });
  });
});

describe('usersCsv', () => {
  it('names products and plans, quotes what needs it, and defuses spreadsheet formulas', () => {
    const user = (over: Partial<User>): User => ({
      id: '1',
      customerId: 'c',
      userPrincipalName: 'ada@x.example',
      displayName: 'Ada',
      usageLocation: null,
      department: null,
      licenses: [],
      licenseStates: [],
      ...over,
    });
    const names = new Map([
      ['SPE_E3', 'Microsoft 365 E3'],
      ['TEAMS1', 'Microsoft Teams'],
      ['EMS', 'Enterprise Mobility + Security E3'],
    ]);
    const text = usersCsv(
      [
        user({
          displayName: 'Lovelace, Ada',
          usageLocation: 'GB',
          department: '=HYPERLINK("x")',
          licenses: [
            { productId: 'SPE_E3', disabledServicePlans: ['TEAMS1'], assignedBy: { direct: true, groupIds: [] } },
            { productId: 'EMS', disabledServicePlans: [], assignedBy: { direct: true, groupIds: [] } },
          ],
        }),
      ],
      names,
    );
    expect(text.split('\r\n')).toEqual([
      'userPrincipalName,displayName,usageLocation,department,licenses,disabledServicePlans',
      'ada@x.example,"Lovelace, Ada",GB,"\'=HYPERLINK(""x"")",Microsoft 365 E3; Enterprise Mobility + Security E3,Microsoft 365 E3: Microsoft Teams',
      '',
    ]);
  });
});

// The CLI's own parsing: user lists in their accepted shapes.
import { describe, expect, it } from 'vitest';
import { notBeforeOption } from '../src/commands/jobs.ts';
import { parseUserList } from '../src/user-list.ts';

const ID = '7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11';

describe('parseUserList', () => {
  it('reads names and ids one per line, skipping blanks, comments and repeats', () => {
    expect(parseUserList(`\uFEFFada@x.example\r\n\n# a comment\n${ID.toUpperCase()}\nAda@x.example\n${ID}\n`)).toEqual({
      ids: [ID],
      principalNames: ['ada@x.example'],
    });
  });

  it('takes the named column of a CSV, with quoted fields', () => {
    const csv = `"Display name",UPN,Department\n"Lovelace, Ada",ada@x.example,R&D\n"Turing, ""Alan""",alan@x.example,\n`;
    expect(parseUserList(csv).principalNames).toEqual(['ada@x.example', 'alan@x.example']);
    expect(parseUserList(`userId\n${ID}\n`).ids).toEqual([ID]);
  });

  it('refuses values that are neither, and CSVs without a user column', () => {
    expect(() => parseUserList('ada@x.example\nnot a user\n')).toThrow('entry 2: "not a user"');
    expect(() => parseUserList('name,department\nAda,R&D\n')).toThrow('no user column');
  });
});

describe('--not-before', () => {
  const parsed = (value?: string) => ({
    values: value === undefined ? {} : { 'not-before': value },
    args: [],
    tokens: [],
  });

  it('sends an RFC 3339 time with its offset as given, and reads one without in the local time zone', () => {
    expect(notBeforeOption(parsed())).toEqual({});
    expect(notBeforeOption(parsed('2026-07-01T06:00:00+02:00'))).toEqual({ notBefore: '2026-07-01T06:00:00+02:00' });
    expect(notBeforeOption(parsed('2026-07-01T04:00:00Z'))).toEqual({ notBefore: '2026-07-01T04:00:00Z' });
    expect(notBeforeOption(parsed('2026-07-01 06:00'))).toEqual({
      notBefore: new Date(2026, 6, 1, 6, 0).toISOString(),
    });
  });

  it('refuses what is not a date and time', () => {
    expect(() => notBeforeOption(parsed('tomorrow'))).toThrow('--not-before takes a date and time');
    expect(() => notBeforeOption(parsed('2026-07-01'))).toThrow('--not-before takes a date and time');
    expect(() => notBeforeOption(parsed('2026-13-01T06:00'))).toThrow('--not-before takes a date and time');
  });
});

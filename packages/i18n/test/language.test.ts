import { describe, expect, it } from 'vitest';
import { changeErrorMessage, negotiateLanguage, problemDetail } from '../src/index.ts';

describe('negotiateLanguage', () => {
  it('takes the acceptable language of highest quality the API speaks, English otherwise', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('')).toBe('en');
    expect(negotiateLanguage('ru')).toBe('ru');
    expect(negotiateLanguage('RU-ru')).toBe('ru');
    expect(negotiateLanguage('en-GB,ru;q=0.9')).toBe('en');
    expect(negotiateLanguage('en;q=0.5, ru;q=0.8')).toBe('ru');
    expect(negotiateLanguage('de, fr;q=0.9, ru;q=0.1')).toBe('ru');
    expect(negotiateLanguage('ru;q=0')).toBe('en');
    expect(negotiateLanguage('*;q=0.5, ru;q=0.4')).toBe('en');
    expect(negotiateLanguage(['de', 'ru'])).toBe('ru');
    // A CLI's LANG values.
    expect(negotiateLanguage('ru_RU.UTF-8')).toBe('ru');
    expect(negotiateLanguage('C.UTF-8')).toBe('en');
  });
});

describe('catalogs', () => {
  it('word a problem from its fields, with Russian plural forms', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
    expect(problemDetail('unknown_users', 'en', { userIds: ids(1) })).toBe(
      '1 of the selected users does not exist in this customer.',
    );
    expect(problemDetail('unknown_users', 'ru', { userIds: ids(1) })).toMatch(
      /^1 из выбранных пользователей не существует /,
    );
    expect(problemDetail('unknown_users', 'ru', { userIds: ids(3) })).toMatch(
      /^3 из выбранных пользователей не существуют /,
    );
    expect(problemDetail('not_found', 'ru', { resource: 'product', id: 'E3' })).toBe('Продукт не найден: «E3».');
    expect(problemDetail('no_such_code', 'ru', {})).toBeUndefined();
  });

  it('word a per-user error with names, the revoke naming what must go first', () => {
    const names = (id: string) => ({ E3: 'Microsoft 365 E3', PHONE: 'Teams Phone' })[id];
    const revoke = { productId: 'E3', action: 'revoke' as const };
    const error = { code: 'DependencyViolation', productIds: ['E3'], requiredBy: ['PHONE'] };
    expect(changeErrorMessage(revoke, error, 'en', { names })).toBe(
      '"Teams Phone" requires "Microsoft 365 E3", so it cannot be revoked; remove "Teams Phone" first',
    );
    expect(changeErrorMessage(revoke, error, 'ru', { names })).toMatch(/сначала удалите «Teams Phone»$/);
    expect(changeErrorMessage(revoke, { code: 'Unknown' }, 'ru', { fallback: 'as stored' })).toBe('as stored');
  });
});

import { expect, it } from 'vitest';
import { loadCatalogConfig } from '../src/config.ts';

it('requires an operator token in production only', () => {
  expect(loadCatalogConfig({}).OPERATOR_TOKEN).toBe('dev-operator-token');
  expect(() => loadCatalogConfig({ NODE_ENV: 'production' })).toThrow(/OPERATOR_TOKEN/);
  expect(loadCatalogConfig({ NODE_ENV: 'production', OPERATOR_TOKEN: 's' })).toMatchObject({ production: true });
});

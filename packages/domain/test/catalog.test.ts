import { describe, expect, it } from 'vitest';
import { finalJobStatus, productProblems, productSchema, type Product } from '../src/index.ts';

const base: Product = {
  id: 'P',
  name: 'Product',
  servicePlans: [
    { id: 'A', name: 'A' },
    { id: 'B', name: 'B', requires: ['A'] },
  ],
};

describe('product rules', () => {
  it('accepts a consistent product', () => {
    expect(productSchema.parse(base)).toEqual(base);
    expect(productProblems(base)).toEqual([]);
  });

  it.each([
    [
      'duplicate plan ids',
      {
        ...base,
        servicePlans: [
          { id: 'A', name: 'A' },
          { id: 'A', name: 'again' },
        ],
      },
      /duplicate plan id "A"/,
    ],
    [
      'a plan requiring a plan of another product',
      { ...base, servicePlans: [{ id: 'A', name: 'A', requires: ['Z'] }] },
      /requires "Z"/,
    ],
    [
      'a plan requiring itself',
      { ...base, servicePlans: [{ id: 'A', name: 'A', requires: ['A'] }] },
      /plan "A" requires itself/,
    ],
    ['a product requiring itself', { ...base, requiresAnyOf: ['P'] }, /cannot require itself/],
    ['a product excluding itself', { ...base, excludes: ['P'] }, /cannot exclude itself/],
    [
      'a country both available and unavailable',
      { ...base, availableIn: ['US'], unavailableIn: ['US'] },
      /both list US/,
    ],
  ])('reports %s', (_name, product, problem) => {
    expect(productProblems(product as Product).join('; ')).toMatch(problem);
  });

  it('rejects malformed ids and countries', () => {
    expect(productSchema.safeParse({ ...base, id: 'bad id' }).success).toBe(false);
    expect(productSchema.safeParse({ ...base, availableIn: ['usa'] }).success).toBe(false);
    expect(productSchema.safeParse({ ...base, unknownField: 1 }).success).toBe(false);
  });
});

describe('finalJobStatus', () => {
  it.each([
    [5, 0, 'completed'],
    [3, 2, 'completed_with_errors'],
    [0, 4, 'failed'],
  ] as const)('%i succeeded, %i failed → %s', (succeeded, failed, status) => {
    expect(finalJobStatus(succeeded, failed)).toBe(status);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run the workspace's packages from source, as tsconfig.base.json's `paths` do for tsc and
// tsx; their package.json `exports` name the compiled dist/ that production runs.
const fromSource = ['packages', 'services'].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'src/index.ts')))
    .map((name) => ({
      find: new RegExp(`^@licensing/${name}$`),
      replacement: path.resolve(dir, name, 'src/index.ts'),
    })),
);

export default defineConfig({
  resolve: { alias: fromSource },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});

// The front end's build is React's production build whatever NODE_ENV the building process runs
// with: a test runner sets `test`, a developer's shell may say `development`, and a bundle built
// that way renders several times slower and mounts every page twice (StrictMode's checks).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildFrontEnd } from '../src/build.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function bundleBuiltUnder(nodeEnv: string): Promise<string> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    const dir = await mkdtemp(join(tmpdir(), 'portal-build-'));
    dirs.push(dir);
    await buildFrontEnd(dir);
    const assets = join(dir, 'assets');
    const scripts = (await readdir(assets)).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    return (await Promise.all(scripts.map((name) => readFile(join(assets, name), 'utf8')))).join('\n');
  } finally {
    process.env.NODE_ENV = saved;
  }
}

it.each(['development', 'test'])(
  'a build started with NODE_ENV=%s bundles React for production',
  async (nodeEnv) => {
    const bundle = await bundleBuiltUnder(nodeEnv);
    // React's development build warns about keys and carries the development JSX runtime; the
    // production build has neither (its jsxDEV is undefined, so a page compiled for it would not render).
    // (Whether each is in the bundle, not the bundle itself: a failure would print a megabyte.)
    const has = (text: string) => bundle.includes(text);
    expect(has('Each child in a list should have a unique'), 'React development warnings').toBe(false);
    expect(has('jsxDEV'), 'the development JSX runtime').toBe(false);
    expect(has('.development.js'), 'a development build').toBe(false);
    // It is the app's bundle: React and the portal's own code are in it.
    expect(has('react.transitional.element'), 'React').toBe(true);
    expect(has('/v1/customers/{customerId}/users'), "the portal's code").toBe(true);
  },
  120_000,
);

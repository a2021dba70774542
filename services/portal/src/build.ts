// Builds the portal's front end (web/) into dist/web/ when the build is missing or stale (the
// server's compiled JavaScript sits beside it in dist/, so a deploy of dist/ carries both). Staleness is
// a content hash of the sources, the lockfile and this file, so a checkout or an edit is noticed
// and an unchanged tree starts at once. Several processes may start at the same time (`pnpm start`
// and a test): a lock directory makes one build and the others wait for its result.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

export const portalRoot = fileURLToPath(new URL('..', import.meta.url));
export const webRoot = join(portalRoot, 'web');
export const distRoot = join(portalRoot, 'dist', 'web');
/** The typed client's sources, which the front end bundles. */
export const clientSourceRoot = join(portalRoot, '..', '..', 'packages', 'client', 'src');
/** The scopes of API keys and the roles named after Partner Center's, which the front end bundles. */
export const domainScopesSource = join(portalRoot, '..', '..', 'packages', 'domain', 'src', 'scopes.ts');
const hashFile = '.build-hash';
const lockDir = join(portalRoot, '.build-lock');
const staleLockMs = 5 * 60_000;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat().sort();
}

/** Hash of everything the build depends on. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await listFiles(webRoot)),
    ...(await listFiles(clientSourceRoot)),
    domainScopesSource,
    join(portalRoot, 'package.json'),
    join(portalRoot, 'src', 'build.ts'),
    join(portalRoot, 'src', 'vite-config.ts'),
    join(portalRoot, 'src', 'vite-build.ts'),
    join(portalRoot, '..', '..', 'pnpm-lock.yaml'),
  ];
  for (const file of files) {
    hash.update(relative(portalRoot, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function builtHash(): Promise<string | undefined> {
  try {
    return (await readFile(join(distRoot, hashFile), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is a directory naming its owner's pid; a lock whose owner died (killed mid-build) is taken over. */
async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''));
      const age = await stat(lockDir).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      const abandoned = owner > 0 ? !isAlive(owner) : age > 10_000; // no pid yet: its owner is writing it
      if (abandoned || age > staleLockMs) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Writes `.br` and `.gz` beside every compressible asset, served by @fastify/static's preCompressed. */
async function precompress(dir: string) {
  const files = (await listFiles(dir)).filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f));
  for (const file of files) {
    const content = await readFile(file);
    if (content.length < 1024) continue;
    const [br, gz] = await Promise.all([
      brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 10, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
      gzipAsync(content, { level: 9 }),
    ]);
    await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  }
}

/**
 * Vite's production build of web/ into `outDir`, in a process of its own that runs with
 * NODE_ENV=production whatever this process's NODE_ENV is (see vite-build.ts): React's production
 * build, never its development one with its checks, warnings and double mounts.
 */
export async function buildFrontEnd(outDir: string): Promise<void> {
  const repoRoot = join(portalRoot, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(portalRoot, 'src', 'vite-build.ts'), outDir], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building the portal front end failed (exit ${code}):\n${stderr}`);
  if (stderr) process.stderr.write(stderr);
}

/** Builds the front end unless dist/ already holds a build of the current sources. Answers whether it built. */
export async function ensurePortalBuilt(options: { log?: (message: string) => void } = {}): Promise<boolean> {
  const log = options.log ?? (() => {});
  // A deployed portal (the production image) holds the built front end and not its sources.
  if (!existsSync(join(webRoot, 'index.html'))) {
    if (existsSync(join(distRoot, 'index.html'))) return false;
    throw new Error(`neither the portal's front-end sources (${webRoot}) nor a build of them (${distRoot})`);
  }
  const wanted = await sourceHash();
  if ((await builtHash()) === wanted) return false;
  await acquireLock();
  try {
    if ((await builtHash()) === wanted) return false; // another process built it while we waited
    log('building the portal front end');
    const started = Date.now();
    for (const entry of await readdir(portalRoot))
      if (entry.startsWith('.dist-')) await rm(join(portalRoot, entry), { recursive: true, force: true });
    const out = join(portalRoot, `.dist-${process.pid}`);
    await buildFrontEnd(out);
    await precompress(out);
    await writeFile(join(out, hashFile), `${wanted}\n`);
    await rm(distRoot, { recursive: true, force: true });
    await mkdir(dirname(distRoot), { recursive: true });
    await rename(out, distRoot);
    log(`built the portal front end in ${Date.now() - started} ms`);
    return true;
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

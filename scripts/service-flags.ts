/**
 * Node flags every service process runs with (chosen with `pnpm bench`'s A/B mode; figures in
 * docs/benchmarks.md):
 * - a 256 MB old-space ceiling makes V8 collect before resident memory balloons; the working set of
 *   a 50,000-user job fits well inside it;
 * - starting the old space at 128 MB spares a fresh process the run of full collections V8 makes
 *   while it grows a small heap step by step, which cost the worker and the API CPU per user for
 *   their first jobs;
 * - 16 MB semi-spaces are as fast for the worker as larger ones and keep the API's peak memory with
 *   a 50,000-user job lower.
 * The `start:*` scripts in package.json and the Dockerfile's entrypoint pass the same flags.
 */
export const SERVICE_NODE_FLAGS = [
  '--max-old-space-size=256',
  '--initial-old-space-size=128',
  '--max-semi-space-size=16',
];

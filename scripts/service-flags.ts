/**
 * Node flags every service process runs with, measured with `pnpm bench` (CPU per user, and peak RSS
 * with a 50,000-user job):
 * - a 256 MB old-space ceiling makes V8 collect before resident memory balloons (the working set of
 *   a 50,000-user job fits well inside it);
 * - starting the old space at 128 MB spares a process the run of full collections V8 makes while it
 *   grows a small heap step by step: the worker's CPU per user fell from 84 to 70 µs for a fresh
 *   worker (`BENCH_AB_NODE_FLAGS`), and from 68–72 to 60–66 µs, the API's from 34 to 25–29 µs, in
 *   full runs (64 MB did nothing);
 * - 16 MB semi-spaces: as fast as 32 MB for the worker (67 µs per user either way), and with the
 *   50,000-user job they keep the API's peak RSS where it was with the old flags (250–267 MB, against
 *   271–289 with 32 MB semi-spaces and 263 before); the worker's is ~30 MB higher than before the
 *   larger old space (236–242 MB, against 251–254 with 32 MB semi-spaces and 201–213 before).
 * The `start:*` scripts in package.json pass the same flags.
 */
export const SERVICE_NODE_FLAGS = [
  '--max-old-space-size=256',
  '--initial-old-space-size=128',
  '--max-semi-space-size=16',
];

/**
 * Node flags every service process runs with. A 256 MB old-space heap makes V8 collect before
 * resident memory balloons (the working set of a 50,000-user job fits well inside it), and 32 MB
 * semi-spaces keep young-generation collections rare under load. Starting the old space at 128 MB
 * spares a new process the run of full collections V8 makes while it grows a small heap step by
 * step: measured with `BENCH_AB_NODE_FLAGS` (fresh workers, each after one warm-up job pair), the
 * worker's CPU per user fell from 84 to 70 µs. The `start:*` scripts in package.json pass the same flags.
 */
export const SERVICE_NODE_FLAGS = ['--max-old-space-size=256', '--initial-old-space-size=128', '--max-semi-space-size=32'];

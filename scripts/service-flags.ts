/**
 * Node flags every service process runs with. A 256 MB old-space heap makes V8 collect before
 * resident memory balloons (the working set of a 50,000-user job fits well inside it), and 32 MB
 * semi-spaces keep young-generation collections rare under load (see
 * `pnpm bench`). The `start:*` scripts in package.json pass the same flags.
 */
export const SERVICE_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=32'];

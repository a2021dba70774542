/**
 * Node flags every service process runs with. A 192 MB old-space heap makes V8 collect before
 * resident memory balloons; the working set of a 50,000-user job fits well inside it (see
 * `pnpm bench`). The `start:*` scripts in package.json pass the same flag.
 */
export const SERVICE_NODE_FLAGS = ['--max-old-space-size=192'];

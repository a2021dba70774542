#!/usr/bin/env node
// The `licenses` command: runs the TypeScript sources through tsx, with the workspace's tsconfig so
// that its packages (@licensing/client) resolve to their sources from any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');

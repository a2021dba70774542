// Runs Vite's build of the front end into the directory given as the argument. build.ts starts it
// as a process of its own with NODE_ENV=production: Vite and the React plugin read NODE_ENV from the
// process (not from the config) to choose React's production build and JSX runtime, and a process
// that builds the portal may itself run with NODE_ENV=test or development (a test runner, a dev shell).
import { build } from 'vite';
import { portalViteConfig } from './vite-config.ts';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: vite-build.ts <outDir>');
if (process.env.NODE_ENV !== 'production') throw new Error(`NODE_ENV is ${process.env.NODE_ENV}, not production`);
await build(portalViteConfig(outDir));

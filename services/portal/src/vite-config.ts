import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';
import { clientSourceRoot, domainScopesSource, webRoot } from './build.ts';

/** The production build of web/ (run by vite-build.ts under NODE_ENV=production) into `outDir`: hashed file names under /assets, no inline scripts. */
export function portalViteConfig(outDir: string): InlineConfig {
  return {
    configFile: false,
    root: webRoot,
    base: '/',
    // React's production build whatever NODE_ENV the building process has (a test runner sets
    // `test`): its code checks process.env.NODE_ENV, which the bundle replaces by this.
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warn',
    plugins: [react()],
    // The typed client from its sources, as the rest of the workspace uses it (its package exports its build);
    // the domain's scope rules alone (pure, no imports), so the portal offers what the API allows.
    resolve: {
      alias: [
        { find: /^@licensing\/client$/, replacement: `${clientSourceRoot}/index.ts` },
        { find: /^@licensing\/domain\/scopes$/, replacement: domainScopesSource },
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      assetsInlineLimit: 0, // no data: URLs, so the Content-Security-Policy needs none
      chunkSizeWarningLimit: 2000,
      sourcemap: false,
    },
  };
}

// `pnpm --filter @licensing/portal build`: build the front end now if it is missing or stale.
import { ensurePortalBuilt } from './build.ts';

const built = await ensurePortalBuilt({ log: (m) => console.log(`[portal] ${m}`) });
if (!built) console.log('[portal] the front end is up to date');

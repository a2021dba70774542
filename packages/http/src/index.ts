export * from './problem.ts';
export * from './error-handler.ts';
export * from './env.ts';
export * from './logger.ts';
export * from './openapi.ts';
export * from './auth.ts';
export * from './health.ts';
export * from './redis.ts';

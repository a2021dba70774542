export * from './license-tasks.ts';

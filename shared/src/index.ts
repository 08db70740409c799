export * from './errors.ts';
export * from './enums.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './workspaces.ts';
export * from './health.ts';

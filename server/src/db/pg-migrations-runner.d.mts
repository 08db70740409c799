import type { ClientBase } from 'pg';
export function applyPgMigrations(client: ClientBase, dir: string): Promise<string[]>;

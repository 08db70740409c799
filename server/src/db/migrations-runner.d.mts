import type { Database } from 'better-sqlite3';
export function applyMigrations(db: Database, dir: string): string[];

import type { Ack, ClientToServerEvents } from '@switchboard/shared';
import { issuesFromZod } from '@switchboard/shared';
import type { ZodType } from 'zod';
import { AppError } from '../lib/errors.ts';
import type { Io } from './gateway.ts';

export type AppSocket = Parameters<Parameters<Io['on']>[1]>[0];

type Payload<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[0];
type AckData<K extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[K]>[1] extends ((a: Ack<infer T>) => void) | undefined ? T : never;

export interface Command<K extends keyof ClientToServerEvents> {
  schema: ZodType<Payload<K>>;
  handle(socket: AppSocket, payload: Payload<K>): Promise<AckData<K>>;
}

export type CommandTable = { [K in keyof ClientToServerEvents]?: Command<K> };

/**
 * Wires each command to the socket: validates the payload with its schema and answers through
 * the ack with the API's error model, so a bad payload never throws inside Socket.IO.
 */
export function bindCommands(socket: AppSocket, table: CommandTable, log: (err: unknown) => void): void {
  for (const [name, command] of Object.entries(table) as [keyof ClientToServerEvents, Command<never>][]) {
    (socket as unknown as { on(n: string, fn: (p: unknown, ack?: unknown) => void): void }).on(name, async (payload, ack) => {
      const reply = typeof ack === 'function' ? (ack as (a: Ack<unknown>) => void) : () => undefined;
      const parsed = command.schema.safeParse(payload);
      if (!parsed.success) {
        const issues = issuesFromZod(parsed.error);
        return reply({ ok: false, error: { code: 'validation', message: `${issues[0]?.path}: ${issues[0]?.message}`, details: issues } });
      }
      try {
        reply({ ok: true, data: await command.handle(socket, parsed.data as never) });
      } catch (err) {
        if (err instanceof AppError) return reply({ ok: false, error: { code: err.code, message: err.message, details: err.details } });
        log(err);
        reply({ ok: false, error: { code: 'internal', message: 'Internal error' } });
      }
    });
  }
}

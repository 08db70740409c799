import { Redis } from 'ioredis';
import { requireServices } from './process.ts';

/** The machine's Redis; tests namespace their keys with their own REDIS_PREFIX. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether Redis answers; with REQUIRE_SERVICES=1 a missing one fails the run instead. */
export async function redisAvailable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let up = false;
  try {
    await r.connect();
    up = (await r.ping()) === 'PONG';
  } catch {
    up = false;
  } finally {
    r.disconnect();
  }
  if (requireServices && !up) throw new Error(`REQUIRE_SERVICES=1 but Redis is not reachable at ${REDIS_URL}`);
  return up;
}

/** Deletes a test's keys (its REDIS_PREFIX) after its nodes stopped. */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

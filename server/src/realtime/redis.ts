import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

/**
 * Socket.IO's Redis adapter: an emit to a room on one node reaches that room's sockets on every
 * node. Keys are namespaced so several deployments (and test runs) can share one Redis.
 */
export async function redisAdapter(url: string, key = process.env.REDIS_KEY_PREFIX ?? 'switchboard') {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    factory: createAdapter(pub, sub, { key }),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { RedisPresence } from './presence-redis.ts';

/**
 * Socket.IO's Redis adapter: an emit to a room on one node reaches that room's sockets on every
 * node. Keys are namespaced so several deployments (and test runs) can share one Redis.
 */
export async function connectRedis(url: string, prefix: string) {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const presence = new RedisPresence(pub, prefix);
  return {
    adapter: createAdapter(pub, sub, { key: `${prefix}:sio` }),
    presence,
    close: async () => {
      await presence.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

// Loaded into the real server process by the realtime benchmark only
// (`node --import tsx --import ./bench/realtime/server-preload.ts server/src/server.ts`), so the
// product code stays free of bench hooks. It watches the server's event loop and CPU and answers
// the driver over the IPC channel the driver opened: `eld:reset` starts a measuring window,
// `eld:report` returns what was seen since.
import { loopMonitor } from './stats.ts';

if (process.send) {
  const monitor = loopMonitor();
  process.on('message', (m: { bench?: string }) => {
    if (m?.bench === 'eld:reset') {
      monitor.reset();
      process.send!({ bench: 'eld:reset:ok' });
    } else if (m?.bench === 'eld:report') {
      process.send!({ bench: 'eld', stats: monitor.snapshot() });
    }
  });
  // The IPC channel must not keep the server alive once it shuts down.
  process.channel?.unref();
}

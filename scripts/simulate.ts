// Live inbound traffic for a running server, through the public inbound API — what a busy set of
// channel integrations would post. For demos, load checks and watching the inbox move.
//
//   npm run simulate -- [--rate 5] [--seconds 60] [--url http://localhost:3000] [--key sb_...]
//                       [--new 0.3] [--seed N]
//
// --rate      messages per second (default 2)
// --seconds   stop after this long (default: until Ctrl+C)
// --key       an API key; without one it signs in as admin@demo.test / switchboard (--email,
//             --password) and creates a key in the first workspace it administers
// --new       share of messages that come from a new contact (default 0.3); the others continue
//             a conversation already under way (each contact waits 3–30 s between its lines, so
//             early on, before anyone is ready to write again, most messages start new ones)
// Contacts are generated like the demo seed (names, languages, channels, phones by country) and
// write the contact side of the seed's support dialogues, in their language. A few messages are
// sent twice, as channels retry deliveries; the server must answer them with the same ids.
import { parseArgs } from 'node:util';
import type { InboundMessageBody } from '@switchboard/shared';
import { dialoguesFor, type Dialogue } from '../server/src/seed/dialogues.ts';
import { PersonFactory, type Person } from '../server/src/seed/person.ts';
import { Rng } from '../server/src/seed/rng.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    key: { type: 'string' },
    email: { type: 'string', default: 'admin@demo.test' },
    password: { type: 'string', default: 'switchboard' },
    rate: { type: 'string', default: '2' },
    seconds: { type: 'string' },
    new: { type: 'string', default: '0.3' },
    seed: { type: 'string' },
  },
});
const base = args.url.replace(/\/$/, '');
const rate = Number(args.rate);
const newShare = Number(args.new);
const seconds = args.seconds === undefined ? Infinity : Number(args.seconds);
if (!(rate > 0) || !(newShare >= 0 && newShare <= 1) || !(seconds > 0)) {
  console.error('--rate must be > 0, --new between 0 and 1, --seconds > 0');
  process.exit(2);
}

async function api(path: string, init: RequestInit & { cookie?: string } = {}) {
  const res = await fetch(base + path, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
  });
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  return { status: res.status, body, headers: res.headers };
}

/** Signs in as an admin and creates a key in the first workspace it administers. */
async function createKey(): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: args.email, password: args.password }),
  });
  if (login.status !== 200) throw new Error(`sign-in as ${args.email} failed (${login.status}); pass --key or --email/--password`);
  const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('sb_session=')) ?? '').split(';')[0]!;
  const me = (await login.json()) as { memberships: { workspaceId: string; role: string; name: string }[] };
  const ws = me.memberships.find((m) => m.role === 'admin');
  if (!ws) throw new Error(`${args.email} administers no workspace`);
  const created = await api(`/api/workspaces/${ws.workspaceId}/api-keys`, { method: 'POST', cookie, body: JSON.stringify({ name: `Simulator ${new Date().toISOString().slice(0, 16)}` }) });
  if (created.status !== 201) throw new Error(`creating an API key failed: ${created.status} ${JSON.stringify(created.body)}`);
  console.log(`Created API key in "${ws.name}" (reuse it with --key ${created.body!.key as string})`);
  return created.body!.key as string;
}

interface Chat {
  person: Person;
  lines: string[];
  next: number;
  busy: boolean;
  /** People take a while to read a reply and type the next line. */
  readyAt: number;
  sentProfile: boolean;
}

const seed = args.seed ? Number(args.seed) : Date.now() % 2 ** 31;
const rng = new Rng(seed);
const people = new PersonFactory(rng.fork(1), seed);
const orders = () => `#${rng.range(100_000, 999_999)}`;

/** The contact's side of one of the seed's dialogues, placeholders filled in. */
function linesFor(person: Person): string[] {
  const { dialogues } = dialoguesFor(person.language);
  const d: Dialogue = rng.pick(dialogues);
  const order = orders();
  const date = new Date(Date.now() + rng.range(2, 5) * 86_400_000).toISOString().slice(0, 10);
  return d
    .filter((_, i) => i % 2 === 0)
    .map((l) => l.replaceAll('{first}', person.firstName ?? '').replaceAll('{order}', order).replaceAll('{code}', 'SPRING15').replaceAll('{date}', date).replaceAll('{agent}', ''));
}

function profileOf(p: Person): NonNullable<InboundMessageBody['profile']> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ firstName: p.firstName, lastName: p.lastName, gender: p.gender, language: p.language, timezone: p.timezone, email: p.email, phone: p.phone, country: p.profile.country.code })) {
    if (v) out[k] = v;
  }
  return out;
}

const stats = { sent: 0, fresh: 0, returning: 0, retries: 0, retryMismatch: 0, limited: 0, errors: 0, latencies: [] as number[] };
const total = { sent: 0, errors: 0, contacts: 0 };
const chats: Chat[] = [];
const recent: { body: InboundMessageBody; ids: string }[] = [];
let pausedUntil = 0;
let lastError = '';

async function post(key: string, body: InboundMessageBody): Promise<string | null> {
  const started = performance.now();
  const res = await api('/api/inbound/messages', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) }).catch(
    (err: Error) => ({ status: 0, body: { message: err.message } as Record<string, unknown>, headers: new Headers() }),
  );
  stats.latencies.push(performance.now() - started);
  if (res.status === 202) return JSON.stringify(res.body);
  if (res.status === 429) {
    stats.limited++;
    const wait = Number((res.body?.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 5);
    pausedUntil = Date.now() + wait * 1000;
  } else {
    stats.errors++;
    total.errors++;
    lastError = `${res.status} ${String(res.body?.message ?? '')}`;
  }
  return null;
}

/** One message: a retry of a recent one (2%), a returning contact, or a new one. */
async function step(key: string): Promise<void> {
  const old = recent.length ? recent[rng.int(recent.length)] : undefined;
  if (old && rng.chance(0.02)) {
    stats.retries++;
    const ids = await post(key, old.body);
    if (ids && ids !== old.ids) stats.retryMismatch++;
    return;
  }
  const now = Date.now();
  const idle = chats.filter((c) => !c.busy && c.readyAt <= now);
  let chat: Chat | undefined = idle.length && !rng.chance(newShare) ? idle[rng.int(idle.length)] : undefined;
  if (chat) stats.returning++;
  else {
    chat = { person: people.next(), lines: [], next: 0, busy: false, readyAt: 0, sentProfile: false };
    chat.lines = linesFor(chat.person);
    chats.push(chat);
    stats.fresh++;
    total.contacts++;
  }
  chat.busy = true;
  const body: InboundMessageBody = {
    channel: chat.person.channel,
    channelUserId: chat.person.channelUserId,
    // Integrations send the profile with the first message and now and then after that.
    ...(!chat.sentProfile || rng.chance(0.2) ? { profile: profileOf(chat.person) } : {}),
    message: { externalId: `sim_${seed}_${rng.u32().toString(36)}${rng.u32().toString(36)}`, text: chat.lines[chat.next]!, sentAt: new Date().toISOString() },
  };
  const ids = await post(key, body);
  chat.busy = false;
  chat.readyAt = Date.now() + rng.range(3_000, 30_000);
  if (!ids) return;
  chat.sentProfile = true;
  stats.sent++;
  total.sent++;
  recent.push({ body, ids });
  if (recent.length > 200) recent.shift();
  // A finished dialogue leaves the pool: that contact has said all it had to say.
  if (++chat.next >= chat.lines.length) chats.splice(chats.indexOf(chat), 1);
}

function report(): void {
  const l = stats.latencies.sort((a, b) => a - b);
  const p = (q: number) => (l.length ? `${Math.round(l[Math.min(l.length - 1, Math.floor(q * l.length))]!)} ms` : '-');
  const time = new Date().toTimeString().slice(0, 8);
  const extra = [stats.retries && `retries ${stats.retries}${stats.retryMismatch ? ` (${stats.retryMismatch} NOT idempotent!)` : ''}`, stats.limited && `rate-limited ${stats.limited}`, stats.errors && `errors ${stats.errors} (${lastError})`]
    .filter(Boolean)
    .join(' · ');
  console.log(
    `${time}  ${String(stats.sent).padStart(3)} msg/s (new ${stats.fresh}, returning ${stats.returning})  p50 ${p(0.5)} p95 ${p(0.95)}` +
      `  total ${total.sent} from ${total.contacts} contacts, ${chats.length} chatting${extra ? '  ' + extra : ''}`,
  );
  Object.assign(stats, { sent: 0, fresh: 0, returning: 0, retries: 0, retryMismatch: 0, limited: 0, errors: 0, latencies: [] });
}

async function main(): Promise<void> {
  const health = await api('/api/health').catch(() => null);
  if (health?.status !== 200) throw new Error(`no Switchboard server at ${base} (start one with npm start, or pass --url)`);
  const key = args.key ?? (await createKey());
  console.log(`Posting ${rate} message(s)/s to ${base}/api/inbound/messages${Number.isFinite(seconds) ? ` for ${seconds} s` : ' (Ctrl+C to stop)'} · seed ${seed}`);
  const started = Date.now();
  let due = 0;
  const inFlight = new Set<Promise<void>>();
  const ticker = setInterval(() => {
    if (Date.now() < pausedUntil) return;
    // Catch up on the schedule, so the rate holds whatever the timer's jitter.
    const target = Math.floor(((Date.now() - started) / 1000) * rate);
    for (; due < target; due++) {
      const p = step(key).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }, 20);
  const reporter = setInterval(report, 1000);
  const stop = async () => {
    clearInterval(ticker);
    clearInterval(reporter);
    await Promise.allSettled(inFlight);
    report();
    console.log(`Done: ${total.sent} messages from ${total.contacts} contacts, ${total.errors} errors.`);
    process.exit(total.errors ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  if (Number.isFinite(seconds)) setTimeout(() => void stop(), seconds * 1000);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

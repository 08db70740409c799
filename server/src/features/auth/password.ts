import { hash, verify } from '@node-rs/argon2';

// Argon2id with the library's defaults (19 MiB, t=2): OWASP's recommended minimum. Hashing runs
// on libuv's thread pool, so logins do not stall the event loop.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a real hash when the email is unknown keeps the response time the same,
// so login timing does not reveal which emails have accounts.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password');
  await verifyPassword(await dummy, password);
}

/** Where the login page sends the agent back to; only paths of this app, never another origin. */
export function safeNext(raw: string | null | undefined): string | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/login/')) return null;
  return raw;
}

export function loginHref(next?: string): string {
  const back = safeNext(next);
  return back && back !== '/' ? `/login?next=${encodeURIComponent(back)}` : '/login';
}

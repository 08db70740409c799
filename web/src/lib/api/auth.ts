import { Me, type LoginBody } from '@switchboard/shared';
import { request } from './client';

export const auth = {
  // 401 here means "not signed in yet", which the callers handle themselves.
  me: (signal?: AbortSignal) => request('/api/auth/me', { schema: Me, signal, redirectOn401: false }),
  login: (body: LoginBody) => request('/api/auth/login', { method: 'POST', body, schema: Me, redirectOn401: false }),
  logout: () => request('/api/auth/logout', { method: 'POST', redirectOn401: false }),
};

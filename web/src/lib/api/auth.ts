import { Me, SessionsEnded, type ChangePasswordBody, type LoginBody } from '@switchboard/shared';
import { request, type RequestOptions } from './client';

type Pass = Pick<RequestOptions, 'fetch' | 'signal'>;

export const auth = {
  // 401 here means "not signed in yet", which the callers handle themselves.
  me: (options: Pass = {}) => request('/api/auth/me', { ...options, schema: Me, redirectOn401: false }),
  login: (body: LoginBody) => request('/api/auth/login', { method: 'POST', body, schema: Me, redirectOn401: false }),
  logout: () => request('/api/auth/logout', { method: 'POST', redirectOn401: false }),
  logoutAll: () => request('/api/auth/logout-all', { method: 'POST', schema: SessionsEnded, redirectOn401: false }),
  changePassword: (body: ChangePasswordBody) => request('/api/auth/password', { method: 'POST', body, schema: SessionsEnded }),
};

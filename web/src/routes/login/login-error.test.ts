import { describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

const { ApiError } = await import('$lib/api/client');
const { loginErrorMessage } = await import('./login-error');

describe('loginErrorMessage', () => {
  it('shows the server message for bad credentials', () => {
    const error = new ApiError({ status: 401, code: 'unauthorized', message: 'Wrong email or password' });
    expect(loginErrorMessage(error)).toBe('Wrong email or password');
  });

  it('asks to wait when rate limited', () => {
    const error = new ApiError({ status: 429, code: 'rate_limited', message: 'Rate limit exceeded' });
    expect(loginErrorMessage(error)).toBe('Too many attempts, try again in a minute');
  });

  it('names the field of a validation error', () => {
    const details = [{ path: 'email', message: 'must be an email address' }];
    const error = new ApiError({ status: 400, code: 'validation', message: 'Invalid body', details });
    expect(loginErrorMessage(error)).toBe('Email must be an email address');
  });
});

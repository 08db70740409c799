import { describe, expect, it } from 'vitest';
import { loginHref, safeNext } from './next';

describe('safeNext', () => {
  it('refuses what could leave the app or loop back to login', () => {
    for (const raw of [null, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', 'w/1/inbox', '/login', '/login?next=%2F']) {
      expect(safeNext(raw)).toBeNull();
    }
  });

  it('keeps a path of the app with its query', () => {
    expect(safeNext('/w/1/contacts?q=ann')).toBe('/w/1/contacts?q=ann');
  });
});

describe('loginHref', () => {
  it('carries the current path back, encoded', () => {
    expect(loginHref('/w/1/contacts?q=a&b')).toBe('/login?next=%2Fw%2F1%2Fcontacts%3Fq%3Da%26b');
  });

  it('drops a useless or unsafe next', () => {
    expect(loginHref('/')).toBe('/login');
    expect(loginHref('//evil.test')).toBe('/login');
  });
});

import { describe, expect, it } from 'vitest';
import { existingContactId, formErrors } from './form-errors';

describe('formErrors', () => {
  it('puts each issue next to its input and keeps the first per input', () => {
    const details = [
      { path: 'phone', message: 'is not a valid phone number' },
      { path: 'phone', message: 'second' },
      { path: 'email', message: 'must be an email address' },
      { path: 'ops[0].value', message: 'elsewhere' },
      { path: '(root)', message: 'bad body' },
      'junk',
    ];
    expect(formErrors(details, ['phone', 'email'])).toEqual({
      fields: { phone: 'is not a valid phone number', email: 'must be an email address' },
      other: ['ops[0].value: elsewhere', 'bad body'],
    });
  });

  it('reads nothing from a body without a list', () => {
    expect(formErrors(undefined, ['phone'])).toEqual({ fields: {}, other: [] });
  });
});

describe('existingContactId', () => {
  it('finds the id of the contact a 409 points at', () => {
    expect(existingContactId({ path: 'phone', existingId: '42' })).toBe('42');
    expect(existingContactId({ contactId: 7 })).toBe('7');
    expect(existingContactId({ contact: { id: '9' } })).toBe('9');
    expect(existingContactId(null)).toBeNull();
    expect(existingContactId({ path: 'phone' })).toBeNull();
  });
});

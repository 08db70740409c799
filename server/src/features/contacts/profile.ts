import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { genders, type ProfileField } from '@switchboard/shared';

type Result = { value: string | null } | { error: string };

const validTimezone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Parses a phone number to E.164; numbers without a country code are read in `defaultCountry`. */
export function normalizePhone(raw: string, defaultCountry?: string): { value: string } | { error: string } {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry as CountryCode | undefined);
  if (!parsed || !parsed.isValid()) {
    return {
      error: defaultCountry || raw.trim().startsWith('+')
        ? 'is not a valid phone number'
        : 'is not a valid phone number (include the country code, e.g. +44 20 7946 0958)',
    };
  }
  return { value: parsed.number };
}

/**
 * Validates and normalises one profile value the way docs/DATA.md stores it. `null` (or an
 * empty string) clears the value.
 */
export function normalizeProfile(field: ProfileField, raw: unknown, defaultCountry?: string): Result {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw !== 'string') return { error: 'must be a string or null' };
  const v = raw.trim();
  if (!v) return { value: null };
  switch (field) {
    case 'firstName':
    case 'lastName':
      return v.length <= 100 ? { value: v } : { error: 'must be at most 100 characters' };
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 254
        ? { value: v.toLowerCase() }
        : { error: 'must be an email address' };
    case 'phone':
      return normalizePhone(v, defaultCountry);
    case 'gender':
      return (genders as readonly string[]).includes(v.toLowerCase())
        ? { value: v.toLowerCase() }
        : { error: `must be one of: ${genders.join(', ')}` };
    case 'language':
      return /^[a-z]{2,3}$/i.test(v) ? { value: v.toLowerCase() } : { error: 'must be an ISO 639-1 language code, e.g. en' };
    case 'country':
      return /^[a-z]{2}$/i.test(v) ? { value: v.toUpperCase() } : { error: 'must be an ISO 3166 country code, e.g. FR' };
    case 'timezone':
      return validTimezone(v) ? { value: v } : { error: 'must be an IANA time zone, e.g. Europe/Paris' };
    case 'avatarUrl':
      // Only http(s): a javascript: or data: URL must never reach an <img> or <a>.
      return /^https?:\/\/\S+$/i.test(v) && v.length <= 2000 ? { value: v } : { error: 'must be an http(s) URL' };
  }
}

/** The `name` of the wire contact and the folded `nameKey` column. */
export const displayName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ');

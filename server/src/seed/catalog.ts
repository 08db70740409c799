import type { FieldType, Role } from '@switchboard/shared';

// The fixed part of the demo workspace: who can log in, and the workspace's vocabulary
// (custom fields, sequences, OTN topics, saved segments). Tags live in traits.ts with the
// rules that hand them out.

export const demoWorkspaceName = 'Acme Support';
export const demoPassword = 'switchboard';

export interface DemoLogin {
  email: string;
  role: Role;
  name: string;
}

/** One login per role, all with the password `demoPassword`; the server prints these. */
export const demoLogins: readonly DemoLogin[] = [
  { email: 'admin@demo.test', role: 'admin', name: 'Ada Admin' },
  { email: 'lead@demo.test', role: 'lead', name: 'Leo Lead' },
  { email: 'supervisor@demo.test', role: 'supervisor', name: 'Sam Supervisor' },
  { email: 'agent@demo.test', role: 'agent', name: 'Alex Agent' },
];

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  options?: readonly string[];
}

export const plans = ['free', 'silver', 'gold', 'platinum'] as const;
export const contactTimes = ['morning', 'afternoon', 'evening'] as const;
export const signupSources = ['facebook_ad', 'instagram_ad', 'google_search', 'referral', 'qr_code', 'website_widget', 'organic'] as const;

export const fieldDefs = [
  { key: 'plan', label: 'Plan', type: 'select', options: plans },
  { key: 'lifetime_value', label: 'Lifetime value', type: 'number' },
  { key: 'order_count', label: 'Orders', type: 'number' },
  { key: 'last_order_at', label: 'Last order', type: 'datetime' },
  { key: 'company', label: 'Company', type: 'text' },
  { key: 'city', label: 'City', type: 'text' },
  { key: 'accepts_marketing', label: 'Accepts marketing', type: 'boolean' },
  { key: 'birthday', label: 'Birthday', type: 'date' },
  { key: 'preferred_contact_time', label: 'Preferred contact time', type: 'select', options: contactTimes },
  { key: 'signup_source', label: 'Signup source', type: 'select', options: signupSources },
  { key: 'nps_score', label: 'NPS score', type: 'number' },
  { key: 'renewal_date', label: 'Renewal date', type: 'date' },
] as const satisfies readonly FieldDef[];

export type FieldKey = (typeof fieldDefs)[number]['key'];

export const sequenceNames = ['Welcome series', 'Abandoned cart', 'Weekly deals', 'Win-back', 'Product tips'] as const;
export const topicNames = ['Back in stock', 'Price drop alert', 'Order updates', 'Event reminders'] as const;

export interface SegmentDef {
  name: string;
  description: string;
  filter: unknown;
}

// Each filter is a root AND group even with one condition: the filter builder edits a group.
export const segmentDefs: readonly SegmentDef[] = [
  {
    name: 'VIP',
    description: 'Contacts tagged vip: answer first, escalate problems to a lead.',
    filter: { and: [{ field: 'tags', op: 'hasAnyOf', value: ['vip'] }] },
  },
  {
    name: 'Onboarding incomplete',
    description: 'Never finished onboarding (no onboarded tag).',
    filter: { and: [{ field: 'tags', op: 'hasNoneOf', value: ['onboarded'] }] },
  },
  {
    name: 'Spanish speakers',
    description: 'Contacts whose language is Spanish, for the ES team.',
    filter: { and: [{ field: 'language', op: 'eq', value: 'es' }] },
  },
  {
    name: 'Gave an email',
    description: 'Contacts who have given an email address.',
    filter: { and: [{ field: 'email', op: 'isSet' }] },
  },
  {
    name: 'Gold or platinum',
    description: 'Paying customers on the two highest plans.',
    filter: { and: [{ field: 'custom.plan', op: 'in', value: ['gold', 'platinum'] }] },
  },
];

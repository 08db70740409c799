import type { Channel } from '@switchboard/shared';
import type { Rng } from './rng.ts';

/**
 * Hidden facts about a contact that its tags, custom fields and sequences are all drawn from,
 * so they agree with each other: platinum customers have many orders and are mostly tagged vip,
 * long-silent contacts are churn risks, Spanish speakers carry spanish-speaker.
 */
export interface Traits {
  channel: Channel;
  language: string;
  /** Index into `plans`: 0 free … 3 platinum. */
  tier: number;
  orders: number;
  /** Days since subscribing, and since the last interaction (null: never recorded). */
  subscribedDays: number;
  silentDays: number | null;
  hasCompany: boolean;
  acceptsMarketing: boolean | null;
  gaveNps: boolean;
}

const tierWeights = [0.58, 0.22, 0.14, 0.06];

export function drawTier(rng: Rng): number {
  let x = rng.next();
  for (let i = 0; i < tierWeights.length; i++) {
    x -= tierWeights[i]!;
    if (x < 0) return i;
  }
  return 0;
}

/** Order count by plan: free contacts have mostly none, platinum ones dozens. */
export function drawOrders(rng: Rng, tier: number): number {
  switch (tier) {
    case 0:
      return rng.chance(0.55) ? 0 : rng.range(1, 3);
    case 1:
      return rng.range(2, 10);
    case 2:
      return rng.range(5, 30);
    default:
      return Math.round(15 * Math.exp(rng.next() * 2));
  }
}

type TagRule = [name: string, color: string, probability: (t: Traits) => number];

// Roughly 5 tags per contact on average, from ~60% (onboarded) down to ~0.5% (ambassador).
export const tagRules: readonly TagRule[] = [
  ['onboarded', '#16a34a', (t) => (t.silentDays !== null && t.silentDays < 30 ? 0.75 : 0.5)],
  ['newsletter', '#2563eb', (t) => (t.acceptsMarketing ? 0.65 : 0.05)],
  ['first-purchase', '#0891b2', (t) => (t.orders > 0 ? 0.8 : 0)],
  ['repeat-customer', '#0d9488', (t) => (t.orders >= 3 ? 0.85 : 0)],
  ['vip', '#ca8a04', (t) => [0.003, 0.02, 0.3, 0.9][t.tier]!],
  ['loyalty-member', '#9333ea', (t) => (t.tier > 0 ? 0.55 : 0.08)],
  ['churn-risk', '#dc2626', (t) => (t.silentDays === null ? 0.1 : t.silentDays > 120 ? 0.45 : t.silentDays > 45 ? 0.12 : 0.01)],
  ['spanish-speaker', '#ea580c', (t) => (t.language === 'es' ? 0.88 : 0.002)],
  ['app-user', '#4f46e5', () => 0.27],
  ['black-friday', '#1f2937', (t) => (t.subscribedDays > 30 ? 0.22 : 0.02)],
  ['holiday-shopper', '#b91c1c', (t) => (t.orders > 0 ? 0.25 : 0.05)],
  ['cart-abandoned', '#f97316', () => 0.13],
  ['giveaway-entrant', '#db2777', (t) => (t.channel === 'instagram' ? 0.4 : 0.1)],
  ['survey-completed', '#65a30d', (t) => (t.gaveNps ? 0.85 : 0.03)],
  ['lead', '#0284c7', (t) => (t.orders === 0 ? 0.45 : 0.04)],
  ['qualified-lead', '#0369a1', (t) => (t.orders === 0 && t.hasCompany ? 0.35 : 0.02)],
  ['support-ticket', '#7c3aed', () => 0.11],
  ['complaint', '#991b1b', () => 0.025],
  ['refund-requested', '#be123c', (t) => (t.orders > 0 ? 0.035 : 0)],
  ['shipping-issue', '#c2410c', (t) => (t.orders > 0 ? 0.06 : 0)],
  ['feedback-given', '#15803d', () => 0.09],
  ['price-sensitive', '#a16207', (t) => (t.tier === 0 ? 0.14 : 0.02)],
  ['referral', '#0f766e', () => 0.06],
  ['b2b', '#334155', (t) => (t.hasCompany ? 0.45 : 0.005)],
  ['wholesale', '#475569', (t) => (t.hasCompany ? 0.08 : 0.001)],
  ['student', '#6366f1', (t) => (t.hasCompany ? 0 : 0.05)],
  ['webinar-attendee', '#8b5cf6', () => 0.045],
  ['beta', '#14b8a6', () => 0.035],
  ['early-adopter', '#06b6d4', (t) => (t.subscribedDays > 500 ? 0.12 : 0.005)],
  ['ambassador', '#eab308', (t) => (t.tier >= 2 ? 0.03 : 0.002)],
  ['do-not-disturb', '#6b7280', (t) => (t.acceptsMarketing === false ? 0.1 : 0.004)],
];

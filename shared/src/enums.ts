import { z } from 'zod';

export const roles = ['agent', 'supervisor', 'lead', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** agent < supervisor < lead < admin */
export function roleAtLeast(role: Role, min: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(min);
}

export const channels = ['messenger', 'instagram', 'whatsapp', 'telegram', 'webchat', 'sms', 'voice'] as const;
export const Channel = z.enum(channels);
export type Channel = z.infer<typeof Channel>;

/** Channels whose contacts are identified by phone and may be created by hand or imported. */
export const phoneChannels = ['sms', 'voice'] as const satisfies readonly Channel[];

export const fieldTypes = ['text', 'number', 'boolean', 'date', 'datetime', 'select'] as const;
export const FieldType = z.enum(fieldTypes);
export type FieldType = z.infer<typeof FieldType>;

export const conversationStatuses = ['open', 'pending', 'resolved'] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const genders = ['male', 'female', 'other'] as const;
export const Gender = z.enum(genders);
export type Gender = z.infer<typeof Gender>;

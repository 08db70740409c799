import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const DELIVERY_HEADER = 'x-switchboard-delivery';

/** `sha256=<hex HMAC-SHA256 of the exact bytes sent>`: receivers verify before parsing. */
export const signBody = (secret: string, rawBody: string) => `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

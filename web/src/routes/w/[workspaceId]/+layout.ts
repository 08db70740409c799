import { error, redirect } from '@sveltejs/kit';
import { loginHref } from '$lib/session/next';
import { session } from '$lib/session/session.svelte';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ fetch, params, url }) => {
  const me = await session.load(fetch);
  if (!me) redirect(307, loginHref(url.pathname + url.search));
  // Same answer for a workspace that does not exist and one the agent is not in: ids leak nothing.
  if (!session.membership(params.workspaceId)) {
    error(404, { message: 'This workspace does not exist or you are not a member of it.', code: 'not_found' });
  }
  session.remember(params.workspaceId);
};

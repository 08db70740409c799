import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { session } from '$lib/session/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  const me = await session.load(fetch);
  if (!me) redirect(307, resolve('/login'));
  const workspaceId = session.defaultWorkspaceId();
  if (workspaceId) redirect(307, resolve('/w/[workspaceId]/inbox', { workspaceId }));
  // Signed in but in no workspace yet: the page says what to do.
};

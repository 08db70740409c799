import { resolve } from '$app/paths';

export const sections = [
  { slug: 'inbox', label: 'Inbox' },
  { slug: 'contacts', label: 'Contacts' },
  { slug: 'segments', label: 'Segments' },
  { slug: 'jobs', label: 'Jobs' },
  { slug: 'settings', label: 'Settings' },
] as const;

export type Section = (typeof sections)[number]['slug'];

export function sectionHref(workspaceId: string, section: Section): string {
  return resolve(`/w/[workspaceId]/${section}`, { workspaceId });
}

/** The section of a console path (`/w/1/contacts/…` → `contacts`), or null outside the sections. */
export function sectionOf(pathname: string): Section | null {
  const slug = pathname.split('/')[3];
  return sections.find((s) => s.slug === slug)?.slug ?? null;
}

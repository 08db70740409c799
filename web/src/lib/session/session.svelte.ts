import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { page } from '$app/state';
import type { AgentProfile, Me, MembershipSummary } from '@switchboard/shared';
import { auth } from '$lib/api/auth';
import { ApiError } from '$lib/api/client';

const storageKey = (agentId: string) => `switchboard:workspace:${agentId}`;

/** The signed-in agent, its memberships and the workspace being worked in. */
class Session {
  me = $state.raw<Me | null>(null);
  #pending: Promise<Me | null> | null = null;
  #generation = 0;

  get agent(): AgentProfile | null {
    return this.me?.agent ?? null;
  }

  get memberships(): MembershipSummary[] {
    return this.me?.memberships ?? [];
  }

  /** The URL is the source of truth, so reloads, links and two tabs on two workspaces all work. */
  get workspaceId(): string | null {
    return page.params.workspaceId ?? null;
  }

  get current(): MembershipSummary | undefined {
    return this.membership(this.workspaceId);
  }

  membership(workspaceId: string | null | undefined): MembershipSummary | undefined {
    return this.memberships.find((m) => m.workspaceId === workspaceId);
  }

  /** Resolves to the signed-in agent, or null when there is no session. Fetched once, then cached. */
  load(fetcher?: typeof fetch): Promise<Me | null> {
    if (this.me) return Promise.resolve(this.me);
    this.#pending ??= this.#fetch(fetcher);
    return this.#pending;
  }

  async #fetch(fetcher?: typeof fetch): Promise<Me | null> {
    const generation = this.#generation;
    try {
      const me = await auth.me({ fetch: fetcher });
      // A sign-in or sign-out that happened meanwhile wins over this older answer.
      if (generation === this.#generation) this.me = me;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    } finally {
      if (generation === this.#generation) this.#pending = null;
    }
    return this.me;
  }

  signedIn(me: Me): void {
    this.#generation++;
    this.#pending = null;
    this.me = me;
  }

  signedOut(): void {
    this.#generation++;
    this.#pending = null;
    this.me = null;
  }

  /**
   * Ends the session through `end` (sign out here, or everywhere) and goes to the sign-in page; a
   * 401 means it had already ended, which is what was wanted. Otherwise the error to show.
   */
  async signOut(end: () => Promise<unknown>): Promise<string | null> {
    try {
      await end();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) return e instanceof ApiError ? e.message : 'Could not sign out. Try again.';
    }
    // Navigate first so the shell never renders without an agent.
    await goto(resolve('/login'));
    this.signedOut();
    return null;
  }

  remember(workspaceId: string): void {
    if (!this.agent) return;
    try {
      localStorage.setItem(storageKey(this.agent.id), workspaceId);
    } catch {
      // Storage can be full or disabled; the URL still carries the workspace.
    }
  }

  /** The workspace to open when the URL names none: the last one used here, else the first. */
  defaultWorkspaceId(): string | null {
    if (!this.agent) return null;
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(storageKey(this.agent.id));
    } catch {
      saved = null;
    }
    return this.membership(saved)?.workspaceId ?? this.memberships[0]?.workspaceId ?? null;
  }
}

export const session = new Session();

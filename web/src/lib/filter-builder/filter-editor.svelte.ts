import type { Filter } from '@switchboard/shared';
import type { ApiError } from '$lib/api/client';
import type { FilterField } from './catalogue';
import * as tree from './tree';

export interface FocusRequest {
  id: string;
  /** `field` of a condition, or `add` (the "Add condition" button) of a group. */
  target: 'field' | 'add';
}

/**
 * The filter being edited: a draft tree, the node an error points at, and where the keyboard
 * should go after an edit that removed or added the focused control.
 */
export class FilterEditor {
  root = $state.raw<tree.GroupNode>(tree.fromFilter(null));
  issue = $state.raw<tree.NodeIssue | null>(null);
  focus = $state.raw<FocusRequest | null>(null);
  readonly #fields: () => readonly FilterField[];
  readonly fieldsByKey: ReadonlyMap<string, FilterField> = $derived(new Map(this.fieldsList.map((f) => [f.key, f])));
  /** Paths of the filter last sent, to find the node a server error names. */
  #paths = new Map<string, string>();

  constructor(fields: () => readonly FilterField[]) {
    this.#fields = fields;
  }

  get fieldsList(): readonly FilterField[] {
    return this.#fields();
  }

  get conditionCount(): number {
    return tree.countConditions(this.root);
  }

  get isEmpty(): boolean {
    return this.conditionCount === 0;
  }

  /** Starts over from a filter (the URL's, a segment's), or from an empty group. */
  reset(filter: Filter | null | undefined): void {
    this.root = tree.fromFilter(filter);
    this.#paths = tree.toFilter(this.root).paths;
    this.issue = null;
  }

  /** The draft as the API wants it, or the first thing to fix (also shown on the node). */
  prepare(): { filter: Filter | null; issue: tree.NodeIssue | null } {
    const issue = tree.firstLocalIssue(this.root, this.fieldsByKey);
    this.issue = issue;
    if (issue) {
      this.focus = { id: issue.id, target: 'field' };
      return { filter: null, issue };
    }
    const { filter, paths } = tree.toFilter(this.root);
    this.#paths = paths;
    return { filter, issue: null };
  }

  /** Draft equals `filter` (the applied one, a segment's) once both are written the same way. */
  matches(filter: Filter | null | undefined): boolean {
    return JSON.stringify(tree.toFilter(this.root).filter) === tree.canonicalFilter(filter);
  }

  /** Marks the node a 400 names (`details[0].path`) with the server's message. */
  showServerError(error: ApiError): void {
    const first = Array.isArray(error.details) ? (error.details[0] as { path?: unknown; message?: unknown } | undefined) : undefined;
    this.markPath(typeof first?.path === 'string' ? first.path : '', typeof first?.message === 'string' ? first.message : error.message);
  }

  /** Marks the node at an API path of the filter last prepared (the whole filter when none fits). */
  markPath(path: string, message: string): void {
    const found = tree.locatePath(this.#paths, path);
    this.issue = { id: found?.id ?? this.root.id, part: found?.part ?? null, message };
  }

  clearIssue(): void {
    this.issue = null;
  }

  addCondition(groupId: string): void {
    const condition = tree.newCondition();
    this.#edit(tree.addCondition(this.root, groupId, condition));
    this.focus = { id: condition.id, target: 'field' };
  }

  addGroup(groupId: string): void {
    const first = tree.newCondition();
    const group = this.root.id === groupId ? this.root : tree.findNode(this.root, groupId);
    const combinator = group?.kind === 'group' && group.combinator === 'and' ? 'or' : 'and';
    this.#edit(tree.addGroup(this.root, groupId, tree.newGroup(combinator, [first])));
    this.focus = { id: first.id, target: 'field' };
  }

  remove(id: string, parentId: string): void {
    this.#edit(tree.removeNode(this.root, id));
    this.focus = { id: parentId, target: 'add' };
  }

  clear(): void {
    this.#edit(tree.fromFilter(null));
    this.focus = { id: this.root.id, target: 'add' };
  }

  setCombinator(groupId: string, combinator: 'and' | 'or'): void {
    this.#edit(tree.setCombinator(this.root, groupId, combinator));
  }

  setNegated(groupId: string, negated: boolean): void {
    this.#edit(tree.setNegated(this.root, groupId, negated));
  }

  setField(id: string, key: string): void {
    const node = tree.findNode(this.root, id);
    if (node?.kind !== 'condition') return;
    this.#edit(tree.updateCondition(this.root, id, tree.withField(node, this.fieldsByKey.get(key))));
  }

  setOp(id: string, op: string): void {
    const node = tree.findNode(this.root, id);
    if (node?.kind !== 'condition') return;
    this.#edit(tree.updateCondition(this.root, id, tree.withOp(node, this.fieldsByKey.get(node.field), op)));
  }

  setValue(id: string, value: unknown): void {
    this.#edit(tree.updateCondition(this.root, id, { value }));
  }

  canAddGroup(groupId: string): boolean {
    return tree.canAddGroup(this.root, groupId);
  }

  canAddCondition(): boolean {
    return tree.canAddCondition(this.root);
  }

  #edit(next: tree.GroupNode): void {
    if (next === this.root) return;
    this.root = next;
    // The marked problem may be fixed by this edit; Apply checks again.
    this.issue = null;
  }
}

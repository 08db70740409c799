import { MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, type Condition, type Filter } from '@switchboard/shared';
import { defaultValue, operatorsFor, valueIssue, valueKind, type FilterField } from './catalogue';

/**
 * The editable form of a filter: every node has an id (stable keys for the UI, and the anchor of
 * an error path), and the root is always a group. Edits return a new tree; nothing is mutated.
 */
export interface ConditionNode {
  kind: 'condition';
  id: string;
  field: string;
  op: string;
  value: unknown;
}

export interface GroupNode {
  kind: 'group';
  id: string;
  combinator: 'and' | 'or';
  /** Serialised as `{ "not": group }`. */
  negated: boolean;
  children: FilterNode[];
}

export type FilterNode = ConditionNode | GroupNode;

/** The part of a condition an error points at. */
export type NodePart = 'field' | 'op' | 'value';

let sequence = 0;
const nextId = () => `n${++sequence}`;

export function newCondition(init: Partial<Omit<ConditionNode, 'kind' | 'id'>> = {}): ConditionNode {
  return { kind: 'condition', id: nextId(), field: '', op: '', value: undefined, ...init };
}

export function newGroup(combinator: 'and' | 'or' = 'and', children: FilterNode[] = [], negated = false): GroupNode {
  return { kind: 'group', id: nextId(), combinator, negated, children };
}

const isCondition = (f: Filter): f is Condition => 'field' in f;

/** The editable tree of a filter (or an empty AND group when there is none). */
export function fromFilter(filter: Filter | null | undefined): GroupNode {
  if (!filter) return newGroup();
  const node = toNode(filter);
  return node.kind === 'group' ? node : newGroup('and', [node]);
}

function toNode(filter: Filter): FilterNode {
  if (isCondition(filter)) return newCondition({ field: filter.field, op: filter.op, value: filter.value });
  if ('and' in filter) return newGroup('and', filter.and.map(toNode));
  if ('or' in filter) return newGroup('or', filter.or.map(toNode));
  const inner = toNode(filter.not);
  // `{ not: condition }` becomes a negated group of one: the editor negates groups only.
  if (inner.kind === 'condition' || inner.negated) return newGroup('and', [inner], true);
  return { ...inner, negated: true };
}

export interface Serialised {
  /** null when the tree holds no condition: no filter at all. */
  filter: Filter | null;
  /** The path of each node in `filter`, as the API names paths (`and[1].or[0]`); the root is ''. */
  paths: Map<string, string>;
}

const join = (base: string, part: string) => (base ? `${base}.${part}` : part);

/** The filter to send. Empty groups are left out (the API wants at least one condition per group). */
export function toFilter(root: GroupNode): Serialised {
  const paths = new Map<string, string>();
  const filter = serialise(root, '', paths);
  return { filter, paths };
}

function serialise(node: FilterNode, path: string, paths: Map<string, string>): Filter | null {
  if (node.kind === 'condition') {
    paths.set(node.id, path);
    const condition: Condition = { field: node.field, op: node.op };
    if (node.value !== undefined) condition.value = node.value;
    return condition;
  }
  const inner = node.negated ? join(path, 'not') : path;
  const children: Filter[] = [];
  for (const child of node.children) {
    const out = serialise(child, `${join(inner, node.combinator)}[${children.length}]`, paths);
    if (out) children.push(out);
  }
  if (children.length === 0) return null;
  paths.set(node.id, path);
  const group = (node.combinator === 'and' ? { and: children } : { or: children }) as Filter;
  return node.negated ? { not: group } : group;
}

/** A filter written the way this editor writes it, so two filters can be compared as text. */
export function canonicalFilter(filter: Filter | null | undefined): string {
  return JSON.stringify(toFilter(fromFilter(filter)).filter);
}

function mapTree(node: FilterNode, id: string, edit: (node: FilterNode) => FilterNode): FilterNode {
  if (node.id === id) return edit(node);
  if (node.kind === 'condition') return node;
  let changed = false;
  const children = node.children.map((child) => {
    const next = mapTree(child, id, edit);
    if (next !== child) changed = true;
    return next;
  });
  return changed ? { ...node, children } : node;
}

function editGroup(root: GroupNode, groupId: string, edit: (group: GroupNode) => GroupNode): GroupNode {
  return mapTree(root, groupId, (node) => (node.kind === 'group' ? edit(node) : node)) as GroupNode;
}

export function findNode(root: FilterNode, id: string): FilterNode | undefined {
  if (root.id === id) return root;
  if (root.kind === 'condition') return undefined;
  for (const child of root.children) {
    const found = findNode(child, id);
    if (found) return found;
  }
  return undefined;
}

export function countConditions(node: FilterNode): number {
  return node.kind === 'condition' ? 1 : node.children.reduce((n, child) => n + countConditions(child), 0);
}

/**
 * Nesting depth as the API counts it for MAX_FILTER_DEPTH: every object of the JSON tree is one
 * level (`{ and: [cond] }` is 2, and a `not` wrapper is one more).
 */
export function depthOf(node: FilterNode): number {
  if (node.kind === 'condition') return 1;
  const below = node.children.length ? Math.max(...node.children.map(depthOf)) : 1;
  return below + 1 + (node.negated ? 1 : 0);
}

/** How deep the JSON of `id`'s group starts: the root group starts at 1. */
export function levelOf(root: GroupNode, id: string): number | undefined {
  const walk = (node: FilterNode, level: number): number | undefined => {
    if (node.id === id) return level;
    if (node.kind === 'condition') return undefined;
    const childLevel = level + 1 + (node.negated ? 1 : 0);
    for (const child of node.children) {
      const found = walk(child, childLevel);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(root, 1);
}

export function canAddCondition(root: GroupNode): boolean {
  return countConditions(root) < MAX_FILTER_CONDITIONS;
}

/** A new group (holding one condition) fits in `groupId` without passing MAX_FILTER_DEPTH. */
export function canAddGroup(root: GroupNode, groupId: string): boolean {
  const group = findNode(root, groupId);
  const level = levelOf(root, groupId);
  if (!group || group.kind !== 'group' || level === undefined) return false;
  // The new group sits one level below this group's JSON (two when this group is negated).
  const newGroupLevel = level + 1 + (group.negated ? 1 : 0);
  return canAddCondition(root) && newGroupLevel + 1 <= MAX_FILTER_DEPTH;
}

export function addCondition(root: GroupNode, groupId: string, condition: ConditionNode = newCondition()): GroupNode {
  if (!canAddCondition(root)) return root;
  return editGroup(root, groupId, (g) => ({ ...g, children: [...g.children, condition] }));
}

/** Adds a group of the other combinator (the usual reason to nest) with one empty condition. */
export function addGroup(root: GroupNode, groupId: string, group?: GroupNode): GroupNode {
  if (!canAddGroup(root, groupId)) return root;
  return editGroup(root, groupId, (g) => {
    const child = group ?? newGroup(g.combinator === 'and' ? 'or' : 'and', [newCondition()]);
    return { ...g, children: [...g.children, child] };
  });
}

/** Removes a node; the root cannot be removed (clear it instead). */
export function removeNode(root: GroupNode, id: string): GroupNode {
  if (root.id === id) return root;
  const prune = (group: GroupNode): GroupNode => {
    const kept = group.children.filter((c) => c.id !== id);
    const children = kept.map((c) => (c.kind === 'group' ? prune(c) : c));
    const same = kept.length === group.children.length && children.every((c, i) => c === group.children[i]);
    return same ? group : { ...group, children };
  };
  return prune(root);
}

export function setCombinator(root: GroupNode, groupId: string, combinator: 'and' | 'or'): GroupNode {
  return editGroup(root, groupId, (g) => ({ ...g, combinator }));
}

export function setNegated(root: GroupNode, groupId: string, negated: boolean): GroupNode {
  return editGroup(root, groupId, (g) => ({ ...g, negated }));
}

export function updateCondition(root: GroupNode, id: string, patch: Partial<Pick<ConditionNode, 'field' | 'op' | 'value'>>): GroupNode {
  return mapTree(root, id, (node) => (node.kind === 'condition' ? { ...node, ...patch } : node)) as GroupNode;
}

/** A condition switched to another field: its operator and value are kept when they still fit. */
export function withField(condition: ConditionNode, field: FilterField | undefined): Pick<ConditionNode, 'field' | 'op' | 'value'> {
  if (!field) return { field: '', op: '', value: undefined };
  const ops = operatorsFor(field.type).map((o) => o.op);
  const op = ops.includes(condition.op) ? condition.op : ops[0]!;
  const sameShape = ops.includes(condition.op) && condition.field !== '' && sameValueShape(condition, field, op);
  return { field: field.key, op, value: sameShape ? condition.value : defaultValue(valueKind(field.type, op)) };
}

function sameValueShape(condition: ConditionNode, field: FilterField, op: string): boolean {
  // Values only carry over between fields of one type with the same choices (text → text, tags ✗ sequences).
  const kind = valueKind(field.type, op);
  if (kind === 'many' || kind === 'one') return false;
  return valueIssue(kind, condition.value) === null || condition.value === defaultValue(kind);
}

/** A condition switched to another operator: the value is kept when the input stays the same kind. */
export function withOp(condition: ConditionNode, field: FilterField | undefined, op: string): Pick<ConditionNode, 'op' | 'value'> {
  if (!field) return { op, value: condition.value };
  const before = valueKind(field.type, condition.op);
  const after = valueKind(field.type, op);
  if (before === after) return { op, value: condition.value };
  // "is" → "is any of" keeps the chosen value as the first of the list, and back.
  if (before === 'one' && after === 'many' && typeof condition.value === 'string' && condition.value) {
    return { op, value: [condition.value] };
  }
  if (before === 'many' && after === 'one' && Array.isArray(condition.value) && typeof condition.value[0] === 'string') {
    return { op, value: condition.value[0] };
  }
  return { op, value: defaultValue(after) };
}

export interface NodeIssue {
  id: string;
  part: NodePart | null;
  message: string;
}

/** The first condition that cannot be sent as it is, checked here to answer without a round trip. */
export function firstLocalIssue(root: GroupNode, fields: ReadonlyMap<string, FilterField>): NodeIssue | null {
  const visit = (node: FilterNode): NodeIssue | null => {
    if (node.kind === 'group') {
      for (const child of node.children) {
        const issue = visit(child);
        if (issue) return issue;
      }
      return null;
    }
    if (!node.field) return { id: node.id, part: 'field', message: 'Choose a field' };
    const field = fields.get(node.field);
    if (!field) return { id: node.id, part: 'field', message: `The field "${node.field}" no longer exists` };
    if (!operatorsFor(field.type).some((o) => o.op === node.op)) return { id: node.id, part: 'op', message: 'Choose an operator' };
    const message = valueIssue(valueKind(field.type, node.op), node.value);
    return message ? { id: node.id, part: 'value', message } : null;
  };
  return visit(root);
}

/**
 * The node an API error path points at (`and[1].value`, or `filter.and[1].value` in a body): the
 * node with the longest path that is a prefix of it, and which part of a condition it names.
 */
export function locatePath(paths: ReadonlyMap<string, string>, errorPath: string): { id: string; part: NodePart | null } | null {
  const path = errorPath.replace(/^filter(?=$|[.[])\.?/, '');
  let best: { id: string; path: string } | null = null;
  for (const [id, nodePath] of paths) {
    const matches = nodePath === '' || path === nodePath || path.startsWith(`${nodePath}.`) || path.startsWith(`${nodePath}[`);
    if (matches && (!best || nodePath.length > best.path.length)) best = { id, path: nodePath };
  }
  if (!best) return null;
  const rest = path.slice(best.path.length).replace(/^\./, '');
  const part = /^(field|op|value)\b/.exec(rest)?.[1] as NodePart | undefined;
  return { id: best.id, part: part ?? null };
}

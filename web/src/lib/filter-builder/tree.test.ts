import { describe, expect, it } from 'vitest';
import type { Filter } from '@switchboard/shared';
import { filterFields } from './catalogue';
import {
  addCondition,
  addGroup,
  canAddGroup,
  canonicalFilter,
  countConditions,
  depthOf,
  findNode,
  firstLocalIssue,
  fromFilter,
  locatePath,
  newCondition,
  newGroup,
  removeNode,
  setCombinator,
  setNegated,
  toFilter,
  updateCondition,
  withField,
  withOp,
  type GroupNode,
} from './tree';

const fields = new Map(
  filterFields([{ id: '1', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'gold'], position: 0 }]).map((f) => [f.key, f]),
);

const nested: Filter = {
  and: [
    { field: 'tags', op: 'hasAnyOf', value: ['vip'] },
    { or: [{ field: 'email', op: 'isSet' }, { field: 'custom.plan', op: 'eq', value: 'gold' }] },
  ],
};

describe('fromFilter / toFilter', () => {
  it('round-trips a nested filter unchanged', () => {
    expect(toFilter(fromFilter(nested)).filter).toEqual(nested);
  });

  it('wraps a lone condition in an AND group and writes it back as a group', () => {
    const root = fromFilter({ field: 'email', op: 'isSet' });
    expect(root.combinator).toBe('and');
    expect(toFilter(root).filter).toEqual({ and: [{ field: 'email', op: 'isSet' }] });
  });

  it('keeps negations: a negated group, and a negated condition as a negated group of one', () => {
    const filter: Filter = { or: [{ not: { and: [{ field: 'email', op: 'isSet' }] } }, { not: { field: 'phone', op: 'isSet' } }] };
    const out = toFilter(fromFilter(filter)).filter;
    expect(out).toEqual({ or: [{ not: { and: [{ field: 'email', op: 'isSet' }] } }, { not: { and: [{ field: 'phone', op: 'isSet' }] } }] });
    expect(toFilter(fromFilter({ not: { or: [{ field: 'email', op: 'isSet' }] } })).filter).toEqual({
      not: { or: [{ field: 'email', op: 'isSet' }] },
    });
  });

  it('has no filter when there is no condition, and leaves empty groups out', () => {
    expect(toFilter(fromFilter(null)).filter).toBeNull();
    const root = newGroup('and', [newGroup('or'), newCondition({ field: 'email', op: 'isSet' })]);
    expect(toFilter(root).filter).toEqual({ and: [{ field: 'email', op: 'isSet' }] });
  });

  it('names every node by its API path, counting only the nodes sent', () => {
    const empty = newGroup('or');
    const a = newCondition({ field: 'email', op: 'isSet' });
    const b = newCondition({ field: 'phone', op: 'isSet' });
    const inner = newGroup('or', [b], true);
    const root = newGroup('and', [empty, a, inner]);
    const { paths } = toFilter(root);
    expect(paths.get(root.id)).toBe('');
    expect(paths.get(a.id)).toBe('and[0]');
    expect(paths.get(inner.id)).toBe('and[1]');
    expect(paths.get(b.id)).toBe('and[1].not.or[0]');
    expect(paths.has(empty.id)).toBe(false);
  });

  it('compares filters written differently but meaning the same', () => {
    expect(canonicalFilter({ field: 'email', op: 'isSet' })).toBe(canonicalFilter({ and: [{ op: 'isSet', field: 'email' }] }));
    expect(canonicalFilter(null)).toBe('null');
  });
});

describe('tree edits', () => {
  it('adds conditions and groups where asked, without touching the old tree', () => {
    const root = fromFilter(null);
    const withCondition = addCondition(root, root.id);
    expect(root.children).toHaveLength(0);
    expect(withCondition.children).toHaveLength(1);
    const withGroup = addGroup(withCondition, root.id);
    const group = withGroup.children[1] as GroupNode;
    // A nested group starts with the other combinator and one condition to fill.
    expect(group).toMatchObject({ kind: 'group', combinator: 'or', negated: false });
    expect(group.children).toHaveLength(1);
    expect(countConditions(withGroup)).toBe(2);
  });

  it('toggles AND/OR and NOT', () => {
    const root = fromFilter(nested);
    const inner = root.children[1]!;
    const flipped = setCombinator(root, inner.id, 'and');
    expect(toFilter(flipped).filter).toEqual({ and: [nested.and[0], { and: (nested.and[1] as { or: Filter[] }).or }] } as Filter);
    const negated = setNegated(root, root.id, true);
    expect(toFilter(negated).filter).toEqual({ not: nested });
  });

  it('removes any node but the root', () => {
    const root = fromFilter(nested);
    const inner = root.children[1] as GroupNode;
    const removed = removeNode(root, inner.children[0]!.id);
    expect(toFilter(removed).filter).toEqual({ and: [nested.and[0], { or: [{ field: 'custom.plan', op: 'eq', value: 'gold' }] }] } as Filter);
    expect(removeNode(root, root.id)).toBe(root);
    expect(removeNode(root, 'missing')).toBe(root);
  });

  it('updates one condition and shares the untouched nodes', () => {
    const root = fromFilter(nested);
    const first = root.children[0]!;
    const next = updateCondition(root, first.id, { value: ['vip', 'new'] });
    expect(findNode(next, first.id)).toMatchObject({ value: ['vip', 'new'] });
    expect(next.children[1]).toBe(root.children[1]);
  });

  it('stops nesting at the depth the API accepts (6 levels, conditions included)', () => {
    let root = fromFilter(null);
    let groupId = root.id;
    let levels = 1;
    while (canAddGroup(root, groupId)) {
      root = addGroup(root, groupId);
      groupId = (findNode(root, groupId) as GroupNode).children.at(-1)!.id;
      levels++;
    }
    expect(levels).toBe(5);
    expect(depthOf(root)).toBe(6);
    expect(addGroup(root, groupId)).toBe(root);
    // A NOT wrapper is one more level.
    const plain = fromFilter(null);
    const negatedRoot = setNegated(plain, plain.id, true);
    expect(depthOf(addCondition(negatedRoot, negatedRoot.id))).toBe(3);
  });

  it('stops adding conditions at 100', () => {
    let root = fromFilter(null);
    for (let i = 0; i < 105; i++) root = addCondition(root, root.id, newCondition({ field: 'email', op: 'isSet' }));
    expect(countConditions(root)).toBe(100);
  });
});

describe('changing field and operator', () => {
  const email = fields.get('email')!;
  const name = fields.get('name')!;
  const tags = fields.get('tags')!;
  const channel = fields.get('channel')!;
  const created = fields.get('createdAt')!;

  it('picks the first operator of a new field type and a fitting empty value', () => {
    const c = newCondition();
    expect(withField(c, tags)).toEqual({ field: 'tags', op: 'hasAnyOf', value: [] });
    expect(withField(c, created)).toEqual({ field: 'createdAt', op: 'before', value: '' });
    expect(withField(c, undefined)).toEqual({ field: '', op: '', value: undefined });
  });

  it('keeps operator and value between fields of one type', () => {
    const c = newCondition({ field: 'email', op: 'contains', value: 'acme' });
    expect(withField(c, name)).toEqual({ field: 'name', op: 'contains', value: 'acme' });
    expect(withField(newCondition({ field: 'gender', op: 'eq', value: 'male' }), channel)).toEqual({ field: 'channel', op: 'eq', value: '' });
    expect(withField(c, tags).op).toBe('hasAnyOf');
    expect(withField(newCondition({ field: 'name', op: 'eq', value: 'x' }), email).value).toBe('x');
  });

  it('keeps the value across operators that take the same input, and converts one ↔ many', () => {
    const c = newCondition({ field: 'email', op: 'contains', value: 'acme' });
    expect(withOp(c, email, 'startsWith')).toEqual({ op: 'startsWith', value: 'acme' });
    expect(withOp(c, email, 'isSet')).toEqual({ op: 'isSet', value: undefined });
    const one = newCondition({ field: 'channel', op: 'eq', value: 'sms' });
    expect(withOp(one, channel, 'in')).toEqual({ op: 'in', value: ['sms'] });
    const many = newCondition({ field: 'channel', op: 'in', value: ['voice', 'sms'] });
    expect(withOp(many, channel, 'neq')).toEqual({ op: 'neq', value: 'voice' });
    const date = newCondition({ field: 'createdAt', op: 'before', value: '2024-01-01' });
    expect(withOp(date, created, 'between')).toEqual({ op: 'between', value: ['', ''] });
    expect(withOp(date, created, 'withinDays')).toEqual({ op: 'withinDays', value: 30 });
  });
});

describe('checks before sending', () => {
  it('names the first condition that cannot be sent and what to fix', () => {
    const ok = newCondition({ field: 'email', op: 'isSet' });
    const noField = newCondition();
    expect(firstLocalIssue(newGroup('and', [ok, noField]), fields)).toEqual({ id: noField.id, part: 'field', message: 'Choose a field' });
    const noValue = newCondition({ field: 'tags', op: 'hasAnyOf', value: [] });
    expect(firstLocalIssue(newGroup('and', [ok, newGroup('or', [noValue])]), fields)).toMatchObject({ id: noValue.id, part: 'value' });
    const badOp = newCondition({ field: 'tags', op: 'contains', value: 'x' });
    expect(firstLocalIssue(newGroup('and', [badOp]), fields)).toMatchObject({ part: 'op' });
    const gone = newCondition({ field: 'custom.deleted', op: 'eq', value: 'x' });
    expect(firstLocalIssue(newGroup('and', [gone]), fields)?.message).toMatch(/no longer exists/);
    expect(firstLocalIssue(fromFilter(nested), fields)).toBeNull();
  });

  it('finds the node and part an API error path points at', () => {
    const root = fromFilter(nested);
    const { paths } = toFilter(root);
    const inner = root.children[1] as GroupNode;
    expect(locatePath(paths, 'and[1].or[1].value')).toEqual({ id: inner.children[1]!.id, part: 'value' });
    expect(locatePath(paths, 'filter.and[0].op')).toEqual({ id: root.children[0]!.id, part: 'op' });
    expect(locatePath(paths, 'and[0].value[2]')).toEqual({ id: root.children[0]!.id, part: 'value' });
    expect(locatePath(paths, 'and[1].or')).toEqual({ id: inner.id, part: null });
    expect(locatePath(paths, '(root)')).toEqual({ id: root.id, part: null });
    expect(locatePath(paths, 'filter')).toEqual({ id: root.id, part: null });
    // and[1] must not match and[10].
    const many = fromFilter({ and: Array.from({ length: 11 }, () => ({ field: 'email', op: 'isSet' })) });
    const manyPaths = toFilter(many).paths;
    expect(locatePath(manyPaths, 'and[10].field')).toEqual({ id: many.children[10]!.id, part: 'field' });
  });
});

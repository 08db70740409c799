import { describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

const { ApiError } = await import('$lib/api/client');
const { FilterEditor } = await import('./filter-editor.svelte');
const { filterFields } = await import('./catalogue');

const fields = filterFields([{ id: '1', key: 'nps', label: 'NPS', type: 'number', position: 0 }]);
const filter = { and: [{ field: 'email', op: 'isSet' }, { or: [{ field: 'custom.nps', op: 'gt', value: 8 }, { field: 'tags', op: 'isEmpty' }] }] };

describe('FilterEditor', () => {
  it('edits a draft and tells whether it differs from the applied filter', () => {
    const editor = new FilterEditor(() => fields);
    editor.reset(filter);
    expect(editor.matches(filter)).toBe(true);
    expect(editor.conditionCount).toBe(3);
    const inner = editor.root.children[1]!;
    editor.setCombinator(inner.id, 'and');
    expect(editor.matches(filter)).toBe(false);
    editor.addCondition(editor.root.id);
    const added = editor.root.children.at(-1)!;
    expect(editor.focus).toEqual({ id: added.id, target: 'field' });
    editor.setField(added.id, 'createdAt');
    expect(editor.root.children.at(-1)).toMatchObject({ field: 'createdAt', op: 'before', value: '' });
    editor.setOp(added.id, 'withinDays');
    editor.setValue(added.id, 7);
    expect(editor.prepare()).toEqual({
      filter: { and: [filter.and[0], { and: filter.and[1]!.or }, { field: 'createdAt', op: 'withinDays', value: 7 }] },
      issue: null,
    });
  });

  it('stops at the first incomplete condition and sends the keyboard there', () => {
    const editor = new FilterEditor(() => fields);
    editor.reset(null);
    expect(editor.prepare()).toEqual({ filter: null, issue: null });
    editor.addCondition(editor.root.id);
    const { issue } = editor.prepare();
    expect(issue).toMatchObject({ part: 'field', message: 'Choose a field' });
    expect(editor.issue).toEqual(issue);
    expect(editor.focus).toEqual({ id: issue!.id, target: 'field' });
  });

  it('marks the node named by a 400 from the list, or from a segment body', () => {
    const editor = new FilterEditor(() => fields);
    editor.reset(filter);
    const nps = (editor.root.children[1] as { children: { id: string }[] }).children[0]!;
    const error = new ApiError({ status: 400, code: 'validation', message: 'Invalid filter', details: [{ path: 'and[1].or[0].value', message: 'must be a finite number' }] });
    editor.showServerError(error);
    expect(editor.issue).toEqual({ id: nps.id, part: 'value', message: 'must be a finite number' });

    editor.prepare();
    editor.markPath('filter.and[0].field', 'unknown field');
    expect(editor.issue).toEqual({ id: editor.root.children[0]!.id, part: 'field', message: 'unknown field' });

    // An edit clears the mark; Apply checks again.
    editor.setValue(nps.id, 9);
    expect(editor.issue).toBeNull();
  });

  it('moves the keyboard to the group after a removal', () => {
    const editor = new FilterEditor(() => fields);
    editor.reset(filter);
    const first = editor.root.children[0]!;
    editor.remove(first.id, editor.root.id);
    expect(editor.conditionCount).toBe(2);
    expect(editor.focus).toEqual({ id: editor.root.id, target: 'add' });
  });
});

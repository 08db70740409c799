import { describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

const { ApiError } = await import('$lib/api/client');
const ops = await import('./ops');

describe('scalar ops carry what the editor saw', () => {
  it('setProfile sends the seen value as expected, null when there was none', () => {
    expect(ops.setProfileOp('email', 'a@b.co', 'old@b.co')).toEqual({ op: 'setProfile', field: 'email', value: 'a@b.co', expected: 'old@b.co' });
    expect(ops.setProfileOp('email', 'a@b.co', null)).toEqual({ op: 'setProfile', field: 'email', value: 'a@b.co', expected: null });
    expect(ops.setProfileOp('phone', null, undefined)).toEqual({ op: 'setProfile', field: 'phone', value: null, expected: null });
  });

  it('setField and clearField keep typed values, and an empty string means none', () => {
    expect(ops.setFieldOp('plan', 'gold', 'silver')).toEqual({ op: 'setField', key: 'plan', value: 'gold', expected: 'silver' });
    expect(ops.setFieldOp('orders', 3, 0)).toEqual({ op: 'setField', key: 'orders', value: 3, expected: 0 });
    expect(ops.setFieldOp('vip', false, true)).toEqual({ op: 'setField', key: 'vip', value: false, expected: true });
    expect(ops.setFieldOp('city', 'Lyon', '')).toEqual({ op: 'setField', key: 'city', value: 'Lyon', expected: null });
    expect(ops.clearFieldOp('plan', 'gold')).toEqual({ op: 'clearField', key: 'plan', expected: 'gold' });
  });

  it('"Keep mine" is the same op expecting the conflict current value', () => {
    const current = 'platinum';
    expect(ops.setFieldOp('plan', 'gold', current)).toMatchObject({ expected: 'platinum' });
    expect(ops.clearFieldOp('plan', current)).toMatchObject({ expected: 'platinum' });
  });

  it('tag ops never carry expected', () => {
    expect(ops.addTagOp('  vip ')).toEqual({ op: 'addTag', tag: 'vip' });
    expect(ops.removeTagOp('vip')).toEqual({ op: 'removeTag', tag: 'vip' });
  });
});

describe('reading failures', () => {
  it('reads the conflict details of a 409', () => {
    const details = { path: 'fields.plan', current: 'platinum', changedBy: { kind: 'agent', id: '4', name: 'Sam Supervisor' } };
    const error = new ApiError({ status: 409, code: 'conflict', message: 'Changed meanwhile', details });
    expect(ops.readConflict(error)).toEqual(details);
    expect(ops.failure(error)).toEqual({ ok: false, message: 'Changed meanwhile', conflict: details });
  });

  it('ignores a 409 without conflict details (a duplicate, say) and other errors', () => {
    expect(ops.readConflict(new ApiError({ status: 409, code: 'conflict', message: 'exists', details: { id: '3' } }))).toBeNull();
    expect(ops.readConflict(new Error('x'))).toBeNull();
  });

  it('shows the first validation issue message under the input', () => {
    const error = new ApiError({
      status: 400,
      code: 'validation',
      message: 'Invalid body',
      details: [{ path: 'ops[0].value', message: 'must be an email address' }],
    });
    expect(ops.errorMessage(error)).toBe('must be an email address');
    expect(ops.errorMessage(new ApiError({ status: 403, code: 'forbidden', message: 'Supervisors only' }))).toBe('Supervisors only');
    expect(ops.errorMessage(new TypeError('boom'))).toBe('Something went wrong. Try again.');
  });
});

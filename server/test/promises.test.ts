import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { assert, beforeAll, describe, expect, it } from 'vitest';

/**
 * Services moved from synchronous better-sqlite3 calls to the async `Sql` interface. A call that
 * became async and is not awaited still "works" on SQLite: its write merely runs after the
 * transaction committed (or a check always passes, a Promise being truthy). The compiler knows
 * every expression's type, so it finds both shapes of the mistake in server/src:
 * - a floating promise: an expression statement of a thenable type, without `await` or `void`
 *   (a call ending in `.catch/.then/.finally(...)` has its outcome handled and is accepted);
 * - a promise tested for truth: the condition of if/while/for/`?:`, an operand of `!`, `&&`, `||`.
 */
const server = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = `${join(server, 'src')}/`;
// Prisma's generated client is not ours to fix.
const skip = `${src}generated/`;
// Thenables known safe to drop: Fastify's reply setters (`reply.status(201)`) return the reply
// for chaining, and the reply is thenable only to wait until it is sent.
const knownSafe = new Set(['FastifyReply']);

function loadProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(server, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  });
  if (!config) throw new Error('tsconfig.json did not parse');
  // server/src only (and what it imports): the tests, bench and scripts are not searched.
  const rootNames = config.fileNames.filter((f) => f.startsWith(src));
  return ts.createProgram({ rootNames, options: { ...config.options, noEmit: true } });
}

type Kind = 'floating' | 'condition';

/** Each finding as `file:line: text`, by kind. */
function findings(program: ts.Program): Record<Kind, string[]> {
  const checker = program.getTypeChecker();
  const out: Record<Kind, string[]> = { floating: [], condition: [] };
  const seen = new Set<ts.Node>();

  const thenable = (t: ts.Type) => {
    if (knownSafe.has((t.aliasSymbol ?? t.getSymbol())?.getName() ?? '')) return false;
    const then = t.getProperty('then');
    return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
  };
  const parts = (e: ts.Expression) => {
    const t = checker.getTypeAtLocation(e);
    return t.isUnion() ? t.types : [t];
  };
  const report = (node: ts.Node, kind: Kind) => {
    if (seen.has(node)) return;
    seen.add(node);
    const file = node.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const text = node.getText().replace(/\s+/g, ' ').slice(0, 120);
    out[kind].push(`${relative(server, file.fileName)}:${line}: ${text}`);
  };
  /** `(x)`, `x!`, `x as T`, `<T>x`, `x satisfies T`: the same value. */
  const inner = (e: ts.Expression): ts.Expression =>
    ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)
      ? inner(e.expression)
      : e;
  const isAndOr = (e: ts.Node): e is ts.BinaryExpression =>
    ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind);
  const handled = (e: ts.Expression) =>
    ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['catch', 'then', 'finally'].includes(e.expression.name.text);

  /** A truth test: `Promise | undefined` is a fair test (a cached promise or none); a Promise alone is always true. */
  const condition = (expr: ts.Expression | undefined): void => {
    if (!expr) return;
    const e = inner(expr);
    if (isAndOr(e)) {
      condition(e.left);
      condition(e.right);
    } else if (parts(e).every(thenable)) report(e, 'condition');
  };

  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const e = inner(node.expression);
      // `x = p`, `x ??= p`: the promise is kept, not dropped.
      const op = ts.isBinaryExpression(e) ? e.operatorToken.kind : undefined;
      const assignment = op !== undefined && op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
      if (!assignment && !handled(e) && parts(e).some(thenable)) report(node, 'floating');
    } else if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isConditionalExpression(node)) {
      condition(ts.isConditionalExpression(node) ? node.condition : node.expression);
    } else if (ts.isForStatement(node)) {
      condition(node.condition);
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      condition(node.operand);
    } else if (isAndOr(node)) {
      // The left operand is always tested; the right one only when the whole is (handled above).
      condition(node.left);
    }
    ts.forEachChild(node, visit);
  };

  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.fileName.startsWith(src) || file.fileName.startsWith(skip)) continue;
    visit(file);
  }
  return out;
}

describe('promises in server/src', () => {
  let found: Record<Kind, string[]>;
  // One program for both checks; type-checking src takes a while on a busy machine.
  beforeAll(() => {
    found = findings(loadProgram());
  }, 180_000);

  it('are awaited, or voided on purpose (`void p`, `p.catch(…)`)', () => {
    expect(found.floating, `\n${found.floating.join('\n')}\n`).toEqual([]);
  });

  it('are never tested for truth (a Promise is always truthy: await it first)', () => {
    expect(found.condition, `\n${found.condition.join('\n')}\n`).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, type Decision } from '../../src/index.js';
import { guard as rulesGuard, NOW, at } from '../rules/fixture.js';

const check = rulesGuard.checkUse as (s: unknown, p: unknown, c?: unknown) => Decision;
const prepare = rulesGuard.prepareContext as (c: unknown) => ReturnType<typeof rulesGuard.prepareContext>;

const contexts: Record<string, unknown>[] = [
  {},
  { now: NOW },
  { consents: [{ purpose: 'news', grantedAt: at(-1000), id: 'k' }] },
  { consents: [{ purpose: 'news', grantedAt: at(-1000), withdrawnAt: at(-10), id: 'w' }], dataCategories: ['contact'] },
  { consents: [{ purpose: 'news', grantedAt: at(10) }] },
  { objections: [{ purpose: 'ads', at: at(-1) }] },
  { dataCategories: ['health'], consents: [{ purpose: 'care', grantedAt: at(-5) }] },
  { dataCategories: ['dna'] },
  { collectedFor: ['billing'] },
  { relationshipEndedAt: '2020-01-01T00:00:00Z' },
  { exception: { ground: 'laws_and_regulations', reference: 'Act 1' } },
  { exception: { ground: 'public_authority_cooperation', reference: 'x' } },
  { actor: 'svc', subjectId: 'person-1' },
  { now: 'yesterday' },
  { consent: [] },
];
const pairs = [['member', 'news'], ['member', 'ads'], ['member', 'care'], ['member', 'research'], ['visitor', 'ads'], ['nobody', 'ads'], ['member', 'nothing']] as const;

describe('prepared contexts', () => {
  test.each(contexts.map((c) => [JSON.stringify(c), c] as const))('decide exactly as the raw context %s', (_, context) => {
    const prepared = prepare(context);
    for (const [s, p] of pairs) expect(check(s, p, prepared), `${s}/${p}`).toEqual(check(s, p, context));
  });

  test('are a snapshot: later changes to the original do not reach them', () => {
    const consents = [{ purpose: 'news', grantedAt: at(-1000), id: 'k' }];
    const prepared = prepare({ consents });
    (consents[0] as Record<string, string>)['withdrawnAt'] = at(-1);
    expect(check('member', 'news', prepared).allowed).toBe(true);
    expect(check('member', 'news', { consents }).reason).toBe('consent_withdrawn');
  });

  test('without now, each check reads the clock', () => {
    let now = Date.parse(NOW);
    const guard = createGuard(defaultCatalogue, { clock: () => new Date(now) });
    const prepared = guard.prepareContext({ consents: [{ purpose: 'marketing.notifications', grantedAt: NOW, expiresAt: at(1000) }] });
    expect(guard.checkUse('customer', 'marketing.notifications', prepared).allowed).toBe(true);
    now += 1000;
    expect(guard.checkUse('customer', 'marketing.notifications', prepared).reason).toBe('consent_expired');
  });

  test('an invalid context prepares into invalid_context, naming the field, and never throws', () => {
    const hostile = { get consents(): never { throw new Error('boom'); } };
    expect(check('member', 'ads', prepare({ now: '2026-01-01' }))).toMatchObject({ reason: 'invalid_context', field: 'context.now' });
    expect(check('member', 'ads', prepare(hostile))).toMatchObject({ reason: 'invalid_context' });
    expect(check('member', 'ads', prepare(null))).toMatchObject({ reason: 'invalid_context' });
  });

  test('only the guard that prepared it accepts it', () => {
    const other = createGuard(defaultCatalogue);
    const prepared = other.prepareContext({});
    expect(check('member', 'ads', prepared)).toMatchObject({ reason: 'invalid_context', field: 'context' });
  });

  test('cannot be forged from its prototype or a look-alike', () => {
    const prepared = prepare({ objections: [{ purpose: 'ads', at: at(-1) }] });
    expect(check('member', 'ads', prepared).reason).toBe('objected');
    const forged = Object.create(Object.getPrototypeOf(prepared) as object) as object;
    // Not a prepared context, and not a plain one either: refused.
    expect(check('member', 'ads', forged)).toMatchObject({ reason: 'invalid_context', field: 'context' });
  });

  test('a copy holds none of its facts, and is refused rather than read as a context without them', () => {
    const prepared = prepare({ objections: [{ purpose: 'ads', at: at(-1) }], actor: 'svc' });
    const invalid = prepare({ objection: [] });
    expect(check('member', 'ads', prepared).reason).toBe('objected');
    expect(check('member', 'billing', invalid).reason).toBe('invalid_context');
    const copies: [string, (p: object) => unknown][] = [
      ['spread', (p) => ({ ...p })],
      ['spread with a field added', (p) => ({ ...p, actor: 'other' })],
      ['structuredClone', (p) => structuredClone(p)],
      ['JSON round trip', (p) => JSON.parse(JSON.stringify(p))],
      ['Object.assign', (p) => Object.assign({}, p)],
      ['transparent Proxy', (p) => new Proxy(p, {})],
    ];
    for (const [how, copy] of copies) {
      for (const source of [prepared, invalid]) {
        // A Proxy keeps the prepared context's prototype, so it is refused before its fields are read.
        const field = how === 'transparent Proxy' ? 'context' : 'context.prepared';
        expect(check('member', 'billing', copy(source)), how).toMatchObject({ allowed: false, reason: 'invalid_context', field });
      }
    }
    expect(check('member', 'billing', copies[0]?.[1](prepared)).message).toMatch(/copy of a prepared context/);
  });

  test('keep actor and subject id for the audit trail', () => {
    const prepared = prepare({ actor: 'svc', subjectId: 'person-1' });
    expect(prepared.actor).toBe('svc');
    expect(prepared.subjectId).toBe('person-1');
    expect(Object.isFrozen(prepared)).toBe(true);
  });

  test('preparing a prepared context returns it', () => {
    const prepared = prepare({});
    expect(prepare(prepared)).toBe(prepared);
  });
});

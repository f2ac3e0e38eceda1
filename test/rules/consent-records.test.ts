import { afterEach, describe, expect, test } from 'vitest';
import { at, check } from './fixture.js';

// Consent records are read on a fast path for plain records and again, with every check, when it has any
// doubt. These cases sit on the boundary between the two: both must decide exactly as the rules say.
const granted = at(-86_400_000);
const past = at(-1000);
const valid = (extra: Record<string, unknown> = {}) => ({ purpose: 'news', grantedAt: granted, id: 'c-1', ...extra });

describe('consent records on the boundary of the fast path', () => {
  afterEach(() => {
    for (const key of ['withdrawnAt', 'expiresAt', 'id', 'purpose', 'grantedAt', 'note']) delete (Object.prototype as Record<string, unknown>)[key];
    delete (Array.prototype as unknown as Record<number, unknown>)[0];
  });

  test('a plain record counts and is cited', () => {
    const d = check('member', 'news', { consents: [valid()] });
    expect(d).toMatchObject({ allowed: true, consentId: 'c-1' });
  });

  test('a non-enumerable own withdrawnAt still withdraws the consent', () => {
    const r = valid();
    Object.defineProperty(r, 'withdrawnAt', { value: past, enumerable: false });
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: false, reason: 'consent_withdrawn' });
  });

  test('a non-enumerable own id is still cited', () => {
    const r: Record<string, unknown> = { purpose: 'news', grantedAt: granted };
    Object.defineProperty(r, 'id', { value: 'hidden-1', enumerable: false });
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: true, consentId: 'hidden-1' });
  });

  test('fields inherited from a polluted Object.prototype are ignored', () => {
    Object.assign(Object.prototype, { withdrawnAt: past, expiresAt: past, id: 'polluted' });
    expect(check('member', 'news', { consents: [{ purpose: 'news', grantedAt: granted }] })).toMatchObject({ allowed: true });
    expect(check('member', 'news', { consents: [{ purpose: 'news', grantedAt: granted }] })).not.toHaveProperty('consentId');
  });

  test('a purpose or grantedAt inherited from a polluted Object.prototype does not complete a record', () => {
    Object.assign(Object.prototype, { purpose: 'news' });
    expect(check('member', 'news', { consents: [{ grantedAt: granted, id: 'c-1' }] })).toMatchObject({
      allowed: false, reason: 'invalid_context', field: 'context.consents[0].purpose',
    });
    delete (Object.prototype as Record<string, unknown>)['purpose'];
    Object.assign(Object.prototype, { grantedAt: granted });
    expect(check('member', 'news', { consents: [{ purpose: 'news', id: 'c-1' }] })).toMatchObject({
      allowed: false, reason: 'invalid_context', field: 'context.consents[0].grantedAt',
    });
  });

  test('a getter that pollutes Object.prototype halfway through does not complete a later record', () => {
    const first = { purpose: 'news', grantedAt: granted, get id() {
      (Object.prototype as Record<string, unknown>)['purpose'] = 'news';
      return 'c-1';
    } };
    expect(check('member', 'news', { consents: [first, { grantedAt: granted, id: 'c-2' }] })).toMatchObject({
      allowed: false, reason: 'invalid_context', field: 'context.consents[1].purpose',
    });
  });

  test('an enumerable key inherited from a polluted Object.prototype is not taken for a misspelt field', () => {
    Object.assign(Object.prototype, { note: 'polluted' });
    expect(check('member', 'news', { consents: [valid()] })).toMatchObject({ allowed: true, consentId: 'c-1' });
  });

  test('records with another prototype are read like plain ones', () => {
    const bare = Object.assign(Object.create(null) as object, valid());
    class Consent {
      constructor(readonly purpose: string, readonly grantedAt: string, readonly id: string) {}
    }
    expect(check('member', 'news', { consents: [bare] })).toMatchObject({ allowed: true, consentId: 'c-1' });
    expect(check('member', 'news', { consents: [new Consent('news', granted, 'c-3')] })).toMatchObject({ allowed: true, consentId: 'c-3' });
  });

  test('a record whose purpose and grantedAt are inherited is no consent', () => {
    const r = Object.create({ purpose: 'news', grantedAt: granted }) as object;
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[0]' });
  });

  test("a record whose prototype holds one of its fields is refused: a class getter's withdrawal is not ignored", () => {
    class ConsentRow {
      readonly #withdrawn: string;
      constructor(readonly purpose: string, readonly grantedAt: string, withdrawn: string) {
        this.#withdrawn = withdrawn;
      }
      get withdrawnAt() {
        return this.#withdrawn;
      }
    }
    const row = new ConsentRow('news', granted, past);
    expect(check('member', 'news', { consents: [row] })).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[0]' });
    expect(check('member', 'news', { consents: [Object.assign(Object.create({ withdrawnAt: past }), valid())] })).toMatchObject({ reason: 'invalid_context' });
    // An objection or an exception held the same way is refused too.
    class Objection {
      get purpose() {
        return 'news';
      }
      readonly at = past;
    }
    expect(check('member', 'news', { objections: [new Objection()] })).toMatchObject({ reason: 'invalid_context', field: 'context.objections[0]' });
  });

  test('an array dressed up as a record is refused', () => {
    const r = Object.assign([], { purpose: 'news', grantedAt: granted });
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[0]' });
  });

  test('a hole does not read through to a polluted Array.prototype', () => {
    (Array.prototype as unknown as Record<number, unknown>)[0] = valid();
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const d = check('member', 'news', { consents: [, valid({ id: 'c-2' })] });
    expect(d).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[0]' });
  });

  test('an unknown field is refused even next to a valid record', () => {
    const d = check('member', 'news', { consents: [valid(), valid({ withdrawAt: past })] });
    expect(d).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[1]["withdrawAt"]' });
  });

  test('a record is read once: a getter that changes its answer cannot pass one check and fail another', () => {
    let reads = 0;
    const r = {
      purpose: 'news',
      id: 'c-1',
      get grantedAt() {
        reads++;
        return reads === 1 ? granted : 'not a date';
      },
    };
    // The fast path reads the good value; a second read would see the bad one.
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: true, consentId: 'c-1' });
    expect(reads).toBe(1);
  });

  test('a getter is read once: its first answer is the one judged, by the check that names the field', () => {
    let reads = 0;
    const r = {
      purpose: 'news',
      get grantedAt() {
        reads++;
        return reads === 1 ? 'not a date' : granted;
      },
    };
    expect(check('member', 'news', { consents: [r] })).toMatchObject({ allowed: false, reason: 'invalid_context', field: 'context.consents[0].grantedAt' });
    expect(reads).toBe(1);
  });

  test('every field of a record the fast path doubts is read once, as a plain copy of it would be', () => {
    const reads = new Map<string, number>();
    const counted = (fields: Record<string, () => unknown>): object => {
      const r = {};
      for (const [key, answer] of Object.entries(fields)) {
        const get = () => {
          reads.set(key, (reads.get(key) ?? 0) + 1);
          return answer();
        };
        Object.defineProperty(r, key, { enumerable: true, get });
      }
      return r;
    };
    let n = 0;
    // First answers: an undeclared purpose, then a declared one; the decision must follow the first.
    const flipping = counted({ purpose: () => (++n === 1 ? 'newz' : 'news'), grantedAt: () => granted, withdrawnAt: () => undefined });
    expect(check('member', 'news', { consents: [flipping] })).toMatchObject({ reason: 'invalid_context', field: 'context.consents[0].purpose' });
    expect(Object.fromEntries(reads)).toEqual({ purpose: 1, grantedAt: 1, withdrawnAt: 1 });
    // An element getter on the list itself is read once too.
    let elementReads = 0;
    const list: unknown[] = [];
    const element = () => {
      elementReads++;
      return { purpose: 'news', grantedAt: granted };
    };
    Object.defineProperty(list, 0, { enumerable: true, get: element });
    expect(check('member', 'news', { consents: list }).allowed).toBe(true);
    expect(elementReads).toBe(1);
  });
});

/**
 * Fields a catalogue or a caller leaves out are read from the catalogue's and
 * the options' own fields only: planted on Object.prototype before a check, or
 * while the guard compiles, they change no decision, then or afterwards.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, parseCatalogue } from '../../src/index.js';

const proto = Object.prototype as Record<string, unknown>;
const planted = new Set<string>();
const plant = (key: string, value: unknown): void => {
  proto[key] = value;
  planted.add(key);
};
afterEach(() => {
  for (const key of planted) delete proto[key];
  planted.clear();
});
const clock = () => new Date('2026-06-01T00:00:00Z');

/** Compiles under the pollution, then removes it. */
function compiledUnder<T>(pollution: Record<string, unknown>, compile: () => T): T {
  for (const [key, value] of Object.entries(pollution)) plant(key, value);
  try {
    return compile();
  } finally {
    for (const key of Object.keys(pollution)) delete proto[key];
  }
}

const retained = parseCatalogue({
  version: '1',
  controller: { name: 'X' },
  dataCategories: { c: { title: 'C' } },
  purposes: { billing: { title: 'B', basis: 'contract', dataCategories: ['c'] } },
  subjects: { customer: { title: 'S', purposes: { billing: 'b' }, retention: { duration: { months: 1 } } } },
});
const ended = { relationshipEndedAt: '2025-01-01T00:00:00Z' };

describe('a guard compiled before the pollution', () => {
  test('an academicResearchInstitution planted on Object.prototype does not make the exception available', () => {
    const guard = createGuard(defaultCatalogue, { clock });
    const research = { exception: { ground: 'academic_research', reference: 'ethics board 17' } } as const;
    plant('academicResearchInstitution', true);
    expect(guard.checkUse('employee', 'marketing.analytics' as never, research as never).reason).toBe('exception_invalid');
  });

  test.each([['years', 5], ['weeks', {}], ['days', 'x']])('a retention unit %s planted on Object.prototype does not extend retention', (key, value) => {
    const guard = createGuard(retained, { clock });
    expect(guard.checkUse('customer', 'billing', ended).reason).toBe('retention_expired');
    plant(key, value);
    expect(guard.checkUse('customer', 'billing', ended).reason).toBe('retention_expired');
  });
});

describe('a guard compiled during the pollution, asked once it is gone', () => {
  test('catalogue fields left out (compatibleWith, basis, dataCategories) are not taken from the prototype', () => {
    const guard = compiledUnder({ compatibleWith: ['marketing.analytics'] }, () => createGuard(defaultCatalogue, { clock }));
    expect(guard.checkUse('customer', 'marketing.analytics', { collectedFor: ['billing'] }).reason).toBe('incompatible_purpose');
    const spec = parseCatalogue({
      version: '1',
      controller: { name: 'X' },
      dataCategories: { c: { title: 'C' } },
      purposes: { news: { title: 'N', basis: 'consent', dataCategories: ['c'] }, 'news.weekly': { title: 'W' }, stats: { title: 'S', basis: 'legitimate_interests' } },
      subjects: { s: { title: 'S', purposes: { 'news.weekly': 'w', stats: 's' } } },
    });
    expect(compiledUnder({ basis: 'contract' }, () => createGuard(spec)).checkUse('s', 'news.weekly').reason).toBe('consent_required');
    expect(compiledUnder({ dataCategories: ['c'] }, () => createGuard(spec)).checkUse('s', 'stats', { dataCategories: ['c'] }).reason).toBe('data_category_not_permitted');
  });

  test('options left out (mode, clock, auditPolicy) are not taken from the prototype', () => {
    const monitor = compiledUnder({ mode: 'monitor' }, () => createGuard(defaultCatalogue));
    expect(monitor.mode).toBe('enforce');
    expect(monitor.checkUse('employee', 'marketing.analytics' as never).allowed).toBe(false);
    const consents = [{ purpose: 'marketing.notifications', grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-03-01T00:00:00Z' }];
    const stale = compiledUnder({ clock: () => new Date('2026-02-01T00:00:00Z') }, () => createGuard(defaultCatalogue));
    expect(stale.checkUse('customer', 'marketing.notifications', { consents }).reason).toBe('consent_expired');
  });
});

describe('guard options are a plain object', () => {
  test('options on a class or inherited from defaults are refused, not dropped with the recorder they hold', () => {
    const recorder = { record: () => undefined };
    class GuardConfig {
      get recorder() {
        return recorder;
      }
    }
    expect(() => createGuard(defaultCatalogue, new GuardConfig() as never)).toThrow(/options must be a plain object/);
    expect(() => createGuard(defaultCatalogue, Object.assign(Object.create({ recorder }), { mode: 'enforce' }))).toThrow(/options must be a plain object/);
    expect(() => createGuard(defaultCatalogue, null as never)).toThrow(TypeError);
    const recorded: unknown[] = [];
    createGuard(defaultCatalogue, Object.assign(Object.create(null), { recorder: { record: (d: unknown) => void recorded.push(d) } })).checkUse('customer', 'billing');
    expect(recorded).toHaveLength(1);
  });
});

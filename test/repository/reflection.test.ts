import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { guardRepository, runWithPurpose } from '../../src/node.js';

const guard = createGuard(defaultCatalogue);
const spec = { cardOf: { subject: 'customer', operation: 'read', dataCategories: ['payment'] } } as const;

class CustomerRepo {
  readonly calls: string[] = [];
  readonly db = { label: 'handle' };
  async cardOf(id: string): Promise<{ id: string; cardLast4: string }> {
    this.calls.push('cardOf');
    return { id, cardLast4: '4242' };
  }
}

describe('the wrapper never hands out the repository through reflection', () => {
  test('valueOf() answers the wrapper, not the repository; the other Object.prototype methods still work', async () => {
    const raw = new CustomerRepo();
    const repo = guardRepository(raw, spec, { guard });
    expect(repo.valueOf()).toBe(repo);
    expect(repo.valueOf()).not.toBe(raw);
    await expect((repo.valueOf() as CustomerRepo).cardOf('c-1')).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    expect(raw.calls).toEqual([]);
    // biome-ignore lint/suspicious/noPrototypeBuiltins: the inherited method itself, called through the proxy, is what is tested
    expect(repo.hasOwnProperty('calls')).toBe(true);
    // biome-ignore lint/suspicious/noPrototypeBuiltins: as above
    expect(repo.propertyIsEnumerable('calls')).toBe(true);
    expect(repo.toString()).toBe('[object Object]');
    expect(repo.toLocaleString()).toBe('[object Object]');
  });

  test('property descriptors report the guarded methods: a copy made from them is guarded too', async () => {
    const calls: string[] = [];
    const repo = guardRepository({ async cardOf(id: string) { calls.push(id); return { id, cardLast4: '4242' }; } }, spec, { guard });
    expect(Object.getOwnPropertyDescriptor(repo, 'cardOf')?.value).toBe(repo.cardOf);
    const service = Object.defineProperties({}, Object.getOwnPropertyDescriptors(repo)) as typeof repo;
    await expect(service.cardOf('c-1')).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => service.cardOf('c-1'))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(runWithPurpose({ purpose: 'billing' }, () => service.cardOf('c-1'))).resolves.toEqual({ id: 'c-1', cardLast4: '4242' });
    expect(calls).toEqual(['c-1']);
  });

  test('a frozen repository: its non-configurable methods are reported guarded too', () => {
    const raw = Object.freeze({ label: 'frozen', cardOf(id: string) { return { id }; } });
    const repo = guardRepository(raw, spec, { guard });
    const descriptor = Object.getOwnPropertyDescriptor(repo, 'cardOf');
    expect(descriptor?.value).toBe(repo.cardOf);
    expect(descriptor?.value).not.toBe(raw.cardOf);
    expect(descriptor).toMatchObject({ writable: false, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(repo, 'label')).toMatchObject({ value: 'frozen', writable: false });
  });

  test('non-function properties are handed out as they are (a db handle is the repository\'s own)', () => {
    const raw = new CustomerRepo();
    const repo = guardRepository(raw, spec, { guard });
    expect(repo.db).toBe(raw.db);
    expect(Object.getOwnPropertyDescriptor(repo, 'db')?.value).toBe(raw.db);
  });
});

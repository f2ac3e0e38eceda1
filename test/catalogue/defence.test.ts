import { describe, expect, test, vi } from 'vitest';

// A check that fails in a way nobody planned for (here, `ancestorsOf` throwing on one id, as a stack overflow
// once did on a long compatibleWith chain) must still come out as a CatalogueError, never as a foreign exception.
vi.mock('../../src/ids/ids.js', async (importOriginal) => {
  const ids = await importOriginal<typeof import('../../src/ids/ids.js')>();
  return {
    ...ids,
    ancestorsOf: (id: string): string[] => {
      if (id === 'boom') throw new RangeError('Maximum call stack size exceeded');
      return ids.ancestorsOf(id);
    },
  };
});

const { parseCatalogue, safeParseCatalogue } = await import('../../src/catalogue/parse.js');
const { CatalogueError } = await import('../../src/catalogue/error.js');

const spec = {
  version: '1',
  controller: { name: 'X' },
  dataCategories: {},
  purposes: { boom: { title: 'Boom', basis: 'contract' } },
  subjects: { customer: { title: 'C', purposes: { boom: 'x' } } },
};

describe('defence in depth', () => {
  test('safeParseCatalogue turns an unexpected exception into an issue with a literal code', () => {
    const result = safeParseCatalogue(spec);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([{ code: 'invalid_value', path: [], message: 'could not be validated: Maximum call stack size exceeded' }]);
  });

  test('parseCatalogue throws CatalogueError for it, nothing else', () => {
    expect(() => parseCatalogue(spec)).toThrow(CatalogueError);
  });
});

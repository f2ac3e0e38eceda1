import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileCatalogue, outcomeOf } from '../../src/compile/compile.js';
import {
  type Catalogue,
  CatalogueError,
  type CatalogueIssue,
  createGuard,
  defaultCatalogue,
  defineCatalogue,
  parseCatalogue,
  renderPrivacyNotice,
  safeParseCatalogue,
} from '../../src/index.js';

const base = () => ({
  version: '2026-11-24',
  controller: { name: 'Example Co., Ltd.' },
  dataCategories: { health: { title: 'Health information', specialCare: true }, contact: { title: 'Contact' } },
  purposes: {
    billing: { title: 'Billing', basis: 'contract' },
    marketing: { title: 'Marketing' },
    'marketing.analytics': { title: 'Marketing analysis', basis: 'legitimate_interests' },
  } as Record<string, Record<string, unknown>>,
  subjects: {
    customer: { title: 'Customers', purposes: { billing: 'To bill the charge for the use of our services' }, prohibited: [] as string[] },
  } as Record<string, Record<string, unknown>>,
});

function issuesOf(input: unknown): readonly CatalogueIssue[] {
  try {
    parseCatalogue(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return (error as CatalogueError).issues;
  }
  throw new Error('expected parseCatalogue to throw');
}

describe('parseCatalogue', () => {
  test("accepts the issue's example and freezes it", () => {
    const c = parseCatalogue(base());
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.purposes['marketing.analytics'])).toBe(true);
  });

  test('does not share structure with its input', () => {
    const input = base();
    const c = parseCatalogue(input);
    input.purposes['billing'] = { title: 'changed' };
    expect(c.purposes['billing']?.title).toBe('Billing');
  });

  test('an unknown purpose referenced by a subject', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: { shipping: 'x' } };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['subjects', 'customer', 'purposes', 'shipping'] }));
  });

  test('an unknown purpose in prohibited and in compatibleWith', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: {}, prohibited: ['ads'] };
    c.purposes['billing'] = { title: 'B', compatibleWith: ['collections'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['subjects', 'customer', 'prohibited', 0] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_purpose', path: ['purposes', 'billing', 'compatibleWith', 0] }));
  });

  test('an undeclared parent', () => {
    const c = base();
    c.purposes['recruitment.communication'] = { title: 'R' };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'undeclared_parent', path: ['purposes', 'recruitment.communication'] }));
  });

  test.each(['Billing', 'billing..x', '.billing', 'billing.', 'bill ing', 'bill_ing', 'billing/x', '__proto__', 'ｂｉｌｌｉｎｇ', ''])('a bad purpose id %j', (id) => {
    const c = base();
    // defineProperty, so that "__proto__" is an own key as JSON.parse makes it
    Object.defineProperty(c.purposes, id, { value: { title: 'x' }, enumerable: true });
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: ['purposes', id] }));
  });

  test('a bad subject id', () => {
    const c = base();
    c.subjects['Customer'] = { title: 'x', purposes: {} };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: ['subjects', 'Customer'] }));
  });

  test('duplicates in lists', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: {}, prohibited: ['marketing', 'marketing'] };
    c.purposes['billing'] = { title: 'B', dataCategories: ['contact', 'contact'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'duplicate', path: ['subjects', 'customer', 'prohibited', 1] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'duplicate', path: ['purposes', 'billing', 'dataCategories', 1] }));
  });

  test('a compatibility cycle', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', compatibleWith: ['marketing'] };
    c.purposes['marketing'] = { title: 'M', compatibleWith: ['billing'] };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'cycle' }));
  });

  test('a purpose both permitted and prohibited', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: { 'marketing.analytics': 'x' }, prohibited: ['marketing'] };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'conflict', path: ['subjects', 'customer', 'prohibited', 0] }));
  });

  test('unknown fields, at any depth', () => {
    const c = base() as Record<string, unknown>;
    c['purpose'] = {};
    (c['purposes'] as Record<string, Record<string, unknown>>)['billing'] = { title: 'B', requireConsent: true };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_field', path: ['purpose'] }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_field', path: ['purposes', 'billing', 'requireConsent'] }));
  });

  test('an unknown data category and an unknown legal basis', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', basis: 'because', dataCategories: ['credit-card'] };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_data_category', path: ['purposes', 'billing', 'dataCategories', 0] }));
    expect(issues).toContainEqual(expect.objectContaining({ path: ['purposes', 'billing', 'basis'] }));
  });

  test('a bad time zone and a bad retention', () => {
    const c = { ...base(), timeZone: 'Mars/Olympus' };
    c.subjects['customer'] = { title: 'C', purposes: {}, retention: { duration: { years: -1 } } };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ path: ['timeZone'] }));
    expect(issues).toContainEqual(expect.objectContaining({ path: ['subjects', 'customer', 'retention', 'duration', 'years'] }));
  });

  test('every problem is listed at once, and the message names each path', () => {
    const c = base();
    c.purposes['a.b'] = { title: 'x' };
    c.subjects['customer'] = { title: 'C', purposes: { nope: 'x' } };
    const issues = issuesOf(c);
    expect(issues.length).toBeGreaterThanOrEqual(2);
    try {
      parseCatalogue(c);
    } catch (error) {
      expect((error as Error).message).toContain('purposes["a.b"]');
      expect((error as Error).message).toContain('subjects.customer.purposes.nope');
    }
  });

  test.each([null, undefined, 42, 'catalogue', [], new Proxy({}, { ownKeys: () => { throw new Error('trap'); } })])('non-catalogue input %#', (input) => {
    expect(() => parseCatalogue(input)).toThrow(CatalogueError);
  });
});

describe('safeParseCatalogue', () => {
  test('returns the catalogue or the error, never throws', () => {
    const ok = safeParseCatalogue(base());
    expect(ok.success).toBe(true);
    const bad = safeParseCatalogue({ version: 1 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues.length).toBeGreaterThan(0);
  });
});

describe('defineCatalogue', () => {
  test('validates like parseCatalogue', () => {
    expect(() =>
      defineCatalogue({
        version: '1',
        controller: { name: 'x' },
        dataCategories: {},
        purposes: { 'a.b': { title: 'x' } },
        subjects: {},
      }),
    ).toThrow(CatalogueError);
  });

  test('the catalogue drives a guard', () => {
    const catalogue = defineCatalogue({
      version: '1',
      controller: { name: 'x' },
      dataCategories: {},
      purposes: { billing: { title: 'Billing', basis: 'contract' }, 'billing-export': { title: 'Export', basis: 'contract' } },
      subjects: { user: { title: 'Users', purposes: { billing: 'Bill' } } },
    });
    const guard = createGuard(catalogue);
    expect(guard.checkUse('user', 'billing').allowed).toBe(true);
    expect(guard.checkUse('user', 'billing-export' as string).reason).toBe('purpose_not_permitted');
  });
});

/** A catalogue over a fixed purpose tree, for the agreement properties below. */
const TREE = ['a', 'a.b', 'a.b.c', 'a.d', 'e', 'e.f'] as const;
const treeSpec = (extra: { compat?: Record<string, string[]>; grants?: readonly string[]; prohibited?: readonly string[] } = {}) => ({
  version: '1',
  controller: { name: 'X' },
  dataCategories: {},
  purposes: Object.fromEntries(TREE.map((id) => [id, { title: `Purpose ${id}`, ...(extra.compat?.[id] === undefined ? {} : { compatibleWith: extra.compat[id] }) }])),
  subjects: { s: { title: 'S', purposes: Object.fromEntries((extra.grants ?? []).map((g) => [g, `Text for ${g}`])), prohibited: [...(extra.prohibited ?? [])] } },
});
/** Compiles a spec without validating it, to read what the guard would do with it. */
const compiledUnchecked = (spec: object) => compileCatalogue(spec as Catalogue);

describe('finding 1: no recursion on input size, and nothing but CatalogueError escapes', () => {
  const chain = (n: number, closed: boolean) => {
    const purposes: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < n; i++) {
      const next = i + 1 < n ? `p${i + 1}` : closed ? 'p0' : undefined;
      purposes[`p${i}`] = { title: `P${i}`, basis: 'contract', ...(next === undefined ? {} : { compatibleWith: [next] }) };
    }
    return { version: '1', controller: { name: 'X' }, dataCategories: {}, purposes, subjects: { customer: { title: 'C', purposes: { p0: 'x' } } } };
  };

  test('a compatibleWith chain of 10,000 purposes is accepted (it overflowed the stack)', () => {
    const spec = chain(10_000, false);
    const result = safeParseCatalogue(spec);
    expect(result.success).toBe(true);
    expect(() => parseCatalogue(spec)).not.toThrow();
  });

  test('a compatibleWith cycle of 10,000 purposes is one cycle issue, its message shortened', () => {
    const issues = issuesOf(chain(10_000, true));
    expect(issues).toEqual([expect.objectContaining({ code: 'cycle', path: ['purposes', 'p9999', 'compatibleWith', 0] })]);
    expect(issues[0]?.message).toContain('p9999 -> p0 -> p1');
    expect(issues[0]?.message.length).toBeLessThan(1000);
  });

  test('a hierarchy 2,000 levels deep is checked without recursion', () => {
    const purposes: Record<string, Record<string, unknown>> = {};
    let id = 'x';
    for (let i = 0; i < 2000; i++) {
      purposes[id] = { title: 'T', compatibleWith: i === 1999 ? ['x'] : [] };
      id = `${id}.x`;
    }
    const issues = issuesOf({ version: '1', controller: { name: 'X' }, dataCategories: {}, purposes, subjects: {} });
    expect(issues).toEqual([expect.objectContaining({ code: 'cycle' })]);
  });
});

describe('finding 2: a grant the guard denies because of a prohibition is a conflict', () => {
  test('granting a parent of a prohibited purpose is refused, and the message says what to grant instead', () => {
    const spec = {
      version: '1',
      controller: { name: 'X' },
      dataCategories: { contact: { title: 'Contact' } },
      purposes: {
        newsletter: { title: 'Newsletter', basis: 'legitimate_interests', dataCategories: ['contact'] },
        'newsletter.tracking': { title: 'Open tracking' },
        'newsletter.digest': { title: 'Digest' },
      },
      subjects: { customer: { title: 'Customers', purposes: { newsletter: 'To send our newsletter' }, prohibited: ['newsletter.tracking'] } },
    };
    const issues = issuesOf(spec);
    expect(issues).toEqual([expect.objectContaining({ code: 'conflict', path: ['subjects', 'customer', 'prohibited', 0] })]);
    expect(issues[0]?.message).toContain('denies "newsletter"');
    expect(issues[0]?.message).toContain('grant its other sub-purposes instead ("newsletter.digest")');
    // What the guard does with it, which is why it is refused.
    const compiled = compiledUnchecked(spec);
    expect(outcomeOf(compiled.subjects.get('customer')!, compiled.purposes.get('newsletter')!).deny?.reason).toBe('purpose_prohibited');
  });

  test('the sub-purposes offered instead skip the prohibited branch and stop at the highest free purpose', () => {
    const issues = issuesOf(treeSpec({ grants: ['a'], prohibited: ['a.b.c'] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('("a.d")');
    const none = issuesOf(treeSpec({ grants: ['e'], prohibited: ['e.f'] }));
    expect(none[0]?.message).toContain('declare and grant the sub-purposes of "e" you need other than "e.f"');
  });

  test('granting the sibling of a prohibited purpose is valid', () => {
    expect(safeParseCatalogue(treeSpec({ grants: ['a.d', 'a.b.c'], prohibited: ['e'] })).success).toBe(true);
    expect(safeParseCatalogue(treeSpec({ grants: ['a.d'], prohibited: ['a.b'] })).success).toBe(true);
  });

  test('validation refuses exactly the grants the guard denies for a prohibition', () => {
    fc.assert(
      fc.property(fc.subarray([...TREE]), fc.subarray([...TREE], { maxLength: 2 }), (grants, prohibited) => {
        const spec = treeSpec({ grants, prohibited });
        const compiled = compiledUnchecked(spec);
        const subject = compiled.subjects.get('s')!;
        const voided = grants.filter((g) => outcomeOf(subject, compiled.purposes.get(g)!).deny?.reason === 'purpose_prohibited');
        const result = safeParseCatalogue(spec);
        expect(result.success).toBe(voided.length === 0);
        expect((result.error?.issues ?? []).every((i) => i.code === 'conflict')).toBe(true);
      }),
      { numRuns: 500, seed: 2 },
    );
  });
});

describe('finding 3: compatibility cycles are those of the relation the guard applies', () => {
  test('a cycle through a target\'s sub-purpose is refused (billing -> marketing covers marketing.analytics -> billing)', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', basis: 'contract', compatibleWith: ['marketing'] };
    c.purposes['marketing.analytics'] = { title: 'A', compatibleWith: ['billing'] };
    const issues = issuesOf(c);
    expect(issues).toEqual([expect.objectContaining({ code: 'cycle', path: ['purposes', 'marketing.analytics', 'compatibleWith', 0] })]);
    expect(issues[0]?.message).toContain('"billing" lists "marketing", which covers its sub-purpose "marketing.analytics"');
  });

  test('a purpose listing its own ancestor is a cycle with the hierarchy; listing a descendant is not', () => {
    const up = base();
    up.purposes['marketing.analytics'] = { title: 'A', compatibleWith: ['marketing'] };
    expect(issuesOf(up)).toEqual([expect.objectContaining({ code: 'cycle', path: ['purposes', 'marketing.analytics', 'compatibleWith', 0] })]);
    const down = base();
    down.purposes['marketing'] = { title: 'M', compatibleWith: ['marketing.analytics'] };
    expect(safeParseCatalogue(down).success).toBe(true);
  });

  test('a target below a purpose that lists the source back is not a cycle (marketing.analytics does not serve marketing)', () => {
    const c = base();
    c.purposes['billing'] = { title: 'B', basis: 'contract', compatibleWith: ['marketing.analytics'] };
    c.purposes['marketing'] = { title: 'M', compatibleWith: ['billing'] };
    expect(safeParseCatalogue(c).success).toBe(true);
  });

  test('refused iff the guard\'s furtherSources make two purposes interchangeable, directly or through others', () => {
    const others = (id: string) => TREE.filter((q) => q !== id);
    const compatArb = fc.record(Object.fromEntries(TREE.map((id) => [id, fc.subarray(others(id), { maxLength: 2 })])) as Record<string, fc.Arbitrary<string[]>>);
    fc.assert(
      fc.property(compatArb, (compat) => {
        const spec = treeSpec({ compat });
        // The guard's relation: data collected for `s` may serve `p` iff s is in p's furtherSources. A cycle of it, of two or more purposes.
        const purposes = compiledUnchecked(spec).purposes;
        const reach = new Map(TREE.map((s) => [s, new Set(TREE.filter((p) => p !== s && purposes.get(p)!.furtherSources.has(s)))]));
        for (const k of TREE) for (const i of TREE) if (reach.get(i)!.has(k)) for (const j of reach.get(k)!) reach.get(i)!.add(j);
        const cyclic = TREE.some((s) => reach.get(s)!.has(s));
        const result = safeParseCatalogue(spec);
        expect(result.success, JSON.stringify(compat)).toBe(!cyclic);
        expect((result.error?.issues ?? []).every((i) => i.code === 'cycle' && i.path[0] === 'purposes' && i.path[2] === 'compatibleWith')).toBe(true);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});

describe('finding 4: one-line text holds no line break, and no text is blank', () => {
  const BREAKS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f'];
  type Loose = Record<string, unknown> & { purposes: Record<string, unknown>; subjects: Record<string, unknown> };
  const FIELDS: readonly [string, (c: Loose, v: string) => void, (string | number)[]][] = [
    ['version', (c, v) => { c['version'] = v; }, ['version']],
    ['controller name', (c, v) => { c['controller'] = { name: v }; }, ['controller', 'name']],
    ['notice heading', (c, v) => { c['notice'] = { heading: v }; }, ['notice', 'heading']],
    ['notice intro', (c, v) => { c['notice'] = { intro: v }; }, ['notice', 'intro']],
    ['purpose title', (c, v) => { c.purposes['billing'] = { title: v }; }, ['purposes', 'billing', 'title']],
    ['data category title', (c, v) => { c['dataCategories'] = { contact: { title: v } }; }, ['dataCategories', 'contact', 'title']],
    ['subject title', (c, v) => { c.subjects['customer'] = { title: v, purposes: {} }; }, ['subjects', 'customer', 'title']],
    ['notice heading of a subject', (c, v) => { c.subjects['customer'] = { title: 'C', noticeHeading: v, purposes: {} }; }, ['subjects', 'customer', 'noticeHeading']],
    ['purpose text', (c, v) => { c.subjects['customer'] = { title: 'C', purposes: { billing: v } }; }, ['subjects', 'customer', 'purposes', 'billing']],
    ['purpose note', (c, v) => { c.subjects['customer'] = { title: 'C', purposes: { billing: { text: v, style: 'note' } } }; }, ['subjects', 'customer', 'purposes', 'billing', 'text']],
  ];

  test.each(FIELDS)('a line break in the %s is refused', (_, plant, path) => {
    for (const brk of BREAKS) {
      const c = base() as Loose;
      plant(c, `To bill${brk}(2) Personal information on employees`);
      const issues = issuesOf(c);
      expect(issues, JSON.stringify(brk)).toEqual([expect.objectContaining({ code: 'invalid_value', path })]);
      expect(issues[0]?.message).toContain('must be one line');
    }
  });

  test.each(FIELDS)('a blank %s is refused', (_, plant, path) => {
    for (const blank of ['', ' ', '\t \t', '\u3000', '\u00a0', '\u200b', '\ufeff']) {
      const c = base() as Loose;
      plant(c, blank);
      expect(issuesOf(c), JSON.stringify(blank)).toContainEqual(expect.objectContaining({ code: 'invalid_value', path }));
    }
  });

  test('a description may span lines, but not be blank', () => {
    const c = base();
    c.purposes['billing'] = { title: 'Billing', description: 'First line.\nSecond line.' };
    expect(safeParseCatalogue(c).success).toBe(true);
    c.purposes['billing'] = { title: 'Billing', description: ' \n ' };
    expect(issuesOf(c)).toEqual([expect.objectContaining({ code: 'invalid_value', path: ['purposes', 'billing', 'description'] })]);
  });

  test('a control character in one-line text is refused (a tab is not)', () => {
    const c = base();
    c.purposes['billing'] = { title: 'Billing\u001b[2J' };
    expect(issuesOf(c)).toEqual([expect.objectContaining({ code: 'invalid_value', path: ['purposes', 'billing', 'title'] })]);
    c.purposes['billing'] = { title: 'Billing\tand invoices' };
    expect(safeParseCatalogue(c).success).toBe(true);
  });

  test('the default catalogue, as JSON, still passes and still renders the seed notice', () => {
    const copy = JSON.parse(JSON.stringify(defaultCatalogue));
    const result = safeParseCatalogue(copy);
    expect(result.success).toBe(true);
    if (result.success) expect(renderPrivacyNotice(result.catalogue)).toBe(renderPrivacyNotice(defaultCatalogue));
  });
});

describe('finding 5: ids that JavaScript would move to the front are refused', () => {
  test.each([
    ['subjects', '2024'],
    ['purposes', '10'],
    ['dataCategories', '0'],
    ['purposes', '4294967294'],
  ])('%s.%s', (where, id) => {
    const c = base() as unknown as Record<string, Record<string, unknown>>;
    c[where] = { ...c[where], [id]: where === 'subjects' ? { title: 'T', purposes: {} } : { title: 'T' } };
    const issues = issuesOf(c);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: [where, id] }));
    expect(issues.find((i) => i.code === 'invalid_id')?.message).toContain('catalogue order');
  });

  test('a number in a list of ids is refused as an id too', () => {
    const c = base();
    c.subjects['customer'] = { title: 'C', purposes: {}, prohibited: ['10'] };
    expect(issuesOf(c)).toContainEqual(expect.objectContaining({ code: 'invalid_id', path: ['subjects', 'customer', 'prohibited', 0] }));
  });

  test('ids that keep their place are accepted, and the notice follows catalogue order', () => {
    const c = base();
    c.subjects = { second: { title: 'Second', purposes: {} }, '007': { title: 'Agents', purposes: {} }, '4294967295': { title: 'Big', purposes: {} }, 'y2024': { title: 'Year', purposes: {} } };
    const catalogue = parseCatalogue(c);
    expect(renderPrivacyNotice(catalogue).split('\n').slice(2)).toEqual([
      '(1) Personal information on Second',
      '(2) Personal information on Agents',
      '(3) Personal information on Big',
      '(4) Personal information on Year',
    ]);
  });
});

describe('finding 6: a time zone is one canonical IANA name, spelled exactly', () => {
  test.each(['utc', 'America/new_york', 'asia/tokyo', 'JST', 'EST', 'US/Pacific', 'Japan', 'GMT', 'Europe/Uzhgorod', 'Etc/GMT+13', '+09:00', 'local', ''])('%j is refused', (zone) => {
    expect(issuesOf({ ...base(), timeZone: zone })).toEqual([expect.objectContaining({ code: 'invalid_value', path: ['timeZone'] })]);
  });

  test('the message names the spelling to use when the runtime knows the zone', () => {
    expect(issuesOf({ ...base(), timeZone: 'America/new_york' })[0]?.message).toContain('"America/New_York"');
    expect(issuesOf({ ...base(), timeZone: 'utc' })[0]?.message).toContain('"UTC"');
    // ICU still resolves a merged zone to its old name; the hint gives the current one.
    expect(issuesOf({ ...base(), timeZone: 'Europe/Uzhgorod' })[0]?.message).toContain('"Europe/Kyiv"');
  });

  test.each(['UTC', 'Etc/UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'Etc/GMT', 'Etc/GMT+9', 'Etc/GMT-14'])('%j is accepted', (zone) => {
    expect(safeParseCatalogue({ ...base(), timeZone: zone }).success).toBe(true);
  });
});

import type { z } from 'zod';
import { ancestorsOf, isSelfOrDescendant } from '../ids/ids.js';
import { CatalogueError } from './error.js';
import { catalogueSchema } from './schema.js';
import type { Catalogue, CatalogueIssue, CatalogueRefs, CatalogueIssueCode, CatalogueSpec, SafeParseCatalogueResult } from './types.js';

type Path = (string | number)[];

/**
 * Validates untyped input (parsed JSON, a config file) as a catalogue without throwing.
 *
 * @example
 * const result = safeParseCatalogue(JSON.parse(text));
 * if (!result.success) console.error(result.error.issues);
 * else createGuard(result.catalogue);
 */
export function safeParseCatalogue(input: unknown): SafeParseCatalogueResult {
  let parsed: z.ZodSafeParseResult<z.output<typeof catalogueSchema>>;
  try {
    parsed = catalogueSchema.safeParse(input);
  } catch (error) {
    // A Proxy or a throwing getter in the document: report it, never let it escape as a foreign error.
    return failure([{ code: 'invalid_type', path: [], message: `could not be read: ${describeError(error)}` }]);
  }
  const protoKeys = ownProtoKeys(input);
  if (!parsed.success || protoKeys.length > 0) {
    if (parsed.success) return failure(protoKeys);
    // Cross-references are checked too, so one run reports every problem; on a malformed document they are best effort.
    let zodIssues: CatalogueIssue[];
    try {
      zodIssues = parsed.error.issues.flatMap((issue) => fromZodIssue(issue, []));
    } catch (error) {
      // zod writes its messages lazily, on first read of `issues`, and reads the offending value to do so: a hostile Proxy throws there.
      zodIssues = [{ code: 'invalid_type', path: [], message: `could not be read: ${describeError(error)}` }];
    }
    return failure([...zodIssues, ...protoKeys, ...bestEffortCrossCheck(input)]);
  }
  const issues = crossCheck(parsed.data as CatalogueSpec);
  if (issues.length > 0) return failure(issues);
  return { success: true, catalogue: deepFreeze(parsed.data) as Catalogue };
}

/**
 * Validates untyped input as a catalogue, throwing `CatalogueError` listing every problem.
 *
 * @example
 * const catalogue = parseCatalogue(JSON.parse(readFileSync('catalogue.json', 'utf8')));
 */
export function parseCatalogue(input: unknown): Catalogue {
  const result = safeParseCatalogue(input);
  if (!result.success) throw result.error;
  return result.catalogue;
}

/**
 * Validates a catalogue written in code and keeps its literal ids in the type,
 * so guards built from it reject undeclared purposes at compile time. No `as const` needed.
 *
 * @example
 * const catalogue = defineCatalogue({
 *   version: '1',
 *   controller: { name: 'Example Co., Ltd.' },
 *   dataCategories: { contact: { title: 'Contact details' } },
 *   purposes: { billing: { title: 'Billing', basis: 'contract', dataCategories: ['contact'] } },
 *   subjects: { customer: { title: 'Customers', purposes: { billing: 'To bill the charge' } } },
 * });
 */
export function defineCatalogue<const C extends CatalogueSpec>(spec: C & CatalogueRefs<C>): Catalogue<C> {
  return parseCatalogue(spec) as Catalogue<C>;
}

function failure(issues: CatalogueIssue[]): SafeParseCatalogueResult {
  return { success: false, error: new CatalogueError(issues) };
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unreadable error';
  }
}

function fromZodIssue(issue: z.core.$ZodIssue, prefix: Path): CatalogueIssue[] {
  const path: Path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ code: 'unknown_field', path: [...path, key], message: `unknown field "${key}"` }));
    case 'invalid_key':
      return issue.issues.flatMap((inner) => fromZodIssue(inner, path)).map((i) => ({ ...i, code: 'invalid_id' as const, message: `invalid id: ${i.message}` }));
    case 'invalid_element':
      return issue.issues.flatMap((inner) => fromZodIssue(inner, path));
    case 'invalid_format':
      return [{ code: 'invalid_id', path, message: issue.message }];
    case 'invalid_type':
    case 'invalid_union':
      return [{ code: 'invalid_type', path, message: issue.message }];
    default:
      return [{ code: 'invalid_value', path, message: issue.message }];
  }
}

function issue(code: CatalogueIssueCode, path: Path, message: string): CatalogueIssue {
  return { code, path, message };
}

/** Cross-reference checks zod cannot express per field. */
function crossCheck(spec: CatalogueSpec): CatalogueIssue[] {
  const out: CatalogueIssue[] = [];
  const purposes = new Set(Object.keys(spec.purposes));
  const categories = new Set(Object.keys(spec.dataCategories));

  for (const [id, purpose] of Object.entries(spec.purposes)) {
    const parent = ancestorsOf(id)[0];
    if (parent !== undefined && !purposes.has(parent)) {
      out.push(issue('undeclared_parent', ['purposes', id], `parent purpose "${parent}" of "${id}" is not declared`));
    }
    checkList(out, purpose.dataCategories, ['purposes', id, 'dataCategories'], categories, 'unknown_data_category', 'data category');
    checkList(out, purpose.compatibleWith, ['purposes', id, 'compatibleWith'], purposes, 'unknown_purpose', 'purpose');
  }
  out.push(...compatibilityCycles(spec));

  for (const [sid, subject] of Object.entries(spec.subjects)) {
    for (const pid of Object.keys(subject.purposes)) {
      if (!purposes.has(pid)) out.push(issue('unknown_purpose', ['subjects', sid, 'purposes', pid], `purpose "${pid}" is not declared in purposes`));
    }
    const prohibited = subject.prohibited ?? [];
    checkList(out, prohibited, ['subjects', sid, 'prohibited'], purposes, 'unknown_purpose', 'purpose');
    prohibited.forEach((x, i) => {
      for (const pid of Object.keys(subject.purposes)) {
        if (isSelfOrDescendant(pid, x)) {
          out.push(
            issue('conflict', ['subjects', sid, 'prohibited', i], `"${x}" is prohibited, so permitting "${pid}" has no effect; remove one of them`),
          );
        }
      }
    });
  }
  return out;
}

/**
 * zod's records silently drop an own `__proto__` key (as `JSON.parse` makes
 * it), which would make a catalogue entry vanish without a word. Find them first.
 */
function ownProtoKeys(input: unknown, path: Path = [], depth = 0): CatalogueIssue[] {
  if (typeof input !== 'object' || input === null || depth > 6) return [];
  const out: CatalogueIssue[] = [];
  try {
    for (const key of Object.keys(input)) {
      const here = [...path, Array.isArray(input) ? Number(key) : key];
      if (key === '__proto__') out.push(issue('invalid_id', here, 'invalid id: "__proto__" is not allowed'));
      else out.push(...ownProtoKeys((input as Record<string, unknown>)[key], here, depth + 1));
    }
  } catch {
    // unreadable parts are reported by the schema
  }
  return out;
}

function bestEffortCrossCheck(input: unknown): CatalogueIssue[] {
  try {
    const spec = input as Partial<Record<keyof CatalogueSpec, unknown>>;
    const isRecord = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isRecord(spec) || !isRecord(spec.purposes) || !isRecord(spec.subjects) || !isRecord(spec.dataCategories)) return [];
    return crossCheck(spec as CatalogueSpec);
  } catch {
    return [];
  }
}

function checkList(
  out: CatalogueIssue[],
  list: readonly string[] | undefined,
  path: Path,
  known: ReadonlySet<string>,
  code: CatalogueIssueCode,
  what: string,
): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((id, i) => {
    if (!known.has(id)) out.push(issue(code, [...path, i], `${what} "${id}" is not declared`));
    if (seen.has(id)) out.push(issue('duplicate', [...path, i], `${what} "${id}" is listed twice`));
    seen.add(id);
  });
}

/**
 * Compatibility is assessed one way, from the original purpose to the new one
 * (GDPR Art. 6(4)); a cycle would make purposes interchangeable, which is a
 * hierarchy or a merge in disguise, so it is rejected.
 */
function compatibilityCycles(spec: CatalogueSpec): CatalogueIssue[] {
  const out: CatalogueIssue[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    const next = Object.hasOwn(spec.purposes, id) ? (spec.purposes[id]?.compatibleWith ?? []) : [];
    for (const target of next) {
      const s = state.get(target);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        out.push(issue('cycle', ['purposes', id, 'compatibleWith'], `compatibility cycle: ${cycle.join(' -> ')}`));
      } else if (s === undefined && Object.hasOwn(spec.purposes, target)) visit(target);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of Object.keys(spec.purposes)) if (!state.has(id)) visit(id);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

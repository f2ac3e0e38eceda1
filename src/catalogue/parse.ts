import type { z } from 'zod';
import { ancestorsOf } from '../ids/ids.js';
import { CatalogueError } from './error.js';
import { catalogueSchema, type IssueParams } from './schema.js';
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
  try {
    return validate(input);
  } catch (error) {
    // Defence in depth: whatever a check meets (an exhausted stack, a bug), it is an issue, never a foreign exception.
    return failure([{ code: 'invalid_value', path: [], message: `could not be validated: ${describeError(error)}` }]);
  }
}

function validate(input: unknown): SafeParseCatalogueResult {
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
    case 'custom':
      return [{ code: (issue.params as IssueParams | undefined)?.catalogueCode ?? 'invalid_value', path, message: issue.message }];
    default:
      return [{ code: 'invalid_value', path, message: issue.message }];
  }
}

function issue(code: CatalogueIssueCode, path: Path, message: string): CatalogueIssue {
  return { code, path, message };
}

/** Cross-reference checks zod cannot express per field. Nothing here recurses: a catalogue of any size or depth is checked in loops. */
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

  const hierarchy = new Hierarchy(Object.keys(spec.purposes));
  for (const [sid, subject] of Object.entries(spec.subjects)) {
    const grants = Object.keys(subject.purposes);
    for (const pid of grants) {
      if (!purposes.has(pid)) out.push(issue('unknown_purpose', ['subjects', sid, 'purposes', pid], `purpose "${pid}" is not declared in purposes`));
    }
    const prohibited = subject.prohibited ?? [];
    checkList(out, prohibited, ['subjects', sid, 'prohibited'], purposes, 'unknown_purpose', 'purpose');
    out.push(...conflicts(sid, grants, prohibited, hierarchy));
  }
  return out;
}

/**
 * A grant the guard denies whatever the context says. A prohibition denies the purpose, its descendants and its
 * ancestors (`buildOutcome` in compile.ts), so a grant of any of them has no effect; validation says so rather
 * than publish in the notice a purpose the guard never allows.
 */
function conflicts(sid: string, grants: readonly string[], prohibited: readonly unknown[], hierarchy: Hierarchy): CatalogueIssue[] {
  if (!Array.isArray(prohibited) || prohibited.length === 0) return [];
  // Prohibited id -> its first index; a strict ancestor of a prohibited id -> the indexes of those below it.
  const at = new Map<string, number>();
  const above = new Map<string, number[]>();
  prohibited.forEach((x, i) => {
    if (typeof x !== 'string' || at.has(x)) return;
    at.set(x, i);
    for (const a of ancestorsOf(x)) {
      const list = above.get(a);
      if (list === undefined) above.set(a, [i]);
      else list.push(i);
    }
  });
  const found: { readonly i: number; readonly issue: CatalogueIssue }[] = [];
  const path = (i: number): Path => ['subjects', sid, 'prohibited', i];
  for (const g of grants) {
    const self = at.get(g);
    if (self !== undefined) {
      found.push({ i: self, issue: issue('conflict', path(self), `"${g}" is both granted and prohibited; the prohibition wins, so the grant has no effect: remove one of them`) });
    }
    let coveredFromAbove = self !== undefined;
    for (const a of ancestorsOf(g)) {
      const i = at.get(a);
      if (i !== undefined) {
        coveredFromAbove = true;
        found.push({
          i,
          issue: issue('conflict', path(i), `"${a}" is prohibited, which denies its sub-purpose "${g}" too, so granting "${g}" has no effect: remove one of them`),
        });
      }
    }
    const below = above.get(g);
    if (below === undefined) continue;
    const instead = coveredFromAbove ? { ids: [], more: false } : hierarchy.permittedBelow(g, at, above);
    for (const i of below) {
      const x = prohibited[i] as string;
      const advice = coveredFromAbove
        ? 'remove one of them'
        : instead.ids.length === 0
          ? `declare and grant the sub-purposes of "${g}" you need other than "${x}", or remove one of them`
          : `grant its other sub-purposes instead (${instead.ids.map((q) => `"${q}"`).join(', ')}${instead.more ? ', ...' : ''}), or remove one of them`;
      found.push({
        i,
        issue: issue(
          'conflict',
          path(i),
          `"${x}" is prohibited, and a prohibition also denies the purposes above it, so the guard denies "${g}" and granting it has no effect; ${advice}`,
        ),
      });
    }
  }
  return found.sort((a, b) => a.i - b.i).map((f) => f.issue);
}

/** The declared purposes as a tree: each purpose's children are the purposes whose nearest declared ancestor it is. */
class Hierarchy {
  readonly ids: readonly string[];
  readonly index = new Map<string, number>();
  /** Purpose index -> the indexes of its children. */
  readonly children: number[][];

  constructor(ids: readonly string[]) {
    this.ids = ids;
    ids.forEach((id, i) => {
      this.index.set(id, i);
    });
    this.children = ids.map(() => []);
    ids.forEach((id, i) => {
      for (const a of ancestorsOf(id)) {
        const j = this.index.get(a);
        if (j !== undefined) {
          (this.children[j] as number[]).push(i);
          break;
        }
      }
    });
  }

  /**
   * The highest declared purposes below `id` that no prohibition touches (a few of them): what a subject can be
   * granted instead of `id` when a prohibition below it denies `id` itself.
   */
  permittedBelow(id: string, prohibitedAt: ReadonlyMap<string, number>, aboveProhibited: ReadonlyMap<string, unknown>): { ids: string[]; more: boolean } {
    const ids: string[] = [];
    const start = this.index.get(id);
    if (start === undefined) return { ids, more: false };
    const pending = [...(this.children[start] ?? [])].reverse();
    const max = 5;
    while (pending.length > 0) {
      const q = pending.pop() as number;
      const qid = this.ids[q] as string;
      if (prohibitedAt.has(qid)) continue; // denied, and so is everything below it
      if (aboveProhibited.has(qid)) {
        for (let k = (this.children[q] ?? []).length - 1; k >= 0; k--) pending.push((this.children[q] as number[])[k] as number);
        continue;
      }
      if (ids.length === max) return { ids, more: true };
      ids.push(qid);
    }
    return { ids, more: false };
  }
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
 * Compatibility is assessed one way, from the original purpose to the new one (GDPR Art. 6(4)); a cycle would
 * make purposes interchangeable, which is a hierarchy or a merge in disguise, so it is rejected.
 *
 * The cycles are those of the relation the guard applies (`furtherSources` in compile.ts, rule 9): data
 * collected for `s` may be used for `p` when `s` is `p` or an ancestor of it, or `s` lists in `compatibleWith`
 * a purpose `t` that `p` is or lies under. So a purpose that lists its own ancestor, or a purpose whose target
 * covers a purpose listing it back, makes a cycle as surely as two purposes that list each other.
 *
 * The search is an iterative depth-first search (no recursion, whatever the catalogue's size) over a graph that
 * has the same paths as that relation without its quadratic size: a node for each purpose and one for the
 * subtree under it; a purpose leads to its children and to the subtrees of its targets, a subtree to its
 * purpose and to its children's subtrees.
 */
function compatibilityCycles(spec: CatalogueSpec): CatalogueIssue[] {
  const out: CatalogueIssue[] = [];
  const h = new Hierarchy(Object.keys(spec.purposes));
  const n = h.ids.length;
  // Purpose index -> its compatibleWith targets that are declared: [target index, position in the list].
  const targets: (readonly [number, number])[][] = h.ids.map(() => []);
  h.ids.forEach((id, i) => {
    const list: unknown = spec.purposes[id]?.compatibleWith;
    if (!Array.isArray(list)) return;
    const seen = new Set<number>();
    list.forEach((t: unknown, k) => {
      const j = typeof t === 'string' ? h.index.get(t) : undefined;
      if (j === undefined || seen.has(j)) return;
      seen.add(j);
      if (t === id || ancestorsOf(id).includes(t as string)) {
        // Already under the target: a two-purpose cycle with the hierarchy (or with itself), said plainly.
        out.push(
          issue(
            'cycle',
            ['purposes', id, 'compatibleWith', k],
            t === id
              ? `compatibility cycle: "${id}" lists itself; a purpose is always compatible with itself, remove it`
              : `compatibility cycle: "${id}" lists its ancestor "${t}", while data collected for "${t}" may already be used for its sub-purpose "${id}", so the two would be interchangeable; remove it, or collect for "${t}"`,
          ),
        );
        return;
      }
      (targets[i] as [number, number][]).push([j, k]);
    });
  });

  // Nodes: purpose i is i, the subtree under it is n + i. Edges are enumerated by position.
  const degree = (v: number): number => (v < n ? (h.children[v] as number[]).length + (targets[v] as unknown[]).length : (h.children[v - n] as number[]).length + 1);
  const edge = (v: number, e: number): number => {
    if (v < n) {
      const children = h.children[v] as number[];
      return e < children.length ? (children[e] as number) : n + ((targets[v] as [number, number][])[e - children.length] as [number, number])[0];
    }
    const children = h.children[v - n] as number[];
    return e < children.length ? n + (children[e] as number) : v - n;
  };
  /** The compatibleWith position of edge `e` of node `v`, or -1 for an edge of the hierarchy. */
  const compatPosition = (v: number, e: number): number => {
    if (v >= n) return -1;
    const c = (h.children[v] as number[]).length;
    return e < c ? -1 : ((targets[v] as [number, number][])[e - c] as [number, number])[1];
  };

  const state = new Uint8Array(2 * n); // 0 unvisited, 1 on the path, 2 done
  const onPath = new Int32Array(2 * n).fill(-1); // node -> its position on the path
  const path: number[] = [];
  const cursor: number[] = [];
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    path.push(root);
    cursor.push(0);
    state[root] = 1;
    onPath[root] = 0;
    while (path.length > 0) {
      const top = path.length - 1;
      const v = path[top] as number;
      const e = cursor[top] as number;
      if (e === degree(v)) {
        state[v] = 2;
        onPath[v] = -1;
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[top] = e + 1;
      const w = edge(v, e);
      if (state[w] === 0) {
        state[w] = 1;
        onPath[w] = path.length;
        path.push(w);
        cursor.push(0);
      } else if (state[w] === 1) {
        out.push(describeCycle(h, n, path.slice(onPath[w]), cursor.slice(onPath[w] as number).map((c, k, all) => (k === all.length - 1 ? e : c - 1)), compatPosition));
      }
    }
  }
  return out;
}

/**
 * The issue for a cycle found by the search: `nodes` from the node the closing edge reaches back to, and the
 * edge each of them follows. It points at the last compatibleWith entry on the cycle (there is always one: the
 * hierarchy alone has no cycle) and names the purposes in the order the data may flow.
 */
function describeCycle(h: Hierarchy, n: number, nodes: readonly number[], edges: readonly number[], compatPosition: (v: number, e: number) => number): CatalogueIssue {
  // Start the cycle just after the blamed entry, so that it reads from the purpose that entry leads to... and ends with it.
  let blamed = -1;
  for (let k = nodes.length - 1; k >= 0 && blamed < 0; k--) if (compatPosition(nodes[k] as number, edges[k] as number) >= 0) blamed = k;
  const source = nodes[blamed] as number;
  const position = compatPosition(source, edges[blamed] as number);
  const steps: string[] = [];
  const flow: string[] = [];
  for (let s = 1; s <= nodes.length; s++) {
    const k = (blamed + s) % nodes.length;
    const v = nodes[k] as number;
    if (v < n) flow.push(h.ids[v] as string);
  }
  // Explain each compatibleWith entry on the cycle: what it lists, and which purpose below that the cycle goes through.
  for (let s = 1; s <= nodes.length; s++) {
    const k = (blamed + s) % nodes.length;
    const v = nodes[k] as number;
    const p = compatPosition(v, edges[k] as number);
    if (p < 0) continue;
    const target = edgeTarget(nodes, k, n);
    let reached = target;
    for (let m = 1; m <= nodes.length; m++) {
      const u = nodes[(k + m) % nodes.length] as number;
      if (u < n) {
        reached = u;
        break;
      }
    }
    const t = h.ids[target] as string;
    const r = h.ids[reached] as string;
    steps.push(r === t ? `"${h.ids[v]}" lists "${t}"` : `"${h.ids[v]}" lists "${t}", which covers its sub-purpose "${r}"`);
  }
  const chain = abbreviate([...flow.slice(-1), ...flow.slice(0, -1), ...flow.slice(-1)]);
  return issue(
    'cycle',
    ['purposes', h.ids[source] as string, 'compatibleWith', position],
    `compatibility cycle: ${chain.join(' -> ')} (${abbreviate(steps).join('; ')}): data collected for any of these purposes may be used for the others, so they would be interchangeable; remove one of these entries, or merge the purposes`,
  );
}

/** The purpose whose subtree the compatibleWith edge at `nodes[k]` leads to (the next node is that subtree). */
function edgeTarget(nodes: readonly number[], k: number, n: number): number {
  return (nodes[(k + 1) % nodes.length] as number) - n;
}

/** A long list shortened to its first and last few members. */
function abbreviate(list: readonly string[], max = 9): string[] {
  if (list.length <= max) return [...list];
  return [...list.slice(0, 4), `... (${list.length - 7} more)`, ...list.slice(-3)];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

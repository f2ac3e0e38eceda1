import { fieldMapCategories } from '../../minimise/categories.js';
import type { FieldCategories } from '../../minimise/types.js';

const LOGICAL = new Set(['AND', 'OR', 'NOT']);
const RELATION_KEYS = new Set(['some', 'every', 'none', 'is', 'isNot', 'where', 'data', 'create', 'update', 'connect', 'orderBy', 'cursor']);
/** Keys of a relation's selection that read no field: paging, and what to leave out. */
const READS_NOTHING = new Set(['take', 'skip', 'omit']);

/**
 * The categories a query's arguments touch: what it filters on (`where`,
 * through AND/OR/NOT and relation filters, `having`, `_count` filters),
 * writes (`data`), selects or includes, orders by, makes distinct and
 * aggregates. A field the map does not name becomes `Model.field`, a
 * category no catalogue declares, so the guard denies it (fail closed). A
 * relation taken whole (`include: { orders: true }`) adds the categories of
 * it the purpose permits: that is what it discloses once minimised.
 *
 * @example
 * touched({ id: 'account', cardLast4: 'payment' }, { where: { cardLast4: '4242' } }, 'Customer', new Set()); // Set { 'payment' }
 */
export function touched(fields: FieldCategories, args: unknown, model: string, permitted: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  if (args === null || typeof args !== 'object') return out;
  const a = args as Record<string, unknown>;
  const keys = (value: unknown, map: FieldCategories, path: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) keys(v, map, path);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (LOGICAL.has(key)) {
        keys(v, map, path);
        continue;
      }
      if (key === '_all') continue;
      if (key === '_count') {
        counted(v, map, path);
        continue;
      }
      const rule = Object.hasOwn(map, key) ? map[key] : undefined;
      if (rule === undefined) out.add(`${path}.${key}`);
      else if (typeof rule === 'string') out.add(rule);
      else if (Array.isArray(rule)) for (const c of rule) out.add(c);
      else nested(v, rule as FieldCategories, `${path}.${key}`);
    }
  };
  // A relation's value is a filter ({ some: {...} }), a nested write ({ create: {...} }) or a selection ({ select: {...} }).
  const nested = (value: unknown, map: FieldCategories, path: string): void => {
    if (value === null || typeof value !== 'object') {
      if (value !== undefined && value !== false) for (const c of fieldMapCategories(map)) if (permitted.has(c)) out.add(c);
      return;
    }
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (key === 'select' || key === 'include') keys(selected(v), map, path);
      else if (key === 'distinct') keys(fieldList(v), map, path);
      else if (RELATION_KEYS.has(key)) keys(v, map, path);
      else if (READS_NOTHING.has(key) && !Object.hasOwn(map, key)) continue;
      else keys({ [key]: v }, map, path);
    }
  };
  // `_count: { select: { orders: { where } } }` counts the related records a filter matches: the filter is checked.
  const counted = (value: unknown, map: FieldCategories, path: string): void => {
    const select = value !== null && typeof value === 'object' ? (value as { select?: unknown }).select : undefined;
    if (select === null || typeof select !== 'object') return;
    for (const [relation, choice] of Object.entries(select)) {
      const rule = Object.hasOwn(map, relation) ? map[relation] : undefined;
      if (rule === undefined) out.add(`${path}.${relation}`);
      else if (typeof rule === 'object' && !Array.isArray(rule) && choice !== null && typeof choice === 'object') {
        keys((choice as { where?: unknown }).where, rule as FieldCategories, `${path}.${relation}`);
      }
    }
  };
  keys(a['where'], fields, model);
  keys(a['data'], fields, model);
  keys(a['create'], fields, model);
  keys(a['update'], fields, model);
  if (a['select'] !== undefined) keys(selected(a['select']), fields, model);
  if (a['include'] !== undefined) keys(selected(a['include']), fields, model);
  keys(a['orderBy'], fields, model);
  keys(a['cursor'], fields, model);
  keys(a['having'], fields, model);
  keys(fieldList(a['distinct']), fields, model);
  if (Array.isArray(a['by'])) for (const f of a['by']) keys({ [String(f)]: true }, fields, model);
  for (const agg of ['_min', '_max', '_sum', '_avg'] as const) keys(a[agg], fields, model);
  // aggregate/groupBy `_count: { cardLast4: true }` counts the records holding a field: it reads that field.
  const count = a['_count'];
  if (count !== null && typeof count === 'object') keys(selected(count), fields, model);
  return out;
}

/** `select: { name: true, email: false }` touches only `name`. */
function selected(select: unknown): unknown {
  if (select === null || typeof select !== 'object') return select;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(select)) if (v !== false && v !== undefined) out[k] = v;
  return out;
}

/** `distinct: 'name'` or `['name', 'email']`, as the fields it names. */
function fieldList(value: unknown): Record<string, true> | undefined {
  if (value === undefined || value === null) return undefined;
  const out: Record<string, true> = {};
  for (const f of [value].flat()) out[String(f)] = true;
  return out;
}

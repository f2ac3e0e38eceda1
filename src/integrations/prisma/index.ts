/**
 * `purpose-guard/prisma`: a Prisma Client extension that checks every model
 * operation against the purpose in scope and minimises what it returns.
 * Typed structurally: it imports nothing from Prisma, so it works with any
 * generated client (Prisma 5 to 7) and costs nothing when Prisma is absent.
 *
 * @packageDocumentation
 */
import type { CatalogueSpec, DataCategoryOf, SubjectOf } from '../../catalogue/types.js';
import { denyOf } from '../../compile/compile.js';
import { PurposeViolationError } from '../../decision/error.js';
import type { Decision } from '../../decision/types.js';
import type { Guard } from '../../guard/guard.js';
import type { PermittedPurpose } from '../../guard/types.js';
import { fieldMapCategories } from '../../minimise/categories.js';
import { minimise } from '../../minimise/minimise.js';
import { permittedDataCategories } from '../../minimise/permitted.js';
import type { FieldCategories } from '../../minimise/types.js';
import { currentScope, noPurposeInScope } from '../../scope/scope.js';

/**
 * How one Prisma model maps onto the catalogue.
 *
 * @example
 * const Customer: PrismaModelSpec<DefaultCatalogue> = { subject: 'customer', fields: { id: 'account', email: 'contact' } };
 */
export type PrismaModelSpec<C extends CatalogueSpec> = {
  [S in SubjectOf<C>]: {
    /** Whose data the model holds. */
    readonly subject: S;
    /** Field -> data category; relation fields take a nested map. Unmapped fields are dropped from results and denied in filters and writes. */
    readonly fields: FieldCategories<DataCategoryOf<C>>;
    /** Fix the purpose for this model instead of the scope's. */
    readonly purpose?: PermittedPurpose<C, S> | undefined;
  };
}[SubjectOf<C>];

/**
 * Options of `purposeGuardExtension`.
 *
 * @example
 * const options: PurposeGuardPrismaOptions<DefaultCatalogue> = { guard, models: { Customer }, raw: 'deny' };
 */
export interface PurposeGuardPrismaOptions<C extends CatalogueSpec> {
  readonly guard: Guard<C>;
  /** Model name (as Prisma passes it, `Customer`) -> spec. */
  readonly models: { readonly [model: string]: PrismaModelSpec<C> };
  /** Models not in `models`: `deny` (default) or `passthrough` (for tables without personal data). */
  readonly unlisted?: 'deny' | 'passthrough' | undefined;
  /** Raw SQL (`$queryRaw`, `$executeRaw` and their `Unsafe` forms) cannot be categorised: `deny` (default) or `passthrough`. */
  readonly raw?: 'deny' | 'passthrough' | undefined;
}

/**
 * What Prisma passes to a `$allOperations` hook.
 *
 * @example
 * const params: PrismaOperationParams = { model: 'Customer', operation: 'findMany', args: {}, query: (a) => base.customer.findMany(a) };
 */
export interface PrismaOperationParams {
  readonly model?: string | undefined;
  readonly operation: string;
  readonly args: unknown;
  readonly query: (args: unknown) => PromiseLike<unknown>;
}

/**
 * The extension object, in the shape `client.$extends` takes.
 *
 * @example
 * const ext: PurposeGuardPrismaExtension = purposeGuardExtension({ guard, models });
 */
export interface PurposeGuardPrismaExtension {
  readonly name: 'purpose-guard';
  readonly query: {
    readonly $allModels: { readonly $allOperations: (params: PrismaOperationParams) => Promise<unknown> };
    readonly $queryRaw: (params: PrismaOperationParams) => Promise<unknown>;
    readonly $executeRaw: (params: PrismaOperationParams) => Promise<unknown>;
    readonly $queryRawUnsafe: (params: PrismaOperationParams) => Promise<unknown>;
    readonly $executeRawUnsafe: (params: PrismaOperationParams) => Promise<unknown>;
  };
}

/** Operations whose result is records of the model (so it is minimised); the rest return counts or aggregates. */
const RETURNS_RECORDS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany',
  'create', 'createManyAndReturn', 'update', 'updateManyAndReturn', 'upsert', 'delete',
]);
const OPERATION_KIND: Readonly<Record<string, string>> = {
  create: 'create', createMany: 'create', createManyAndReturn: 'create', upsert: 'update',
  update: 'update', updateMany: 'update', updateManyAndReturn: 'update', delete: 'delete', deleteMany: 'delete',
};
const LOGICAL = new Set(['AND', 'OR', 'NOT']);
const RELATION_FILTERS = new Set(['some', 'every', 'none', 'is', 'isNot']);

/**
 * A Prisma Client extension: every model operation is checked with
 * `checkUseAsync` (so the audit record is acknowledged first) against the
 * purpose in scope, with the data categories it filters on, writes, selects
 * and would return; a deny throws `PurposeViolationError` before the query
 * runs; results are minimised to the purpose's data categories.
 *
 * @example
 * const prisma = new PrismaClient().$extends(purposeGuardExtension({
 *   guard,
 *   models: { Customer: { subject: 'customer', fields: { id: 'account', name: 'identity', email: 'contact', cardLast4: 'payment' } } },
 * }));
 * await runWithPurpose({ purpose: 'customer-support' }, () => prisma.customer.findMany()); // no cardLast4
 */
export function purposeGuardExtension<const C extends CatalogueSpec>(options: PurposeGuardPrismaOptions<C>): PurposeGuardPrismaExtension {
  const guard = options.guard as unknown as Guard;
  const unlistedPassthrough = options.unlisted === 'passthrough';
  const rawPassthrough = options.raw === 'passthrough';

  const $allOperations = async ({ model, operation, args, query }: PrismaOperationParams): Promise<unknown> => {
    const spec = typeof model === 'string' && Object.hasOwn(options.models, model) ? options.models[model] : undefined;
    const method = `${model ?? '?'}.${operation}`;
    if (spec === undefined) {
      if (unlistedPassthrough) return query(args);
      throw new PurposeViolationError(denyOf({ id: '' }, { id: currentScope()?.purpose ?? '' }, 'invalid_input', 'scope', method,
        `The Prisma model ${model ?? '(none)'} is not mapped to a subject category, so it cannot be queried through the guard: add it to models, or pass unlisted: 'passthrough' if it holds no personal data.`, { field: 'model' }));
    }
    const scope = currentScope();
    const purpose = (spec.purpose as string | undefined) ?? scope?.purpose;
    if (purpose === undefined) throw new PurposeViolationError(noPurposeInScope(spec.subject, method));
    const categories = touched(spec.fields, args, model as string);
    const permitted = permittedDataCategories(guard.catalogue, purpose);
    if (RETURNS_RECORDS.has(operation)) for (const c of fieldMapCategories(spec.fields)) if (permitted.has(c)) categories.add(c);
    const context = { ...scope?.context, dataCategories: [...categories] };
    const decision: Decision = await (guard.checkUseAsync as (s: string, p: string, c: unknown, m: unknown) => Promise<Decision>)(
      spec.subject, purpose, context, { operation: OPERATION_KIND[operation] ?? 'read', method, via: 'prisma' });
    if (!decision.allowed) throw new PurposeViolationError(decision);
    const result = await query(args);
    if (!RETURNS_RECORDS.has(operation) || guard.mode === 'monitor') return result;
    return minimise(result, spec.fields, decision, guard.catalogue);
  };

  const raw = async ({ operation, args, query }: PrismaOperationParams): Promise<unknown> => {
    if (rawPassthrough) return query(args);
    throw new PurposeViolationError(denyOf({ id: '' }, { id: currentScope()?.purpose ?? '' }, 'invalid_input', 'scope', operation,
      `Raw SQL (${operation}) cannot be mapped to data categories, so the guard does not run it: use model queries, or pass raw: 'passthrough' and guard the code around it.`, { field: 'operation' }));
  };

  return Object.freeze({
    name: 'purpose-guard',
    query: Object.freeze({ $allModels: Object.freeze({ $allOperations }), $queryRaw: raw, $executeRaw: raw, $queryRawUnsafe: raw, $executeRawUnsafe: raw }),
  });
}

/**
 * The categories a query's arguments touch: what it filters on (`where`,
 * through AND/OR/NOT and relation filters), writes (`data`), selects, orders
 * and aggregates. A field the map does not name becomes `Model.field`, a
 * category no catalogue declares, so the guard denies it (fail closed).
 */
function touched(fields: FieldCategories, args: unknown, model: string): Set<string> {
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
      if (key === '_count' || key === '_all') continue;
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
      if (value !== undefined && value !== false) for (const c of fieldMapCategories(map)) out.add(c);
      return;
    }
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (RELATION_FILTERS.has(key) || key === 'where' || key === 'select' || key === 'data' || key === 'create' || key === 'update' || key === 'connect') keys(v, map, path);
      else if (key === 'include') keys(v, map, path);
      else keys({ [key]: v }, map, path);
    }
  };
  keys(a['where'], fields, model);
  keys(a['data'], fields, model);
  keys(a['create'], fields, model);
  keys(a['update'], fields, model);
  if (a['select'] !== undefined) keys(selected(a['select']), fields, model);
  keys(a['orderBy'], fields, model);
  keys(a['cursor'], fields, model);
  if (Array.isArray(a['by'])) for (const f of a['by']) keys({ [String(f)]: true }, fields, model);
  for (const agg of ['_min', '_max', '_sum', '_avg'] as const) keys(a[agg], fields, model);
  return out;
}

/** `select: { name: true, email: false }` touches only `name`. */
function selected(select: unknown): unknown {
  if (select === null || typeof select !== 'object') return select;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(select)) if (v !== false && v !== undefined) out[k] = v;
  return out;
}

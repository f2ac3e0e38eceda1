/**
 * `purpose-guard/prisma`: a Prisma Client extension that checks every model
 * operation against the purpose in scope and minimises what it returns.
 * Typed structurally: it imports nothing from Prisma, so it works with any
 * generated client (Prisma 5 to 7) and costs nothing when Prisma is absent.
 *
 * @packageDocumentation
 */
import type { DecisionMeta } from '../../audit/types.js';
import type { CatalogueSpec, DataCategoryOf, SubjectOf } from '../../catalogue/types.js';
import { denyOf } from '../../compile/compile.js';
import { PurposeViolationError } from '../../decision/error.js';
import type { Decision, DenyDecision } from '../../decision/types.js';
import type { AnyGuard, Guard } from '../../guard/guard.js';
import type { PermittedPurpose } from '../../guard/types.js';
import { fieldMapCategories } from '../../minimise/categories.js';
import { minimise } from '../../minimise/minimise.js';
import { permittedDataCategories } from '../../minimise/permitted.js';
import type { FieldCategories } from '../../minimise/types.js';
import { currentScope, noPurposeInScope } from '../../scope/scope.js';
import { touched } from './touched.js';

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
  /** The guard that decides: a `Guard<C>` types the models with its catalogue; an `AnyGuard` leaves their ids plain strings, checked at run time. */
  readonly guard: Guard<C> | AnyGuard;
  /** Model name (as Prisma passes it, `Customer`) -> spec. */
  readonly models: { readonly [model: string]: PrismaModelSpec<C> };
  /** Models not in `models`: `deny` (default) or `passthrough` (for tables without personal data). */
  readonly unlisted?: 'deny' | 'passthrough' | undefined;
  /** Raw queries (`$queryRaw`, `$executeRaw` and their `Unsafe` forms, TypedSQL's `$queryRawTyped`; MongoDB's `findRaw`, `aggregateRaw` and `$runCommandRaw`) cannot be categorised: `deny` (default) or `passthrough`. */
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
    /** TypedSQL (`prisma.$queryRawTyped(sql)`): SQL from a file, as opaque to the guard as any other. */
    readonly $queryRawTyped: (params: PrismaOperationParams) => Promise<unknown>;
    /** MongoDB's `prisma.$runCommandRaw(command)`. */
    readonly $runCommandRaw: (params: PrismaOperationParams) => Promise<unknown>;
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
/** MongoDB's raw model operations: a filter or pipeline the guard cannot map, like raw SQL. */
const RAW_OPERATIONS = new Set(['findRaw', 'aggregateRaw']);

/**
 * A Prisma Client extension: every model operation is checked with
 * `checkUseAsync` (so the audit record is acknowledged first) against the
 * purpose in scope, with the data categories it filters on, writes, selects
 * or includes and would return; a deny throws `PurposeViolationError` before
 * the query runs; results are minimised to the purpose's data categories.
 * What the extension refuses itself (no purpose in scope, an unmapped model,
 * raw queries) is recorded with `guard.record`, acknowledged, before it throws.
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

  // A refusal the extension decides itself is recorded (and acknowledged) before it throws, as checkUseAsync's are.
  const refuse = async (decision: DenyDecision, meta: DecisionMeta): Promise<never> => {
    await guard.record(decision, currentScope()?.context, { ...meta, via: 'prisma' });
    throw new PurposeViolationError(decision);
  };
  const rawDenied = (method: string): DenyDecision =>
    denyOf({ id: '' }, { id: currentScope()?.purpose ?? '' }, 'invalid_input', 'scope', method,
      `Raw queries (${method}) cannot be mapped to data categories, so the guard does not run them: use model queries, or pass raw: 'passthrough' and guard the code around it.`, { field: 'operation' });

  const $allOperations = async ({ model, operation, args, query }: PrismaOperationParams): Promise<unknown> => {
    const method = `${model ?? '?'}.${operation}`;
    if (RAW_OPERATIONS.has(operation)) return rawPassthrough ? query(args) : refuse(rawDenied(method), { operation: 'raw', method });
    const spec = typeof model === 'string' && Object.hasOwn(options.models, model) ? options.models[model] : undefined;
    const meta = { operation: OPERATION_KIND[operation] ?? 'read', method, via: 'prisma' };
    if (spec === undefined) {
      if (unlistedPassthrough) return query(args);
      return refuse(denyOf({ id: '' }, { id: currentScope()?.purpose ?? '' }, 'invalid_input', 'scope', method,
        `The Prisma model ${model ?? '(none)'} is not mapped to a subject category, so it cannot be queried through the guard: add it to models, or pass unlisted: 'passthrough' if it holds no personal data.`, { field: 'model' }), meta);
    }
    const scope = currentScope();
    const purpose = (spec.purpose as string | undefined) ?? scope?.purpose;
    if (purpose === undefined) return refuse(noPurposeInScope(spec.subject, method), meta);
    const permitted = permittedDataCategories(guard.catalogue, purpose);
    const categories = touched(spec.fields, args, model as string, permitted);
    if (RETURNS_RECORDS.has(operation)) for (const c of fieldMapCategories(spec.fields)) if (permitted.has(c)) categories.add(c);
    const context = { ...scope?.context, dataCategories: [...categories] };
    const decision: Decision = await (guard.checkUseAsync as (s: string, p: string, c: unknown, m: unknown) => Promise<Decision>)(spec.subject, purpose, context, meta);
    if (!decision.allowed) throw new PurposeViolationError(decision);
    const result = await query(args);
    if (!RETURNS_RECORDS.has(operation) || guard.mode === 'monitor') return result;
    return minimise(result, spec.fields, decision, guard.catalogue);
  };

  const raw = async ({ operation, args, query }: PrismaOperationParams): Promise<unknown> =>
    rawPassthrough ? query(args) : refuse(rawDenied(operation), { operation: 'raw', method: operation });

  return Object.freeze({
    name: 'purpose-guard',
    query: Object.freeze({ $allModels: Object.freeze({ $allOperations }), $queryRaw: raw, $executeRaw: raw, $queryRawUnsafe: raw, $executeRawUnsafe: raw, $queryRawTyped: raw, $runCommandRaw: raw }),
  });
}

/**
 * `purpose-guard/kysely`: a Kysely plugin that checks every query against the
 * purpose in scope, per table, before it reaches the database, and minimises
 * the rows it returns. Imports only Kysely's types.
 *
 * @packageDocumentation
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { DecisionMeta } from '../../audit/types.js';
import type { Catalogue, CatalogueSpec, DataCategoryOf, SubjectOf } from '../../catalogue/types.js';
import { denyOf } from '../../compile/compile.js';
import { PurposeViolationError } from '../../decision/error.js';
import type { Decision, DenyDecision } from '../../decision/types.js';
import type { AnyGuard, Guard } from '../../guard/guard.js';
import type { PermittedPurpose } from '../../guard/types.js';
import { minimise } from '../../minimise/minimise.js';
import { permittedDataCategories } from '../../minimise/permitted.js';
import type { FieldCategories } from '../../minimise/types.js';
import { currentScope, noPurposeInScope } from '../../scope/scope.js';
import { collect, selectedAliases, type Touch } from './collect.js';

/**
 * How one table maps onto the catalogue.
 *
 * @example
 * const customers: KyselyTableSpec<DefaultCatalogue> = { subject: 'customer', columns: { id: 'account', email: 'contact' } };
 */
export type KyselyTableSpec<C extends CatalogueSpec> = {
  [S in SubjectOf<C>]: {
    readonly subject: S;
    /** Column -> data category. Unmapped columns are dropped from results and denied in queries. */
    readonly columns: { readonly [column: string]: DataCategoryOf<C> | readonly DataCategoryOf<C>[] };
    /** Fix the purpose for this table instead of the scope's. */
    readonly purpose?: PermittedPurpose<C, S> | undefined;
  };
}[SubjectOf<C>];

/**
 * Options of `PurposeGuardPlugin`.
 *
 * @example
 * new PurposeGuardPlugin({ guard, tables: { customers }, unlisted: 'passthrough' });
 */
export interface PurposeGuardKyselyOptions<C extends CatalogueSpec> {
  /** The guard that decides: a `Guard<C>` types the tables with its catalogue; an `AnyGuard` leaves their ids plain strings, checked at run time. */
  readonly guard: Guard<C> | AnyGuard;
  /** Table name (without schema) -> spec. */
  readonly tables: { readonly [table: string]: KyselyTableSpec<C> };
  /** Tables not in `tables`: `deny` (default) or `passthrough` (for tables without personal data). */
  readonly unlisted?: 'deny' | 'passthrough' | undefined;
  /**
   * SQL the plugin cannot map to tables: a query that is raw SQL as a whole (`sql\`...\`.execute(db)`), a
   * precompiled query it never transformed (`db.executeQuery(CompiledQuery.raw(...))`), and raw SQL in a query
   * on unmapped tables only: `deny` (default) or `passthrough`. Raw SQL in a query on a mapped table is always denied.
   */
  readonly raw?: 'deny' | 'passthrough' | undefined;
}

/** The guard's methods the plugin calls, with the catalogue types erased: the table specs were checked at compile time. */
interface LooseGuard {
  readonly catalogue: Catalogue;
  readonly mode: 'enforce' | 'monitor';
  checkUse(subject: string, purpose: string, context?: unknown): Decision;
  record(decision: Decision, context?: unknown, meta?: DecisionMeta): Promise<void>;
}

/** What each kind of query does, for the audit event of a refusal the plugin decides itself. */
const OPERATION: Readonly<Record<string, string>> = {
  SelectQueryNode: 'read', InsertQueryNode: 'create', UpdateQueryNode: 'update', DeleteQueryNode: 'delete', MergeQueryNode: 'update', RawNode: 'raw',
};

/**
 * The plugin. Kysely's `transformQuery` is synchronous, so each table's use
 * is decided with the sync `checkUse` (the audit record is accepted
 * synchronously; a strict audit failure there denies). A deny throws
 * `PurposeViolationError` from `transformQuery`, so the query is never sent;
 * the refusals the plugin decides itself (no purpose, an unmapped table, raw
 * SQL) are recorded with `guard.record` first. The plugin also runs when a
 * query is only compiled (`.compile()`).
 *
 * A query Kysely runs without handing it to `transformQuery` (a precompiled
 * `db.executeQuery(CompiledQuery.raw(...))`) is only seen in
 * `transformResult`, after the database ran it: its result is withheld and
 * the call throws, but a write through it has happened (unless a transaction
 * around it rolls back on the throw).
 *
 * @example
 * const db = new Kysely<DB>({ dialect, plugins: [new PurposeGuardPlugin({ guard, tables: {
 *   customers: { subject: 'customer', columns: { id: 'account', name: 'identity', email: 'contact', card_last4: 'payment' } },
 * } })] });
 * await runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').selectAll().execute()); // no card_last4
 */
export class PurposeGuardPlugin<const C extends CatalogueSpec> implements KyselyPlugin {
  readonly #options: PurposeGuardKyselyOptions<C>;
  readonly #guard: LooseGuard;
  readonly #decisions = new WeakMap<object, { readonly decisions: readonly Decision[]; readonly columns: FieldCategories; readonly derived: readonly string[] }>();
  /** The ids of the queries transformQuery let through: a result for any other query comes from SQL the guard never checked. */
  readonly #checked = new WeakSet<object>();

  constructor(options: PurposeGuardKyselyOptions<C>) {
    this.#options = options;
    this.#guard = options.guard as unknown as LooseGuard;
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.#check(node, queryId);
    this.#checked.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.#checked.has(queryId) && this.#options.raw !== 'passthrough') {
      const scope = currentScope();
      const decision = denyOf({ id: '' }, { id: scope?.purpose ?? '' }, 'invalid_input', 'scope', 'kysely.precompiled',
        "A precompiled query (db.executeQuery(CompiledQuery...)) never passed through the guard's transformQuery, so it could not be checked before it ran: its result is withheld, but what it wrote is written. Build it with the query builder (or .compile() it under the purpose), or pass raw: 'passthrough'.",
        { field: 'query' });
      // Awaited: transformResult is async, so the refusal is on the audit trail before the caller sees it.
      await this.#guard.record(decision, scope?.context, { operation: 'query', method: 'kysely.precompiled', via: 'kysely' });
      throw new PurposeViolationError(decision);
    }
    const entry = this.#decisions.get(queryId);
    if (entry === undefined || result.rows.length === 0) return result;
    // One pass per decision: a column stays only if every table's purpose may see it (a join of a table read for
    // customer-support with one whose spec fixes billing must not show the first table's payment columns).
    let rows = result.rows;
    for (const decision of entry.decisions) rows = minimise(rows, entry.columns, decision, this.#guard.catalogue as never);
    // The query's own aliases (`count(*) as n`) are no table's columns, so the map drops them; they hold only checked data.
    if (entry.derived.length > 0) {
      rows.forEach((row, i) => {
        const source = result.rows[i] as Record<string, unknown>;
        for (const key of entry.derived) if (Object.hasOwn(source, key)) (row as Record<string, unknown>)[key] = source[key];
      });
    }
    return { ...result, rows };
  }

  /** Throws on the first table the purpose may not use this way; records what it refuses itself. */
  #check(node: RootOperationNode, queryId: object): void {
    const guard = this.#guard;
    const tables = this.#options.tables;
    const scope = currentScope();
    const kind = (node as { kind: string }).kind;
    const refuse: (decision: DenyDecision, method: string) => never = (decision, method) => {
      // Recorded, not awaited: transformQuery is synchronous; record() reports its own failures, and the query is refused either way.
      void guard.record(decision, scope?.context, { operation: OPERATION[kind] ?? 'query', method, via: 'kysely' });
      throw new PurposeViolationError(decision);
    };
    const invalid = (subject: string, rule: string, message: string, field: string): DenyDecision =>
      denyOf({ id: subject }, { id: scope?.purpose ?? '' }, 'invalid_input', 'scope', rule, message, { field });
    if (kind === 'RawNode') {
      if (this.#options.raw === 'passthrough') return;
      refuse(invalid('', 'kysely.raw', "A raw SQL query cannot be mapped to tables and data categories, so the guard does not run it: use the query builder, or pass raw: 'passthrough'.", 'query'), 'kysely.raw');
    }
    const touch = collect(node);
    const specOf = (table: string): KyselyTableSpec<C> | undefined => (Object.hasOwn(tables, table) ? tables[table] : undefined);
    if (touch.opaque.size > 0) {
      const hidden = [...touch.opaque].join(', ');
      const mapped = [...touch.tables].filter((t) => specOf(t) !== undefined);
      if (mapped.length > 0) {
        // The mapping says these tables hold personal data, and raw SQL can name any of their columns: no opt-out.
        refuse(invalid(specOf(mapped[0] as string)?.subject as string, 'kysely.raw',
          `The query on ${mapped.join(', ')} holds ${hidden}, which can name any column, so the guard cannot tell which data categories it touches: write that part with the query builder (eb.ref, eb.fn, eb.val) instead.`, 'query'), 'kysely.raw');
      }
      if (this.#options.raw !== 'passthrough') {
        refuse(invalid('', 'kysely.raw',
          `The query holds ${hidden}, so the guard cannot tell which tables and columns it touches: use the query builder, or pass raw: 'passthrough' if such SQL touches no personal data.`, 'query'), 'kysely.raw');
      }
    }
    const merged: Record<string, string | string[]> = {};
    const decisions: Decision[] = [];
    for (const table of touch.tables) {
      const spec = specOf(table);
      if (spec === undefined) {
        if (this.#options.unlisted === 'passthrough') continue;
        refuse(invalid('', `kysely.${table}`,
          `The table ${table} is not mapped to a subject category, so it cannot be queried through the guard: add it to tables, or pass unlisted: 'passthrough' if it holds no personal data.`, 'table'), `kysely.${table}`);
      }
      const purpose = (spec.purpose as string | undefined) ?? scope?.purpose;
      if (purpose === undefined) refuse(noPurposeInScope(spec.subject, `${table} (${kind})`), `kysely.${table}`);
      const decision = guard.checkUse(spec.subject, purpose, { ...scope?.context, dataCategories: [...categoriesOf(touch, table, spec, tables, guard, purpose)] });
      if (!decision.allowed) throw new PurposeViolationError(decision);
      // Minimisation reads only the purpose: one pass per distinct purpose, not per table.
      if (!decisions.some((d) => d.purpose === decision.purpose)) decisions.push(decision);
      for (const [column, rule] of Object.entries(spec.columns)) {
        const prior = merged[column];
        merged[column] = prior === undefined ? (rule as string | string[]) : [...new Set([...[prior].flat(), ...[rule].flat()])];
      }
    }
    if (decisions.length > 0 && guard.mode !== 'monitor') {
      // An alias named like a mapped column is left to the map: it may be that column under another table's name.
      const derived = [...selectedAliases(node)].filter((name) => !Object.hasOwn(merged, name));
      this.#decisions.set(queryId, { decisions, columns: merged, derived });
    }
  }
}

/** The data categories a query touches in one table: the columns it names, and what `selectAll` discloses. */
function categoriesOf(touch: Touch, table: string, spec: { readonly columns: KyselyTableSpec<CatalogueSpec>['columns'] }, tables: PurposeGuardKyselyOptions<CatalogueSpec>['tables'], guard: LooseGuard, purpose: string): Set<string> {
  const categories = new Set<string>();
  const add = (column: string): void => {
    const rule = Object.hasOwn(spec.columns, column) ? spec.columns[column] : undefined;
    if (rule === undefined) categories.add(`${table}.${column}`);
    else if (typeof rule === 'string') categories.add(rule);
    else for (const c of rule) categories.add(c);
  };
  for (const column of touch.columns.get(table) ?? []) add(column);
  // Unqualified columns belong to whichever listed table maps them; one no table maps is unknown, hence denied.
  for (const column of touch.columns.get(undefined) ?? []) {
    if (Object.hasOwn(spec.columns, column) || ![...touch.tables].some((t) => Object.hasOwn(tables, t) && Object.hasOwn(tables[t]?.columns ?? {}, column))) add(column);
  }
  if (touch.selectAll.has(table) || touch.selectAll.has(undefined)) {
    // selectAll and `returning *` disclose every mapped column the purpose permits (the rest is minimised away)
    const permitted = permittedDataCategories(guard.catalogue, purpose);
    for (const rule of Object.values(spec.columns)) for (const c of typeof rule === 'string' ? [rule] : rule) if (permitted.has(c)) categories.add(c);
  }
  return categories;
}

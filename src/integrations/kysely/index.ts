/**
 * `purpose-guard/kysely`: a Kysely plugin that checks every query against the
 * purpose in scope, per table, before it reaches the database, and minimises
 * the rows it returns. Imports only Kysely's types.
 *
 * @packageDocumentation
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { CatalogueSpec, DataCategoryOf, SubjectOf } from '../../catalogue/types.js';
import { denyOf } from '../../compile/compile.js';
import { PurposeViolationError } from '../../decision/error.js';
import type { Decision } from '../../decision/types.js';
import type { Guard } from '../../guard/guard.js';
import type { PermittedPurpose } from '../../guard/types.js';
import { minimise } from '../../minimise/minimise.js';
import { permittedDataCategories } from '../../minimise/permitted.js';
import type { FieldCategories } from '../../minimise/types.js';
import { currentScope, noPurposeInScope } from '../../scope/scope.js';

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
  readonly guard: Guard<C>;
  /** Table name (without schema) -> spec. */
  readonly tables: { readonly [table: string]: KyselyTableSpec<C> };
  /** Tables not in `tables`: `deny` (default) or `passthrough` (for tables without personal data). */
  readonly unlisted?: 'deny' | 'passthrough' | undefined;
  /** A query that is raw SQL as a whole (`sql\`...\`.execute(db)`) cannot be mapped: `deny` (default) or `passthrough`. */
  readonly raw?: 'deny' | 'passthrough' | undefined;
}

interface Touch {
  readonly tables: Set<string>;
  readonly columns: Map<string | undefined, Set<string>>;
  readonly selectAll: Set<string | undefined>;
}

/**
 * The plugin. Kysely's `transformQuery` is synchronous, so each table's use
 * is decided with the sync `checkUse` (the audit record is accepted
 * synchronously; a strict audit failure there denies). A deny throws
 * `PurposeViolationError` from `transformQuery`, so the query is never sent.
 * The plugin also runs when a query is only compiled (`.compile()`).
 *
 * @example
 * const db = new Kysely<DB>({ dialect, plugins: [new PurposeGuardPlugin({ guard, tables: {
 *   customers: { subject: 'customer', columns: { id: 'account', name: 'identity', email: 'contact', card_last4: 'payment' } },
 * } })] });
 * await runWithPurpose({ purpose: 'customer-support' }, () => db.selectFrom('customers').selectAll().execute()); // no card_last4
 */
export class PurposeGuardPlugin<const C extends CatalogueSpec> implements KyselyPlugin {
  readonly #options: PurposeGuardKyselyOptions<C>;
  readonly #decisions = new WeakMap<object, { readonly decision: Decision; readonly columns: FieldCategories }>();

  constructor(options: PurposeGuardKyselyOptions<C>) {
    this.#options = options;
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const guard = this.#options.guard as unknown as Guard;
    const scope = currentScope();
    if ((node as { kind: string }).kind === 'RawNode') {
      if (this.#options.raw === 'passthrough') return node;
      throw new PurposeViolationError(denyOf({ id: '' }, { id: scope?.purpose ?? '' }, 'invalid_input', 'scope', 'kysely.raw',
        "A raw SQL query cannot be mapped to tables and data categories, so the guard does not run it: use the query builder, or pass raw: 'passthrough'.", { field: 'query' }));
    }
    const touch = collect(node);
    const merged: Record<string, string | string[]> = {};
    let last: Decision | undefined;
    for (const table of touch.tables) {
      const spec = Object.hasOwn(this.#options.tables, table) ? this.#options.tables[table] : undefined;
      if (spec === undefined) {
        if (this.#options.unlisted === 'passthrough') continue;
        throw new PurposeViolationError(denyOf({ id: '' }, { id: scope?.purpose ?? '' }, 'invalid_input', 'scope', `kysely.${table}`,
          `The table ${table} is not mapped to a subject category, so it cannot be queried through the guard: add it to tables, or pass unlisted: 'passthrough' if it holds no personal data.`, { field: 'table' }));
      }
      const purpose = (spec.purpose as string | undefined) ?? scope?.purpose;
      if (purpose === undefined) throw new PurposeViolationError(noPurposeInScope(spec.subject, `${table} (${node.kind})`));
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
        if (Object.hasOwn(spec.columns, column) || ![...touch.tables].some((t) => Object.hasOwn(this.#options.tables, t) && Object.hasOwn(this.#options.tables[t]?.columns ?? {}, column))) add(column);
      }
      if (touch.selectAll.has(table) || touch.selectAll.has(undefined)) {
        // selectAll and `returning *` disclose every mapped column the purpose permits (the rest is minimised away)
        const permitted = permittedDataCategories(guard.catalogue, purpose);
        for (const rule of Object.values(spec.columns)) for (const c of typeof rule === 'string' ? [rule] : rule) if (permitted.has(c)) categories.add(c);
      }
      const decision = (guard.checkUse as (s: string, p: string, c: unknown) => Decision)(spec.subject, purpose, { ...scope?.context, dataCategories: [...categories] });
      if (!decision.allowed) throw new PurposeViolationError(decision);
      last = decision;
      for (const [column, rule] of Object.entries(spec.columns)) {
        const prior = merged[column];
        merged[column] = prior === undefined ? (rule as string | string[]) : [...new Set([...[prior].flat(), ...[rule].flat()])];
      }
    }
    if (last !== undefined && guard.mode !== 'monitor') this.#decisions.set(queryId, { decision: last, columns: merged });
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const entry = this.#decisions.get(queryId);
    if (entry === undefined || result.rows.length === 0) return result;
    return { ...result, rows: minimise(result.rows, entry.columns, entry.decision, this.#options.guard.catalogue as never) };
  }
}

/** Walks a query's operation tree for the tables and columns it names (Kysely's nodes are plain frozen objects). */
function collect(root: unknown): Touch {
  const touch: Touch = { tables: new Set(), columns: new Map(), selectAll: new Set() };
  const column = (table: string | undefined, name: string): void => {
    const set = touch.columns.get(table) ?? new Set<string>();
    set.add(name);
    touch.columns.set(table, set);
  };
  const tableName = (node: unknown): string | undefined => (node as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const kind = (node as { kind?: unknown }).kind;
    if (kind === 'TableNode') {
      const name = tableName(node);
      if (name !== undefined) touch.tables.add(name);
      return;
    }
    if (kind === 'ReferenceNode') {
      const ref = node as { column: { kind: string; column?: { name: string } }; table?: unknown };
      const table = ref.table === undefined ? undefined : tableName(ref.table);
      if (ref.column.kind === 'SelectAllNode') touch.selectAll.add(table);
      else if (ref.column.column !== undefined) column(table, ref.column.column.name);
      return;
    }
    if (kind === 'ColumnNode') {
      column(undefined, (node as { column: { name: string } }).column.name);
      return;
    }
    if (kind === 'SelectAllNode') {
      touch.selectAll.add(undefined);
      return;
    }
    for (const key of Object.keys(node)) if (key !== 'kind') visit((node as Record<string, unknown>)[key]);
  };
  visit(root);
  // A table alias (`customers as c`) qualifies columns by its alias: count them as unqualified.
  for (const [table, set] of [...touch.columns]) {
    if (table !== undefined && !touch.tables.has(table)) {
      for (const c of set) column(undefined, c);
      touch.columns.delete(table);
    }
  }
  for (const table of [...touch.selectAll]) if (table !== undefined && !touch.tables.has(table)) touch.selectAll.add(undefined);
  return touch;
}

/**
 * Reads what a Kysely query touches from its operation tree (plain frozen
 * objects): the tables it names, the columns per table, `selectAll`s, and
 * what hides data from the walk (raw SQL, table expressions that are not a
 * table or a subquery).
 */

/**
 * What one query touches.
 *
 * @example
 * const touch: Touch = collect(node); // touch.tables: Set { 'customers' }
 */
export interface Touch {
  readonly tables: Set<string>;
  /** Columns by the table that qualifies them; `undefined` for unqualified (or alias-qualified) columns. */
  readonly columns: Map<string | undefined, Set<string>>;
  readonly selectAll: Set<string | undefined>;
  /** Where the query holds something the walk cannot see through, as `what in clause` (`raw SQL in where`, `a FunctionNode in from`). */
  readonly opaque: Set<string>;
}

/**
 * Raw nodes Kysely itself builds from fixed keywords (`orderBy(x, 'desc')`,
 * `onTrue()`, a merge's `thenDelete()`): they name no column or table, so
 * they hide nothing, whoever wrote them.
 */
const KEYWORDS: ReadonlySet<string> = new Set(['asc', 'desc', 'true', 'delete', 'do nothing']);

/** The slots of each node kind that hold table expressions, where only a table or an aliased subquery is understood. */
const TABLE_SLOTS: Readonly<Record<string, readonly string[]>> = {
  FromNode: ['froms'],
  UsingNode: ['tables'],
  JoinNode: ['table'],
  InsertQueryNode: ['into'],
  UpdateQueryNode: ['table'],
  MergeQueryNode: ['into'],
};

type Node = { readonly kind?: unknown; readonly [key: string]: unknown };

/**
 * Walks a query's operation tree for the tables and columns it names.
 *
 * @example
 * collect(db.selectFrom('customers').select('name').toOperationNode()).columns; // Map { undefined => Set { 'name' } }
 */
export function collect(root: unknown): Touch {
  const touch: Touch = { tables: new Set(), columns: new Map(), selectAll: new Set(), opaque: new Set() };
  const column = (table: string | undefined, name: string): void => {
    const set = touch.columns.get(table) ?? new Set<string>();
    set.add(name);
    touch.columns.set(table, set);
  };
  /** `asTable`: the node stands where a table is read from or written to (a table slot, its alias, a CTE's name). */
  const visit = (node: unknown, clause: string, asTable = false): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, clause, asTable);
      return;
    }
    const n = node as Node;
    switch (n.kind) {
      case 'TableNode': {
        const name = tableName(n);
        if (name !== undefined) touch.tables.add(name);
        // A table used as a value (`to_json(customers)`, `eb.table('customers')`) is its whole row, every column.
        if (!asTable) touch.opaque.add(`the table ${name ?? ''} used as a value in ${clause}`);
        return;
      }
      case 'ReferenceNode': {
        const ref = n as { column: { kind: string; column?: { name: string } }; table?: unknown };
        const table = ref.table === undefined ? undefined : tableName(ref.table);
        if (ref.column.kind === 'SelectAllNode') touch.selectAll.add(table);
        else if (ref.column.column !== undefined) column(table, ref.column.column.name);
        return;
      }
      case 'ColumnNode':
        column(undefined, (n as { column: { name: string } }).column.name);
        return;
      case 'SelectAllNode':
        touch.selectAll.add(undefined);
        return;
      case 'RawNode':
        // Its SQL text can name any column of any table: the guard cannot tell which.
        if (!isKeyword(n)) touch.opaque.add(`raw SQL in ${clause}`);
        break;
    }
    const slots = typeof n.kind === 'string' ? TABLE_SLOTS[n.kind] : undefined;
    for (const slot of slots ?? []) {
      for (const item of [n[slot]].flat()) {
        if (item !== undefined && !isTableExpression(item)) touch.opaque.add(`${describe(item)} in ${clause}`);
      }
    }
    for (const key of Object.keys(n)) {
      // The clause is named by the key under the query node (`where`, `selections`, `joins`...).
      const tableHere = (slots ?? []).includes(key) || (n.kind === 'AliasNode' && key === 'node' && asTable) || (n.kind === 'CommonTableExpressionNameNode' && key === 'table');
      if (key !== 'kind') visit(n[key], n.kind !== undefined && String(n.kind).endsWith('QueryNode') ? key : clause, tableHere);
    }
  };
  visit(root, 'query');
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

function tableName(node: unknown): string | undefined {
  return (node as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name;
}

function isKeyword(node: Node): boolean {
  const { sqlFragments, parameters } = node as { sqlFragments?: readonly string[]; parameters?: readonly unknown[] };
  return parameters?.length === 0 && sqlFragments?.length === 1 && KEYWORDS.has(String(sqlFragments[0]).trim().toLowerCase());
}

/** A table (`customers`, `customers as c`) or an aliased subquery, whose own tables the walk reaches. */
function isTableExpression(item: unknown): boolean {
  const n = item as Node;
  if (n?.kind === 'TableNode') return true;
  const inner = n?.kind === 'AliasNode' ? (n['node'] as Node | undefined) : undefined;
  return inner?.kind === 'TableNode' || inner?.kind === 'SelectQueryNode';
}

function describe(item: unknown): string {
  const n = item as Node;
  const kind = n?.kind === 'AliasNode' ? (n['node'] as Node | undefined)?.kind : n?.kind;
  return kind === 'RawNode' ? 'raw SQL' : `a ${String(kind ?? 'value')}`;
}

/**
 * The names a query's own selections give their values (`count(*) as n`,
 * `name as who`, a `returning` alias): the result's keys that are not table
 * columns. Each is computed from columns the walk above found, and every
 * column a query names is in the decision's data categories, so an allowed
 * query's aliases hold only data its purpose permits. Not an alias over a
 * `selectAll` (`jsonArrayFrom(eb.selectFrom('customers').selectAll())`): that
 * counts as the permitted columns only, yet its value holds every column, which
 * minimisation cannot reach inside.
 *
 * @example
 * selectedAliases(db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).toOperationNode()); // Set { 'n' }
 */
export function selectedAliases(root: unknown): Set<string> {
  const out = new Set<string>();
  const n = root as Node;
  const selections = n.kind === 'SelectQueryNode' ? n['selections'] : (n['returning'] as Node | undefined)?.['selections'];
  for (const item of [selections ?? []].flat()) {
    const selection = (item as Node | undefined)?.['selection'] as Node | undefined;
    const name = selection?.kind === 'AliasNode' ? (selection['alias'] as { name?: unknown } | undefined)?.name : undefined;
    if (typeof name === 'string' && !selectsAll(selection?.['node'])) out.add(name);
  }
  return out;
}

/** Whether a subquery under `node` selects all its columns (`count(*)` does not: its `*` is the aggregate's argument). */
function selectsAll(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(selectsAll);
  const n = node as Node;
  if (n.kind === 'SelectQueryNode') {
    for (const item of [n['selections'] ?? []].flat()) {
      const selection = (item as Node | undefined)?.['selection'] as Node | undefined;
      if (selection?.kind === 'SelectAllNode' || (selection?.kind === 'ReferenceNode' && (selection['column'] as Node | undefined)?.kind === 'SelectAllNode')) return true;
    }
  }
  return Object.keys(n).some((key) => key !== 'kind' && selectsAll(n[key]));
}


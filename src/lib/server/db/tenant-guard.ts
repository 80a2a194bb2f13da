/**
 * The tenant guard: a Kysely plugin, installed on every handle `openDatabase` returns, that
 * refuses to run a query on a tenant table unless it is bound to the tenant of the
 * `inTenant` it runs in. It is the isolation on SQLite (which has no row-level security)
 * and a second, independent barrier on PostgreSQL. A refused query throws before it
 * reaches the database; it is a bug, never an answer.
 *
 * Rules, for every statement and every sub-query in it that names a tenant table:
 * - it runs inside `inTenant` (else: "no tenant");
 * - select, update, delete: the WHERE clause (or a join's ON clause) has, at its top level
 *   (AND only, not under OR or NOT), `<tenant column> = <the current tenant>`, the column
 *   qualified by the table's name or alias when the statement names more than one table;
 * - update: never sets the tenant column;
 * - insert: plain VALUES whose tenant column is the current tenant in every row; no
 *   INSERT … SELECT, no ON CONFLICT DO UPDATE, no REPLACE (they could touch a row of
 *   another tenant through a unique key);
 * - raw SQL (`sql\`…\``) never names a tenant table; MERGE is refused.
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { currentTenant, TENANT_TABLES } from './tenant';

export class TenantIsolationError extends Error {
  constructor(message: string) {
    super(`tenant isolation: ${message}`);
    this.name = 'TenantIsolationError';
  }
}

type Node = OperationNode & Record<string, unknown>;
interface ScopedTable {
  table: string;
  alias: string;
  column: string;
  /** A joined table may be bound in its ON clause. */
  on?: Node;
}

const RAW_MENTION = new RegExp(`\\b(${Object.keys(TENANT_TABLES).join('|')})\\b`, 'i');

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

function identifier(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.kind === 'IdentifierNode') return node.name as string;
  if (node.kind === 'SchemableIdentifierNode') return identifier(node.identifier);
  if (node.kind === 'TableNode') return identifier(node.table);
  return undefined;
}

/** The tenant table a FROM / JOIN / INTO item names, with its alias; undefined for others. */
function tenantTable(item: unknown, on?: Node): ScopedTable | undefined {
  if (!isNode(item)) return undefined;
  let table: string | undefined;
  let alias: string | undefined;
  if (item.kind === 'TableNode') table = alias = identifier(item);
  else if (item.kind === 'AliasNode' && isNode(item.node) && item.node.kind === 'TableNode') {
    table = identifier(item.node);
    alias = identifier(item.alias);
  }
  if (!table || !alias || !(table in TENANT_TABLES)) return undefined;
  return { table, alias, column: TENANT_TABLES[table]!, on };
}

function tablesIn(items: unknown): unknown[] {
  return Array.isArray(items) ? items : [];
}

/** The top-level conjuncts of a WHERE / ON expression. */
function conjuncts(node: unknown): Node[] {
  if (!isNode(node)) return [];
  if (node.kind === 'WhereNode') return conjuncts(node.where);
  if (node.kind === 'OnNode') return conjuncts(node.on);
  if (node.kind === 'ParensNode') return conjuncts(node.node);
  if (node.kind === 'AndNode') return [...conjuncts(node.left), ...conjuncts(node.right)];
  return [node];
}

function referencesColumn(node: unknown, target: ScopedTable, alone: boolean): boolean {
  if (!isNode(node) || node.kind !== 'ReferenceNode') return false;
  const column = node.column as Node;
  if (column.kind !== 'ColumnNode' || identifier(column.column) !== target.column) return false;
  const qualifier = identifier(node.table);
  return qualifier === undefined ? alone : qualifier === target.alias;
}

/** 'bound', 'other' (bound to another tenant: refused), or 'unbound'. */
function binding(expression: Node | undefined, target: ScopedTable, alone: boolean, tenant: string): 'bound' | 'other' | 'unbound' {
  let result: 'bound' | 'other' | 'unbound' = 'unbound';
  for (const c of conjuncts(expression)) {
    if (c.kind !== 'BinaryOperationNode' || (c.operator as Node).kind !== 'OperatorNode' || (c.operator as Node).operator !== '=') continue;
    const [reference, value] = referencesColumn(c.leftOperand, target, alone) ? [c.leftOperand, c.rightOperand] : [c.rightOperand, c.leftOperand];
    if (!referencesColumn(reference, target, alone) || !isNode(value) || value.kind !== 'ValueNode') continue;
    if (value.value !== tenant) return 'other';
    result = 'bound';
  }
  return result;
}

function requireBound(kind: string, tables: ScopedTable[], where: Node | undefined, scopeSize: number, tenant: string): void {
  const alone = scopeSize === 1;
  for (const t of tables) {
    const inWhere = binding(where, t, alone, tenant);
    const inOn = t.on ? binding(t.on, t, alone, tenant) : 'unbound';
    if (inWhere === 'other' || inOn === 'other') throw new TenantIsolationError(`${kind} on ${t.table} names another tenant`);
    if (inWhere !== 'bound' && inOn !== 'bound') throw new TenantIsolationError(`${kind} on ${t.table} does not filter on ${t.column} = the current tenant`);
  }
}

function joinedTables(joins: unknown): { all: unknown[]; tenant: ScopedTable[] } {
  const all: unknown[] = [];
  const tenant: ScopedTable[] = [];
  for (const join of tablesIn(joins)) {
    if (!isNode(join)) continue;
    all.push(join.table);
    const t = tenantTable(join.table, join.on as Node | undefined);
    if (t) tenant.push(t);
  }
  return { all, tenant };
}

function rowValue(row: unknown, index: number): { known: boolean; value?: unknown } {
  if (!isNode(row)) return { known: false };
  if (row.kind === 'PrimitiveValueListNode') return { known: true, value: (row.values as unknown[])[index] };
  if (row.kind === 'ValueListNode') {
    const item = (row.values as unknown[])[index];
    return isNode(item) && item.kind === 'ValueNode' ? { known: true, value: item.value } : { known: false };
  }
  return { known: false };
}

function checkStatement(node: Node, tenant: string | undefined): void {
  const need = (table: string) => {
    if (tenant === undefined) throw new TenantIsolationError(`a query on ${table} outside inTenant`);
    return tenant;
  };
  switch (node.kind) {
    case 'SelectQueryNode': {
      const froms = tablesIn((node.from as Node | undefined)?.froms);
      const joins = joinedTables(node.joins);
      const tenantTables = [...froms.map((f) => tenantTable(f)).filter((t): t is ScopedTable => !!t), ...joins.tenant];
      if (tenantTables.length) requireBound('select', tenantTables, node.where as Node | undefined, froms.length + joins.all.length, need(tenantTables[0]!.table));
      return;
    }
    case 'UpdateQueryNode': {
      const froms = [node.table, ...tablesIn((node.from as Node | undefined)?.froms)];
      const joins = joinedTables(node.joins);
      const tenantTables = [...froms.map((f) => tenantTable(f)).filter((t): t is ScopedTable => !!t), ...joins.tenant];
      if (!tenantTables.length) return;
      const t = need(tenantTables[0]!.table);
      const target = tenantTable(node.table);
      if (target) {
        for (const update of tablesIn(node.updates)) {
          if (isNode(update) && identifier((update.column as Node)?.column) === target.column) throw new TenantIsolationError(`update of ${target.table} sets ${target.column}`);
        }
      }
      requireBound('update', tenantTables, node.where as Node | undefined, froms.length + joins.all.length, t);
      return;
    }
    case 'DeleteQueryNode': {
      const froms = [...tablesIn((node.from as Node | undefined)?.froms), ...tablesIn((node.using as Node | undefined)?.tables)];
      const joins = joinedTables(node.joins);
      const tenantTables = [...froms.map((f) => tenantTable(f)).filter((t): t is ScopedTable => !!t), ...joins.tenant];
      if (tenantTables.length) requireBound('delete', tenantTables, node.where as Node | undefined, froms.length + joins.all.length, need(tenantTables[0]!.table));
      return;
    }
    case 'InsertQueryNode': {
      const target = tenantTable(node.into);
      if (!target) return;
      const t = need(target.table);
      if (node.replace || node.orAction || node.onDuplicateKey || (node.onConflict as Node | undefined)?.updates) {
        throw new TenantIsolationError(`insert into ${target.table} with REPLACE or ON CONFLICT DO UPDATE`);
      }
      const values = node.values as Node | undefined;
      if (!values || values.kind !== 'ValuesNode') throw new TenantIsolationError(`insert into ${target.table} without plain VALUES`);
      const index = tablesIn(node.columns).findIndex((c) => isNode(c) && identifier(c.column) === target.column);
      if (index < 0) throw new TenantIsolationError(`insert into ${target.table} without ${target.column}`);
      for (const row of tablesIn(values.values)) {
        const { known, value } = rowValue(row, index);
        if (!known || value !== t) throw new TenantIsolationError(`insert into ${target.table} with ${target.column} other than the current tenant`);
      }
      return;
    }
    case 'MergeQueryNode': {
      const target = tenantTable(node.into);
      if (target) throw new TenantIsolationError(`merge into ${target.table}`);
      return;
    }
    case 'RawNode': {
      const text = (node.sqlFragments as string[]).join(' ');
      const mention = RAW_MENTION.exec(text);
      if (mention) throw new TenantIsolationError(`raw SQL names the tenant table ${mention[1]!.toLowerCase()}`);
      return;
    }
    default:
      return;
  }
}

/** Checks a statement and every statement nested in it; throws TenantIsolationError. */
export function checkTenantIsolation(root: OperationNode, tenant: string | undefined): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    checkStatement(value, tenant);
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) visit(child);
  };
  visit(root);
}

export class TenantGuardPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    checkTenantIsolation(args.node, currentTenant());
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

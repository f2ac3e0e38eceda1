import { createGuard, defaultCatalogue, type Decision } from '../../../src/index.js';
import { purposeGuardExtension, type PrismaOperationParams, type PurposeGuardPrismaExtension } from '../../../src/integrations/prisma/index.js';

/** What the stand-in engine returns for Customer queries: full rows, as a database would. */
export const rows = [
  { id: 1, name: 'Aiko', email: 'aiko@example.jp', cardLast4: '4242', orders: [{ id: 10, total: 120 }] },
  { id: 2, name: 'Bruno', email: 'bruno@example.com', cardLast4: '1881', orders: [] },
];

/**
 * A stand-in for a generated PrismaClient: `$extends` captures the extension
 * (as Prisma does) and each model operation goes through its `$allOperations`
 * hook with a `query` that stands for the database.
 */
export function fakeClient() {
  const executed: { model: string | undefined; operation: string; args: unknown }[] = [];
  let extension: PurposeGuardPrismaExtension | undefined;
  const base = {
    $extends(ext: PurposeGuardPrismaExtension) {
      extension = ext;
      const call = (model: string | undefined, operation: string, args: unknown = {}, result: unknown = rows): Promise<unknown> => {
        const params: PrismaOperationParams = {
          model,
          operation,
          args,
          query: async (a) => {
            executed.push({ model, operation, args: a });
            return structuredClone(result);
          },
        };
        if (model === undefined) return ext.query[operation as '$queryRaw'](params);
        return ext.query.$allModels.$allOperations(params);
      };
      return {
        customer: {
          findMany: (args?: unknown) => call('Customer', 'findMany', args),
          findUnique: (args: unknown) => call('Customer', 'findUnique', args, rows[0]),
          count: (args?: unknown) => call('Customer', 'count', args, 2),
          update: (args: unknown) => call('Customer', 'update', args, rows[0]),
          aggregate: (args: unknown) => call('Customer', 'aggregate', args, { _count: 2 }),
          groupBy: (args: unknown) => call('Customer', 'groupBy', args, [{ id: 1 }]),
          // MongoDB only: Prisma hands these to $allModels.$allOperations like any model operation.
          findRaw: (args?: unknown) => call('Customer', 'findRaw', args),
          aggregateRaw: (args?: unknown) => call('Customer', 'aggregateRaw', args),
        },
        auditLog: { findMany: () => call('AuditLog', 'findMany', {}, [{ id: 1 }]) },
        $queryRaw: () => call(undefined, '$queryRaw', ['SELECT 1']),
        $queryRawTyped: () => call(undefined, '$queryRawTyped', { sql: 'SELECT * FROM customers' }),
        $runCommandRaw: () => call(undefined, '$runCommandRaw', { find: 'Customer' }),
      };
    },
  };
  return { base, executed, extension: () => extension };
}

/** A client over the stand-in with Customer mapped; every decision the guard records lands in `decisions`, with its context and meta. */
export function setup(extra: { raw?: 'deny' | 'passthrough'; unlisted?: 'deny' | 'passthrough' } = {}) {
  const decisions: { d: Decision; meta: unknown; ctx: unknown }[] = [];
  const guard = createGuard(defaultCatalogue, { recorder: { record: async (d, ctx, meta) => void decisions.push({ d, ctx, meta }) } });
  const f = fakeClient();
  const prisma = f.base.$extends(
    purposeGuardExtension({
      guard,
      models: { Customer: { subject: 'customer', fields: { id: 'account', name: 'identity', email: 'contact', cardLast4: 'payment', orders: { id: 'transaction', total: ['transaction', 'payment'] } } } },
      ...extra,
    }),
  );
  return { prisma, executed: f.executed, decisions, extension: f.extension() };
}

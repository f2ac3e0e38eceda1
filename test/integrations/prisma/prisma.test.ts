import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue, PurposeViolationError } from '../../../src/index.js';
import { purposeGuardExtension } from '../../../src/integrations/prisma/index.js';
import { runWithPurpose } from '../../../src/node.js';
import { fakeClient, setup } from './fake-client.js';

describe('purpose-guard/prisma through a client $extends', () => {
  test('the extension has the $allModels.$allOperations shape Prisma takes', () => {
    const { extension } = setup();
    expect(extension?.name).toBe('purpose-guard');
    expect(typeof extension?.query.$allModels.$allOperations).toBe('function');
  });

  test('findMany under customer-support: allowed, minimised (no payment, nested relation minimised)', async () => {
    const { prisma, executed, decisions } = setup();
    const out = await runWithPurpose({ purpose: 'customer-support', actor: 'agent' }, () => prisma.customer.findMany());
    expect(out).toEqual([
      { id: 1, name: 'Aiko', email: 'aiko@example.jp', orders: [{ id: 10 }] },
      { id: 2, name: 'Bruno', email: 'bruno@example.com', orders: [] },
    ]);
    expect(executed).toHaveLength(1);
    expect(decisions[0]?.meta).toEqual({ operation: 'read', method: 'Customer.findMany', via: 'prisma' });
    expect(decisions[0]?.ctx).toMatchObject({ actor: 'agent' });
  });

  test('billing gets payment fields', async () => {
    const { prisma } = setup();
    const out = (await runWithPurpose({ purpose: 'billing' }, () => prisma.customer.findUnique({ where: { id: 1 } }))) as Record<string, unknown>;
    expect(out['cardLast4']).toBe('4242');
    expect(out['orders']).toEqual([{ id: 10, total: 120 }]);
  });

  test('a purpose not permitted, no scope, or an unmapped model: denied before the query', async () => {
    const { prisma, executed } = setup();
    await expect(runWithPurpose({ purpose: 'employment.administration' }, () => prisma.customer.findMany())).rejects.toMatchObject({ reason: 'purpose_not_permitted' });
    await expect(prisma.customer.findMany()).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    await expect(runWithPurpose({ purpose: 'billing' }, () => prisma.auditLog.findMany())).rejects.toMatchObject({ reason: 'invalid_input' });
    expect(executed).toEqual([]);
  });

  test('filtering or selecting a category the purpose may not touch is denied, not silently emptied', async () => {
    const { prisma, executed } = setup();
    const support = (fn: () => Promise<unknown>) => runWithPurpose({ purpose: 'customer-support' }, fn);
    await expect(support(() => prisma.customer.findMany({ where: { cardLast4: '4242' } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ where: { OR: [{ name: 'A' }, { cardLast4: '1' }] } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ select: { cardLast4: true } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ where: { orders: { some: { total: { gt: 100 } } } } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.aggregate({ _max: { cardLast4: true } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    expect(executed).toEqual([]);
    await expect(support(() => prisma.customer.findMany({ select: { cardLast4: false, name: true } }))).resolves.toBeDefined();
  });

  test('an unmapped field in a filter or write is denied (fail closed)', async () => {
    const { prisma, executed } = setup();
    const err = await runWithPurpose({ purpose: 'billing' }, () => prisma.customer.findMany({ where: { ssn: '123' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PurposeViolationError);
    expect((err as PurposeViolationError).decision.reason).toBe('data_category_not_permitted');
    expect((err as PurposeViolationError).decision.message).toContain('Customer.ssn');
    expect(executed).toEqual([]);
  });

  test('writes: categories of data are checked, the operation is recorded as update', async () => {
    const { prisma, decisions } = setup();
    await runWithPurpose({ purpose: 'customer-support' }, () => prisma.customer.update({ where: { id: 1 }, data: { email: 'new@example.jp' } }));
    expect(decisions.at(-1)?.meta).toMatchObject({ operation: 'update', method: 'Customer.update' });
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => prisma.customer.update({ where: { id: 1 }, data: { cardLast4: '0000' } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
  });

  test('counts are checked but not minimised', async () => {
    const { prisma } = setup();
    await expect(runWithPurpose({ purpose: 'customer-support' }, () => prisma.customer.count({ where: { name: 'A' } }))).resolves.toBe(2);
  });

  test('raw SQL is denied by default and passes with raw: passthrough; unlisted: passthrough opens unmapped models', async () => {
    const a = setup();
    await expect(runWithPurpose({ purpose: 'billing' }, () => a.prisma.$queryRaw())).rejects.toMatchObject({ reason: 'invalid_input' });
    // TypedSQL and MongoDB's raw command are SQL or commands the guard cannot map either.
    await expect(runWithPurpose({ purpose: 'billing' }, () => a.prisma.$queryRawTyped())).rejects.toMatchObject({ reason: 'invalid_input' });
    await expect(runWithPurpose({ purpose: 'billing' }, () => a.prisma.$runCommandRaw())).rejects.toMatchObject({ reason: 'invalid_input' });
    expect(a.executed).toEqual([]);
    const b = setup({ raw: 'passthrough', unlisted: 'passthrough' });
    await expect(b.prisma.$queryRaw()).resolves.toBeDefined();
    await expect(b.prisma.auditLog.findMany()).resolves.toEqual([{ id: 1 }]);
  });

  test('a failing audit record denies before the query (strict)', async () => {
    const guard = createGuard(defaultCatalogue, { recorder: { record: () => Promise.reject(new Error('down')) } });
    const f = fakeClient();
    const prisma = f.base.$extends(purposeGuardExtension({ guard, models: { Customer: { subject: 'customer', fields: { id: 'account' } } } }));
    await expect(runWithPurpose({ purpose: 'billing' }, () => prisma.customer.findMany())).rejects.toMatchObject({ reason: 'audit_unavailable' });
    expect(f.executed).toEqual([]);
  });
});

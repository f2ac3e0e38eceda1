import { describe, expect, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../../src/index.js';
import { purposeGuardExtension } from '../../../src/integrations/prisma/index.js';
import { runWithPurpose } from '../../../src/node.js';
import { fakeClient, setup } from './fake-client.js';

// Arguments the extension used to skip (MongoDB raw operations, having, include, _count filters, distinct), and
// refusals it used to leave off the audit trail.
const support = <T>(fn: () => Promise<T>) => runWithPurpose({ purpose: 'customer-support' }, fn);
const billing = <T>(fn: () => Promise<T>) => runWithPurpose({ purpose: 'billing' }, fn);

describe('purpose-guard/prisma: MongoDB raw operations', () => {
  test('findRaw and aggregateRaw are denied like raw SQL, before the engine, even for a purpose that may read every field', async () => {
    const { prisma, executed, decisions } = setup();
    await expect(billing(() => prisma.customer.findRaw({ filter: { cardLast4: '4242' } }))).rejects.toMatchObject({ reason: 'invalid_input', decision: { rule: 'Customer.findRaw' } });
    await expect(billing(() => prisma.customer.aggregateRaw({ pipeline: [{ $match: { cardLast4: '4242' } }] }))).rejects.toMatchObject({ reason: 'invalid_input' });
    expect(executed).toEqual([]);
    expect(decisions.map((e) => e.meta)).toEqual([
      { operation: 'raw', method: 'Customer.findRaw', via: 'prisma' },
      { operation: 'raw', method: 'Customer.aggregateRaw', via: 'prisma' },
    ]);
  });

  test('raw: passthrough runs them', async () => {
    const { prisma, executed } = setup({ raw: 'passthrough' });
    await expect(prisma.customer.findRaw({ filter: {} })).resolves.toBeDefined();
    expect(executed).toHaveLength(1);
  });
});

describe('purpose-guard/prisma: every argument that names fields is inspected', () => {
  test('groupBy having on payment data is denied; on a permitted field it runs', async () => {
    const { prisma, executed } = setup();
    await expect(support(() => prisma.customer.groupBy({ by: ['id'], having: { cardLast4: { _min: { equals: '4242' } } } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.groupBy({ by: ['id'], having: { OR: [{ name: { _count: { gt: 1 } } }, { cardLast4: { _max: { gt: '1' } } }] } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    expect(executed).toEqual([]);
    await expect(support(() => prisma.customer.groupBy({ by: ['name'], having: { name: { _count: { gt: 1 } } } }))).resolves.toEqual([{ id: 1 }]);
  });

  test('an aggregate counting payment data is denied; counting all records or a permitted field runs', async () => {
    const { prisma, executed } = setup();
    await expect(support(() => prisma.customer.aggregate({ _count: { cardLast4: true } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.groupBy({ by: ['id'], _count: { cardLast4: true } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    expect(executed).toEqual([]);
    await expect(support(() => prisma.customer.aggregate({ _count: { _all: true, name: true, cardLast4: false } }))).resolves.toEqual({ _count: 2 });
    await expect(support(() => prisma.customer.aggregate({ _count: true }))).resolves.toEqual({ _count: 2 });
  });

  test('a filter on payment data inside include is denied, as it is inside select', async () => {
    const { prisma, executed } = setup();
    await expect(support(() => prisma.customer.findMany({ include: { orders: { where: { total: { gt: 100 } } } } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ include: { orders: { orderBy: { total: 'desc' } } } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    const unmapped = await billing(() => prisma.customer.findMany({ include: { orders: { where: { coupon: 'X' } } } })).catch((e: unknown) => e);
    expect(unmapped).toMatchObject({ reason: 'data_category_not_permitted', message: expect.stringContaining('Customer.orders.coupon') });
    expect(executed).toEqual([]);
  });

  test('a relation taken whole (include or select: true) discloses what the purpose permits, the rest is minimised', async () => {
    const { prisma } = setup();
    const out = (await support(() => prisma.customer.findMany({ include: { orders: true } }))) as { orders: unknown }[];
    expect(out[0]?.orders).toEqual([{ id: 10 }]);
    const selected = (await support(() => prisma.customer.findMany({ select: { id: true, orders: true } }))) as { orders: unknown }[];
    expect(selected[0]?.orders).toEqual([{ id: 10 }]);
    // Paging and omit read no field of the relation.
    await expect(support(() => prisma.customer.findMany({ include: { orders: { take: 5, skip: 0, omit: { total: true } }, _count: true } }))).resolves.toBeDefined();
  });

  test('a _count filter on payment data is denied; a plain _count is not', async () => {
    const { prisma } = setup();
    await expect(support(() => prisma.customer.findMany({ include: { _count: { select: { orders: { where: { total: { gt: 100 } } } } } } }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ select: { id: true, _count: { select: { orders: true } } } }))).resolves.toBeDefined();
  });

  test('distinct on payment data is denied', async () => {
    const { prisma } = setup();
    await expect(support(() => prisma.customer.findMany({ distinct: ['cardLast4'] }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ distinct: 'cardLast4' }))).rejects.toMatchObject({ reason: 'data_category_not_permitted' });
    await expect(support(() => prisma.customer.findMany({ distinct: ['name'] }))).resolves.toBeDefined();
  });
});

describe('purpose-guard/prisma: every refusal is recorded', () => {
  test('no purpose in scope, an unmapped model and raw SQL each leave one audit event, with the scope context', async () => {
    const { prisma, decisions } = setup();
    await expect(prisma.customer.findMany()).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    await expect(runWithPurpose({ purpose: 'billing', actor: 'svc' }, () => prisma.auditLog.findMany())).rejects.toMatchObject({ reason: 'invalid_input' });
    await expect(billing(() => prisma.$queryRaw())).rejects.toMatchObject({ reason: 'invalid_input' });
    expect(decisions.map((e) => [e.d.reason, e.meta])).toEqual([
      ['no_purpose_in_scope', { operation: 'read', method: 'Customer.findMany', via: 'prisma' }],
      ['invalid_input', { operation: 'read', method: 'AuditLog.findMany', via: 'prisma' }],
      ['invalid_input', { operation: 'raw', method: '$queryRaw', via: 'prisma' }],
    ]);
    expect(decisions[1]?.ctx).toMatchObject({ actor: 'svc' });
  });

  test('a refusal whose record fails is still a refusal, and the failure is reported', async () => {
    const failures: unknown[] = [];
    const guard = createGuard(defaultCatalogue, { recorder: { record: () => Promise.reject(new Error('down')) }, onAuditError: (e) => void failures.push(e) });
    const f = fakeClient();
    const prisma = f.base.$extends(purposeGuardExtension({ guard, models: { Customer: { subject: 'customer', fields: { id: 'account' } } } }));
    await expect(prisma.customer.findMany()).rejects.toMatchObject({ reason: 'no_purpose_in_scope' });
    await expect(prisma.customer.findRaw({})).rejects.toMatchObject({ reason: 'invalid_input' });
    expect(f.executed).toEqual([]);
    expect(failures).toHaveLength(2);
  });
});

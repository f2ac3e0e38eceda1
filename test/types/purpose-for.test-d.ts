import type { RequestHandler } from 'express';
import type { FastifyRequest } from 'fastify';
import { describe, expectTypeOf, test } from 'vitest';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { purposeFor as expressPurposeFor } from '../../src/integrations/express/index.js';
import { purposeFor as fastifyPurposeFor } from '../../src/integrations/fastify/index.js';
import type { PurposeDeclaration } from '../../src/node.js';

/** `purposeFor` needs the guard's catalogue; its `record` is optional (without it, the adapter's 403s are not recorded). */
describe('purposeFor takes an object with only a catalogue', () => {
  test('Express: { catalogue } compiles, and its purposes are still checked', () => {
    const purpose = expressPurposeFor({ catalogue: defaultCatalogue });
    expectTypeOf(purpose('customer-support')).toEqualTypeOf<RequestHandler>();
    // @ts-expect-error a misspelt purpose
    purpose('customer-suport');
    // @ts-expect-error a record that is not a recorder
    expressPurposeFor({ catalogue: defaultCatalogue, record: 42 });
    expectTypeOf(expressPurposeFor(createGuard(defaultCatalogue))('billing')).toEqualTypeOf<RequestHandler>();
  });

  test('Fastify: { catalogue } compiles, and its purposes are still checked', () => {
    const purpose = fastifyPurposeFor({ catalogue: defaultCatalogue });
    expectTypeOf(purpose('billing')).toEqualTypeOf<PurposeDeclaration<FastifyRequest>>();
    // @ts-expect-error a misspelt purpose
    purpose('biling');
    // @ts-expect-error a record that is not a recorder
    fastifyPurposeFor({ catalogue: defaultCatalogue, record: 42 });
    expectTypeOf(fastifyPurposeFor(createGuard(defaultCatalogue))('billing')).toEqualTypeOf<PurposeDeclaration<FastifyRequest>>();
  });
});

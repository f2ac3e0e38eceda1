import type { Request, RequestHandler } from 'express';
import type { FastifyRequest } from 'fastify';
import { describe, expectTypeOf, test } from 'vitest';
import { createGuard, defaultCatalogue, defineCatalogue } from '../../src/index.js';
import { purposeFor as expressPurposeFor } from '../../src/integrations/express/index.js';
import { purposeFor as fastifyPurposeFor } from '../../src/integrations/fastify/index.js';
import { type PurposeDeclaration, purposeScopes } from '../../src/node.js';

const guard = createGuard(defaultCatalogue);
const scopes = purposeScopes(guard);

declare const runtimePurpose: string;

describe('purposeScopes(guard): scopes bound to the catalogue', () => {
  test('declared purposes compile, and run returns what fn returns', () => {
    expectTypeOf(scopes.run({ purpose: 'customer-support', actor: 'agent-7' }, () => 42)).toEqualTypeOf<number>();
    expectTypeOf(scopes.declare('billing')).toEqualTypeOf<PurposeDeclaration<unknown>>();
    // Records' purposes may be plain strings, as loaded from a database; the run-time check refuses undeclared ones.
    const fromDb: { purpose: string; grantedAt: string }[] = [];
    scopes.run({ purpose: 'marketing.notifications', consents: fromDb }, () => 1);
    scopes.declare({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketing', grantedAt: '2026-01-01T00:00:00Z' }] });
  });

  test('an undeclared purpose is a compile error', () => {
    // @ts-expect-error a misspelt purpose
    scopes.run({ purpose: 'customer-suport' }, () => 1);
    // @ts-expect-error ids match exactly
    scopes.declare('Billing');
    // @ts-expect-error a declaration function must answer a declared purpose
    scopes.declare(() => ({ purpose: 'payroll' }));
  });

  test('literal record purposes, data categories and exception grounds are checked as checkUse checks them', () => {
    const grantedAt = '2026-01-01T00:00:00Z';
    scopes.run({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketing', grantedAt }] }, () => 1);
    expectTypeOf(scopes.declare({ purpose: 'billing', collectedFor: ['billing'] })).toEqualTypeOf<PurposeDeclaration<unknown>>();
    // @ts-expect-error a misspelt consent purpose
    scopes.run({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketng', grantedAt }] }, () => 1);
    // @ts-expect-error a misspelt objection purpose
    scopes.declare({ purpose: 'marketing.notifications', objections: [{ purpose: 'Marketing', at: grantedAt }] });
    // @ts-expect-error collectedFor names purposes of this catalogue
    scopes.run({ purpose: 'billing', collectedFor: ['bililng'] }, () => 1);
    // @ts-expect-error not an APPI Art. 18(3) ground
    scopes.run({ purpose: 'billing', exception: { ground: 'because', reference: 'x' } }, () => 1);
    // @ts-expect-error a misspelt context field is refused, not ignored
    scopes.run({ purpose: 'billing', actr: 'svc' }, () => 1);
    // @ts-expect-error a misspelt context field in a declaration
    scopes.declare({ purpose: 'billing', consent: [] });
  });

  test('purpose ids known only at run time compile (checked when the scope opens or the route is declared); literals stay checked', () => {
    expectTypeOf(scopes.run({ purpose: runtimePurpose }, () => 42)).toEqualTypeOf<number>();
    scopes.run({ purpose: runtimePurpose, actor: 'svc', dataCategories: ['contact'] }, () => 1);
    expectTypeOf(scopes.declare(runtimePurpose)).toEqualTypeOf<PurposeDeclaration<unknown>>();
    scopes.declare({ purpose: runtimePurpose, actor: 'svc' });
    expectTypeOf(scopes.declare((req: { header: string }) => req.header)).toEqualTypeOf<PurposeDeclaration<{ header: string }>>();
    scopes.declare((req: { header: string }) => ({ purpose: req.header, actor: 'svc' }));
  });

  test('misspelt fields inside scope records are a compile error', () => {
    const grantedAt = '2026-01-01T00:00:00Z';
    scopes.run({ purpose: 'billing', consents: [{ purpose: 'billing', grantedAt, withdrawnAt: grantedAt }] }, () => 1);
    // @ts-expect-error "withdrawAt" is not a field of a consent record
    scopes.run({ purpose: 'billing', consents: [{ purpose: 'billing', grantedAt, withdrawAt: grantedAt }] }, () => 1);
    // @ts-expect-error "on" is not a field of an objection record
    scopes.declare({ purpose: 'billing', objections: [{ purpose: 'marketing', at: grantedAt, on: grantedAt }] });
    // @ts-expect-error "consentImpractical" is not a field of a legal exception
    scopes.run({ purpose: 'billing', exception: { ground: 'laws_and_regulations', reference: 'x', consentImpractical: true } }, () => 1);
  });

  test('undeclared data categories in the scope context are a compile error', () => {
    // @ts-expect-error not a data category of the catalogue
    scopes.run({ purpose: 'billing', dataCategories: ['dna'] }, () => 1);
  });

  test('the binding follows the guard: another catalogue, other purposes', () => {
    const small = defineCatalogue({
      version: 's-1',
      controller: { name: 'S' },
      dataCategories: {},
      purposes: { support: { title: 'Support', basis: 'contract' } },
      subjects: { member: { title: 'Members', purposes: { support: 's' } } },
    });
    const own = purposeScopes(createGuard(small));
    own.declare('support');
    // @ts-expect-error billing is the default catalogue's, not this one's
    own.declare('billing');
  });
});

describe('purposeFor(guard) in the Express and Fastify adapters', () => {
  test('Express: a typed route middleware', () => {
    const purpose = expressPurposeFor(guard);
    expectTypeOf(purpose('customer-support')).toEqualTypeOf<RequestHandler>();
    purpose((req) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      return { purpose: 'billing', actor: req.get('x-user') ?? 'unknown' };
    });
    // @ts-expect-error a misspelt purpose
    purpose('customer-suport');
    // A purpose read from the request at run time compiles: an undeclared answer is an unknown_purpose 403.
    purpose((req) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      return req.get('x-purpose') ?? 'billing';
    });
    purpose((req) => ({ purpose: req.get('x-purpose') ?? 'billing', actor: req.get('x-user') }));
    expectTypeOf(purpose(runtimePurpose)).toEqualTypeOf<RequestHandler>();
    // @ts-expect-error a misspelt field in a consent record
    purpose({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketing', grantedAt: '2026-01-01T00:00:00Z', withdrawAt: '2026-01-02T00:00:00Z' }] });
    // @ts-expect-error a literal consent purpose must be declared
    purpose({ purpose: 'marketing.notifications', consents: [{ purpose: 'marketng', grantedAt: '2026-01-01T00:00:00Z' }] });
  });

  test('Fastify: a typed config.purpose', () => {
    const purpose = fastifyPurposeFor(guard);
    expectTypeOf(purpose('billing')).toEqualTypeOf<PurposeDeclaration<FastifyRequest>>();
    purpose((req) => {
      expectTypeOf(req).toEqualTypeOf<FastifyRequest>();
      return 'billing';
    });
    // @ts-expect-error a misspelt purpose
    purpose('biling');
    purpose((req) => {
      expectTypeOf(req).toEqualTypeOf<FastifyRequest>();
      return String(req.headers['x-purpose']);
    });
    expectTypeOf(purpose({ purpose: runtimePurpose })).toEqualTypeOf<PurposeDeclaration<FastifyRequest>>();
    // @ts-expect-error a literal data category must be declared
    purpose({ purpose: 'billing', dataCategories: ['dna'] });
  });
});

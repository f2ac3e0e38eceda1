import { z } from 'zod';
import type { CatalogueSpec } from '../catalogue/types.js';
import { isPlainRecord, lendsFields } from './context.js';
import { toEpochMs } from './dates.js';

const dateInput = z.union([
  // Not z.date(): it tests `instanceof Date` and calls an overridable `getTime`, so it refuses a Date from
  // another realm (a vm context, an iframe) and accepts an object that only pretends. checkUse reads the
  // Date's internal time slot; so does the reference.
  z.custom<Date>((v) => typeof v === 'object' && v !== null && !Number.isNaN(toEpochMs(v)), { message: 'must be a valid Date' }),
  z.string().refine((s) => !Number.isNaN(toEpochMs(s)), { message: 'must be an RFC 3339 date-time with Z or an offset' }),
]);

const epoch = (v: Date | string | undefined): number => (v === undefined ? Number.NaN : toEpochMs(v));

/**
 * The zod schema of a context for this catalogue: the reference for what
 * `checkUse` accepts. `checkUse` itself checks the context with hand-written
 * code (zod per call would cost the hot path its speed); a property test keeps
 * the two in agreement. Use it to validate contexts from untrusted documents
 * (a JSON file, a message), where the cost does not matter and zod's error
 * report does.
 *
 * @example
 * const result = contextSchemaFor(defaultCatalogue).safeParse(JSON.parse(text));
 * if (!result.success) console.error(z.prettifyError(result.error));
 */
export function contextSchemaFor(catalogue: CatalogueSpec) {
  const purposes = Object.keys(catalogue.purposes);
  const purpose = z.string().refine((p) => purposes.includes(p), { message: 'must be a declared purpose' });
  // Tested on the input itself: an object schema reads fields into a new object, whose prototype says nothing.
  const plain = z.custom<object>((v) => typeof v !== 'object' || v === null || Array.isArray(v) || isPlainRecord(v), { message: 'must be a plain object' });
  const own = (fields: readonly string[]) =>
    z.custom<object>((v) => typeof v !== 'object' || v === null || !lendsFields(v, fields), { message: 'must hold its fields itself, not on its prototype' });
  const consent = own(['purpose', 'grantedAt', 'withdrawnAt', 'expiresAt', 'id']).pipe(z
    .strictObject({
      purpose,
      grantedAt: dateInput,
      withdrawnAt: dateInput.optional(),
      expiresAt: dateInput.optional(),
      id: z.string().optional(),
    })
    .refine((c) => !(epoch(c.withdrawnAt) < epoch(c.grantedAt)), { message: 'withdrawnAt is before grantedAt', path: ['withdrawnAt'] })
    .refine((c) => !(epoch(c.expiresAt) < epoch(c.grantedAt)), { message: 'expiresAt is before grantedAt', path: ['expiresAt'] }));
  return plain
    .pipe(z.strictObject({
      now: dateInput.optional(),
      consents: z.array(consent).optional(),
      objections: z.array(own(['purpose', 'at']).pipe(z.strictObject({ purpose, at: dateInput }))).optional(),
      dataCategories: z.array(z.string()).optional(),
      collectedFor: z.array(purpose).optional(),
      relationshipEndedAt: dateInput.optional(),
      exception: own(['ground', 'reference', 'consentImpracticable'])
        .pipe(
          z.strictObject({
            ground: z.string(),
            reference: z.string(),
            consentImpracticable: z.boolean().optional(),
          }),
        )
        .optional(),
      actor: z.string().optional(),
      subjectId: z.string().optional(),
    }))
    .optional();
}

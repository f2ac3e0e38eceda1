import { z } from 'zod';
import { PURPOSE_ID_PATTERN, SIMPLE_ID_PATTERN } from '../ids/ids.js';

/**
 * The GDPR Art. 6(1) lawful bases a purpose can rest on.
 *
 * @example
 * LEGAL_BASES.includes('contract'); // true
 */
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;

const text = z.string().min(1, 'must be a non-empty string');
const purposeId = z.string().regex(PURPOSE_ID_PATTERN, {
  message: 'must be lower-case ASCII segments of [a-z0-9-] separated by single dots',
});
const simpleId = z.string().regex(SIMPLE_ID_PATTERN, {
  message: 'must be lower-case ASCII of [a-z0-9_-], starting with a letter or digit',
});

/** IANA zones are checked against the runtime's own tz database, the same one `@date-fns/tz` uses. */
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone.length > 0 && zone !== 'local';
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "Asia/Tokyo" or "UTC"' },
);

const count = z.number().int().nonnegative().max(10_000);

/** A date-fns `Duration` restricted to whole, non-negative calendar and clock units. */
export const durationSchema = z
  .strictObject({
    years: count.optional(),
    months: count.optional(),
    weeks: count.optional(),
    days: count.optional(),
    hours: count.optional(),
    minutes: count.optional(),
    seconds: count.optional(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined && v > 0), {
    message: 'must name at least one unit greater than zero',
  });

const noticeEntry = z.union([
  text,
  z.strictObject({
    text,
    style: z.enum(['bullet', 'note']).optional(),
  }),
]);

/**
 * The zod schema of a catalogue's structure. Cross-references (undeclared
 * parents, unknown purposes, cycles...) are checked by `parseCatalogue`, which
 * is what you want to call; the schema is exported for composition and JSON Schema export.
 *
 * @example
 * import { z } from 'zod';
 * const jsonSchema = z.toJSONSchema(catalogueSchema);
 */
export const catalogueSchema = z.strictObject({
  version: text,
  timeZone: timeZone.optional(),
  controller: z.strictObject({
    name: text,
    contact: text.optional(),
    academicResearchInstitution: z.boolean().optional(),
  }),
  notice: z
    .strictObject({
      heading: text.optional(),
      intro: text.optional(),
    })
    .optional(),
  dataCategories: z.record(
    simpleId,
    z.strictObject({
      title: text,
      description: text.optional(),
      specialCare: z.boolean().optional(),
    }),
  ),
  purposes: z.record(
    purposeId,
    z.strictObject({
      title: text,
      description: text.optional(),
      basis: z.enum(LEGAL_BASES).optional(),
      basisNote: text.optional(),
      requiresConsent: z.boolean().optional(),
      objectable: z.boolean().optional(),
      dataCategories: z.array(simpleId).optional(),
      compatibleWith: z.array(purposeId).optional(),
    }),
  ),
  subjects: z.record(
    simpleId,
    z.strictObject({
      title: text,
      description: text.optional(),
      noticeHeading: text.optional(),
      purposes: z.record(purposeId, noticeEntry),
      prohibited: z.array(purposeId).optional(),
      retention: z
        .strictObject({
          duration: durationSchema,
          note: text.optional(),
        })
        .optional(),
    }),
  ),
});

/**
 * The format of a conformance file (see README.md in this folder), as a zod
 * schema: the runner validates every file with it before running its cases.
 */
import { z } from 'zod';

const reason = z.string().regex(/^[a-z_]+$/);

/** What a case expects; fields left out are not checked. */
export const expectedSchema = z.strictObject({
  allowed: z.boolean(),
  reason,
  /** The catalogue path (allow, and catalogue-rule denies) that decided. */
  rule: z.string().optional(),
  /** The consent id an allow cites. */
  consentId: z.string().optional(),
  /** The ground of a `permitted_by_exception` allow. */
  exceptionGround: z.string().optional(),
});

/** One call of `checkUse`: arguments as JSON values; `context` left out means no context at all. */
export const callSchema = z.strictObject({
  subject: z.unknown(),
  purpose: z.unknown(),
  context: z.unknown().optional(),
  /** The guard's clock, for cases whose context has no `now`. Default: an invalid clock (time must then not matter). */
  clock: z.string().optional(),
});

/** A conformance file: one catalogue and the cases decided against it. */
export const conformanceFileSchema = z.strictObject({
  description: z.string().min(1),
  catalogue: z.record(z.string(), z.unknown()),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        call: callSchema,
        expected: expectedSchema,
      }),
    )
    .min(1),
});

/** A parsed conformance file. */
export type ConformanceFile = z.infer<typeof conformanceFileSchema>;

import { z } from 'zod';
import { isArrayIndex, PURPOSE_ID_PATTERN, SIMPLE_ID_PATTERN } from '../ids/ids.js';

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

/**
 * Which catalogue issue code a refinement's issue maps to (`parse.ts` reads it from the issue's `params`),
 * so that a refused id is `invalid_id` however it is checked.
 */
export interface IssueParams {
  readonly catalogueCode: 'invalid_id' | 'invalid_value';
}

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Empty, or only white space (invisible spaces such as U+200B and U+FEFF included). */
const BLANK = /^[\s\u180e\u200b-\u200d\u2060]*$/u;
/** Line terminators (ECMAScript's, NEL, and the vertical tab and form feed, at which Unicode also breaks a line). */
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/u;
/** The other C0 and C1 control characters (a tab is allowed): a terminal acts on them (ESC starts an escape sequence). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/u;

const notBlank = (value: string, ctx: z.RefinementCtx): void => {
  if (BLANK.test(value)) ctx.addIssue({ code: 'custom', message: value === '' ? 'must be a non-empty string' : 'must not be empty or only white space' });
};

/** Free text (descriptions): anything but blank. */
const text = z.string().superRefine(notBlank);

/**
 * Text printed as one line of the privacy notice or of the records of processing (the version, names, titles,
 * headings, the intro, a purpose's text, notes): a line break in it would start a line of its own there, and
 * could forge a section of the notice.
 */
const line = z.string().superRefine((value, ctx) => {
  notBlank(value, ctx);
  const brk = LINE_BREAK.exec(value);
  if (brk !== null) {
    ctx.addIssue({
      code: 'custom',
      message: `must be one line: it holds a line break (${codePoint(brk[0])}) at index ${brk.index}, which would start a line of its own in the privacy notice or the records of processing`,
    });
  }
  const control = CONTROL.exec(value);
  if (control !== null) ctx.addIssue({ code: 'custom', message: `must not hold control characters (${codePoint(control[0])} at index ${control.index})` });
});

const notAnIndex = (id: string): boolean => !isArrayIndex(id);
const indexIssue = {
  message:
    'must not be a number such as "2024": JavaScript lists such keys first, whatever their place, so the privacy notice and the records of processing would not follow catalogue order; add a letter (e.g. "y2024")',
  params: { catalogueCode: 'invalid_id' } satisfies IssueParams,
};
const purposeId = z
  .string()
  .regex(PURPOSE_ID_PATTERN, { message: 'must be lower-case ASCII segments of [a-z0-9-] separated by single dots' })
  .refine(notAnIndex, indexIssue);
const simpleId = z
  .string()
  .regex(SIMPLE_ID_PATTERN, { message: 'must be lower-case ASCII of [a-z0-9_-], starting with a letter or digit' })
  .refine(notAnIndex, indexIssue);

/**
 * IANA zones whose current name and the name ICU keeps as canonical differ (CLDR keeps the old one): both are
 * accepted on every runtime, whichever of the two its `Intl.supportedValuesOf('timeZone')` lists.
 */
const RENAMED_ZONES: readonly (readonly [iana: string, icu: string])[] = [
  ['Africa/Asmara', 'Africa/Asmera'],
  ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires'],
  ['America/Argentina/Catamarca', 'America/Catamarca'],
  ['America/Argentina/Cordoba', 'America/Cordoba'],
  ['America/Argentina/Jujuy', 'America/Jujuy'],
  ['America/Argentina/Mendoza', 'America/Mendoza'],
  ['America/Atikokan', 'America/Coral_Harbour'],
  ['America/Indiana/Indianapolis', 'America/Indianapolis'],
  ['America/Kentucky/Louisville', 'America/Louisville'],
  ['America/Nuuk', 'America/Godthab'],
  ['Asia/Ho_Chi_Minh', 'Asia/Saigon'],
  ['Asia/Kathmandu', 'Asia/Katmandu'],
  ['Asia/Kolkata', 'Asia/Calcutta'],
  ['Asia/Yangon', 'Asia/Rangoon'],
  ['Atlantic/Faroe', 'Atlantic/Faeroe'],
  ['Europe/Kyiv', 'Europe/Kiev'],
  ['Pacific/Chuuk', 'Pacific/Truk'],
  ['Pacific/Kanton', 'Pacific/Enderbury'],
  ['Pacific/Pohnpei', 'Pacific/Ponape'],
];

let knownZoneSet: ReadonlySet<string> | undefined;
/** The zone names accepted, spelled exactly: the runtime's canonical list, UTC and Etc/UTC, and both names of a renamed zone. */
function knownZones(): ReadonlySet<string> {
  if (knownZoneSet === undefined) {
    const zones = new Set<string>(['UTC', 'Etc/UTC']);
    try {
      for (const zone of Intl.supportedValuesOf('timeZone')) zones.add(zone);
    } catch {
      // a runtime without the list accepts UTC and the renamed zones only
    }
    for (const pair of RENAMED_ZONES) for (const zone of pair) zones.add(zone);
    // The fixed-offset zones are canonical IANA names too, though Intl's list leaves them out.
    zones.add('Etc/GMT');
    for (let h = 1; h <= 14; h++) {
      zones.add(`Etc/GMT-${h}`);
      if (h <= 12) zones.add(`Etc/GMT+${h}`);
    }
    knownZoneSet = zones;
  }
  return knownZoneSet;
}

/** The zone the runtime's tz database (the one `@date-fns/tz` uses) reads `zone` as, or undefined if it knows none. */
function resolveZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * A canonical IANA zone name, spelled exactly. The runtime's tz database also takes "utc", "America/new_york" and
 * other names for a zone ("JST", "US/Pacific", "EST"): a catalogue names one zone, literally.
 */
const timeZone = z.string().superRefine((zone, ctx) => {
  const resolved = resolveZone(zone);
  if (resolved !== undefined && knownZones().has(zone)) return;
  // The hint names the current IANA name where ICU still resolves to the old one (Europe/Uzhgorod -> Europe/Kyiv).
  const current = RENAMED_ZONES.find(([, icu]) => icu === resolved)?.[0] ?? resolved;
  const hint = current !== undefined && knownZones().has(current) ? `; "${zone}" is read as "${current}": write that` : '';
  ctx.addIssue({ code: 'custom', message: `must be a canonical IANA time zone name, spelled exactly, such as "Asia/Tokyo" or "UTC"${hint}` });
});

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
  line,
  z.strictObject({
    text: line,
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
  version: line,
  timeZone: timeZone.optional(),
  controller: z.strictObject({
    name: line,
    contact: line.optional(),
    academicResearchInstitution: z.boolean().optional(),
  }),
  notice: z
    .strictObject({
      heading: line.optional(),
      intro: line.optional(),
    })
    .optional(),
  dataCategories: z.record(
    simpleId,
    z.strictObject({
      title: line,
      description: text.optional(),
      specialCare: z.boolean().optional(),
    }),
  ),
  purposes: z.record(
    purposeId,
    z.strictObject({
      title: line,
      description: text.optional(),
      basis: z.enum(LEGAL_BASES).optional(),
      basisNote: line.optional(),
      requiresConsent: z.boolean().optional(),
      objectable: z.boolean().optional(),
      dataCategories: z.array(simpleId).optional(),
      compatibleWith: z.array(purposeId).optional(),
    }),
  ),
  subjects: z.record(
    simpleId,
    z.strictObject({
      title: line,
      description: text.optional(),
      noticeHeading: line.optional(),
      purposes: z.record(purposeId, noticeEntry),
      prohibited: z.array(purposeId).optional(),
      retention: z
        .strictObject({
          duration: durationSchema,
          note: line.optional(),
        })
        .optional(),
    }),
  ),
});

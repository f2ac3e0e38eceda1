import { parseISO } from 'date-fns';

/**
 * RFC 3339 `date-time` with a mandatory offset (section 5.6). `parseISO` alone
 * is too lenient for a guard: it reads `2024-01-01` and offset-less times as
 * local time (machine-dependent) and accepts `24:00`, so the grammar is checked first.
 * Seconds of 60 (leap seconds) are refused: a JavaScript `Date` cannot hold them.
 */
const RFC3339 = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Converts a context date (`Date` or RFC 3339 string with an offset) to epoch
 * milliseconds, or `NaN` when it is not one. Never throws.
 *
 * @example
 * toEpochMs('2026-01-01T09:00:00+09:00'); // 1767225600000
 * toEpochMs('2026-01-01');                // NaN: no time and no offset
 */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'string') {
    if (value.length > 40 || !RFC3339.test(value)) return Number.NaN;
    // parseISO wants upper-case designators and a `T`; RFC 3339 allows `t`, `z` and a space.
    const normal = value.charCodeAt(10) === 84 && value.charCodeAt(value.length - 1) !== 122 ? value : `${value.slice(0, 10)}T${value.slice(11)}`.replace(/z$/, 'Z');
    // An impossible day (2024-02-30) makes parseISO return an Invalid Date.
    const dot = normal.indexOf('.');
    if (dot < 0) return parseISO(normal).getTime();
    // parseISO reads the fraction as a float (01.001 s -> 1000.999... ms) and the Date truncates toward zero:
    // a millisecond lost near 1970, one gained before it. Whole milliseconds are read here; finer digits are dropped.
    let end = dot + 1;
    while (end < normal.length && normal.charCodeAt(end) >= 48 && normal.charCodeAt(end) <= 57) end++;
    const millis = Number(normal.slice(dot + 1, Math.min(end, dot + 4)).padEnd(3, '0'));
    return parseISO(normal.slice(0, dot) + normal.slice(end)).getTime() + millis;
  }
  if (typeof value === 'object' && value !== null) {
    try {
      // Reads the internal time slot: works for Dates from other realms, throws for anything else (including Proxies of Dates).
      return Date.prototype.getTime.call(value);
    } catch {
      return Number.NaN;
    }
  }
  return Number.NaN;
}

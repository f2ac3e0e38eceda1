/**
 * Lookup tables, built on first use: the date part of a day is cached whole
 * (record dates cluster on few days), the time of day is joined from three pieces.
 */
let tables: { y2: string[]; md: string[]; hm: string[]; ss: string[]; ms: string[] } | undefined;
// A direct-mapped cache of day prefixes: a slot per day modulo its size, so it is bounded with no eviction
// bookkeeping, and a lookup is two array reads (a Map with number keys costs several times more).
const SLOTS = 1024;
const slotDay = new Float64Array(SLOTS).fill(Number.NaN);
const slotPrefix: string[] = new Array<string>(SLOTS).fill('');

function buildTables(): NonNullable<typeof tables> {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return {
    y2: Array.from({ length: 100 }, (_, i) => pad(i, 2)),
    md: Array.from({ length: 13 * 32 }, (_, i) => `-${pad(Math.floor(i / 32), 2)}-${pad(i % 32, 2)}T`),
    hm: Array.from({ length: 1440 }, (_, i) => `${pad(Math.floor(i / 60), 2)}:${pad(i % 60, 2)}:`),
    ss: Array.from({ length: 60 }, (_, i) => `${pad(i, 2)}.`),
    ms: Array.from({ length: 1000 }, (_, i) => `${pad(i, 3)}Z`),
  };
}

/** `YYYY-MM-DDT` of a day, given as days since 0000-03-01, from integer arithmetic (days to civil date after H. Hinnant); undefined past 9999. */
function dayPrefix(t: NonNullable<typeof tables>, z: number): string | undefined {
  const era = (z / 146_097) | 0;
  const doe = z - era * 146_097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y > 9999 ? undefined : `${t.y2[(y / 100) | 0]}${t.y2[y % 100]}${t.md[m * 32 + d]}`;
}

/**
 * `new Date(ms).toISOString()` without the runtime call, which costs about
 * ten times more: every decision that cites a consent or an objection formats
 * one. Instants outside 0000-03-01..9999-12-31 fall back to `toISOString`.
 *
 * @example
 * iso(0); // '1970-01-01T00:00:00.000Z'
 */
export function iso(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const z = days + 719_468;
  // From 0000-03-01 on, z is a small non-negative integer, so `| 0` is floor.
  if (!(z >= 0 && z < 3_652_425)) return new Date(ms).toISOString();
  tables ??= buildTables();
  const t = tables;
  const slot = z & (SLOTS - 1);
  let prefix: string | undefined = slotPrefix[slot] as string;
  if (slotDay[slot] !== days) {
    prefix = dayPrefix(t, z);
    if (prefix === undefined) return new Date(ms).toISOString();
    slotDay[slot] = days;
    slotPrefix[slot] = prefix;
  }
  let rest = ms - days * 86_400_000;
  const minutes = (rest / 60_000) | 0;
  rest -= minutes * 60_000;
  const sec = (rest / 1000) | 0;
  return prefix + t.hm[minutes] + t.ss[sec] + t.ms[rest - sec * 1000];
}

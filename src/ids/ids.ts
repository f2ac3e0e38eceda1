/**
 * Identifier grammar and purpose-hierarchy helpers shared by the catalogue
 * validator and the compiler. Kept free of zod so the hot path never pulls it.
 */

/** One segment of a purpose id: ASCII lower-case letters, digits and `-`. */
export const PURPOSE_ID_PATTERN: RegExp = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** Subject-category and data-category ids: one segment, `[a-z0-9_-]`, starting with a letter or digit. */
export const SIMPLE_ID_PATTERN: RegExp = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * The strict ancestors of a purpose id, nearest first.
 *
 * @example
 * ancestorsOf('a.b.c'); // ['a.b', 'a']
 */
export function ancestorsOf(id: string): string[] {
  const out: string[] = [];
  let i = id.lastIndexOf('.');
  while (i > 0) {
    id = id.slice(0, i);
    out.push(id);
    i = id.lastIndexOf('.');
  }
  return out;
}

/**
 * Whether `id` is `ancestor` or lies under it, by whole segments.
 *
 * @example
 * isSelfOrDescendant('billing.export', 'billing'); // true
 * isSelfOrDescendant('billing-export', 'billing'); // false
 */
export function isSelfOrDescendant(id: string, ancestor: string): boolean {
  return id === ancestor || (id.length > ancestor.length && id.startsWith(ancestor) && id.charCodeAt(ancestor.length) === 46);
}

/**
 * Whether `id` is a canonical array index ("0", "10", "2024"; not "007" or "4294967295"). JavaScript enumerates
 * such keys first, in numeric order, whatever their place in an object, so a catalogue keyed by one would not
 * keep its order; the catalogue refuses them as ids.
 *
 * @example
 * isArrayIndex('2024'); // true
 * isArrayIndex('2024-q1'); // false
 */
export function isArrayIndex(id: string): boolean {
  return /^(?:0|[1-9][0-9]{0,9})$/.test(id) && Number(id) < 4_294_967_295;
}

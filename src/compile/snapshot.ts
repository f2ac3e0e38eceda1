/**
 * What the compiler reads a catalogue through: a deep copy of its own fields
 * only, on objects without a prototype. A validated catalogue holds its fields
 * as own properties, but an optional field it leaves out (`compatibleWith`,
 * `basis`, `requiresConsent`, a retention's `years`) would read through to
 * `Object.prototype`; polluted while the guard compiles, or later for a field
 * read at decision time, that would change decisions. On the copy such a read
 * is `undefined`, whatever the prototypes hold.
 */

/**
 * An own-fields, prototype-free deep copy of JSON-like data (objects, arrays, primitives).
 *
 * @example
 * const spec = ownSnapshot({ title: 'Billing' });
 * Object.getPrototypeOf(spec); // null
 * spec.compatibleWith;         // undefined, even with Object.prototype.compatibleWith set
 */
export function ownSnapshot<T>(value: T): T {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    // Dense: a hole would read through to Array.prototype.
    for (let i = 0; i < value.length; i++) out.push(Object.hasOwn(value, i) ? ownSnapshot(value[i]) : undefined);
    return out as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = ownSnapshot((value as Record<string, unknown>)[key]);
  return out as T;
}

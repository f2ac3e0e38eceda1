/**
 * A field an object holds itself, or `undefined`: never one it inherits (from
 * a polluted `Object.prototype`, say), and `undefined` for anything that is not
 * an object. How every options object and declaration is read: a field a
 * caller leaves out must not come from somewhere else.
 *
 * @example
 * ownField({ guard }, 'guard'); // guard
 * ownField(Object.create({ guard }), 'guard'); // undefined
 */
export function ownField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * JSON Canonicalization Scheme (RFC 8785). Core-safe: no Node built-ins, so
 * the same bytes are hashed wherever a log is verified.
 */

/**
 * Thrown for values RFC 8785 cannot represent (NaN, Infinity, BigInt, lone surrogates, cycles...).
 *
 * @example
 * try {
 *   canonicalJson({ n: Number.NaN });
 * } catch (error) {
 *   if (error instanceof CanonicalJsonError) console.error(error.message);
 * }
 */
export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError' as const;
}

// A lone surrogate is not I-JSON (RFC 7493 2.1), which RFC 8785 requires of its input.
// The cheap test runs first: almost no string holds a surrogate at all.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Serialises a JSON value canonically (RFC 8785): object keys sorted by
 * UTF-16 code units, numbers as ECMAScript `Number::toString`, strings as
 * `JSON.stringify` escapes them, no whitespace. Object properties whose value
 * is `undefined` are left out, as JSON does; anything else that is not JSON
 * data throws `CanonicalJsonError`.
 *
 * @example
 * canonicalJson({ b: 1, a: [4.50, 1e30, 'x'] }); // '{"a":[4.5,1e+30,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value)) throw new CanonicalJsonError('a string holds a lone surrogate, which is not I-JSON');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON representation`);
      // For finite numbers JSON.stringify is Number::toString, with -0 written as 0, as RFC 8785 3.2.2.3 requires.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) throw new CanonicalJsonError('the value is cyclic');
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          return `[${value.map((item: unknown) => {
            if (item === undefined) throw new CanonicalJsonError('an array holds undefined');
            return write(item, seen);
          }).join(',')}]`;
        }
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError('only plain objects are JSON data');
        const record = value as Record<string, unknown>;
        // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 3.2.3 requires.
        const keys = Object.keys(record).sort();
        const parts: string[] = [];
        for (const key of keys) {
          const item = record[key];
          if (item === undefined) continue;
          parts.push(`${write(key, seen)}:${write(item, seen)}`);
        }
        return `{${parts.join(',')}}`;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new CanonicalJsonError(`a ${typeof value} is not JSON data`);
  }
}

/**
 * Duplicate keys in JSON text. `JSON.parse` keeps the last of two equal keys
 * and drops the first without a word, so a catalogue with two `"customer"`
 * entries would be enforced as the second alone, its first entry's
 * prohibitions gone. The CLI refuses such a file instead.
 */

/** Where a key occurs twice: the key (decoded) and the path of the object that holds it. */
export interface DuplicateKey {
  readonly key: string;
  readonly path: readonly (string | number)[];
}

type Frame = { object: true; keys: Set<string>; key: string; expectKey: boolean } | { object: false; index: number };

/**
 * The first duplicate object key in a text that `JSON.parse` accepts, or
 * undefined. Keys are compared decoded (`"a"` and `"\u0061"` are the same key).
 * One pass with an explicit stack: no recursion, so nesting depth cannot overflow it.
 *
 * @example
 * findDuplicateKey('{"a":{"b":1,"b":2}}'); // { key: 'b', path: ['a'] }
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        if (j >= text.length) return undefined; // unterminated: not JSON, which the caller has already refused
        const c = text.charCodeAt(j);
        if (c === 0x22) break;
        if (c === 0x5c /* \ */) {
          escaped = true;
          j++;
        }
        j++;
      }
      const top = stack[stack.length - 1];
      if (top?.object === true && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) return { key, path: pathOf(stack) };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (ch === 0x7b /* { */) stack.push({ object: true, keys: new Set(), key: '', expectKey: true });
    else if (ch === 0x5b /* [ */) stack.push({ object: false, index: 0 });
    else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) stack.pop();
    else if (ch === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object === true) top.expectKey = true;
      else if (top !== undefined) top.index++;
    }
    i++;
  }
  return undefined;
}

/** The path to the innermost frame: each enclosing frame's current key or index. */
function pathOf(stack: readonly Frame[]): (string | number)[] {
  return stack.slice(0, -1).map((f) => (f.object ? f.key : f.index));
}

/** Reads and validates a context into the facts the rules read (rule 1): fail closed, every problem named. */
import type { CompiledCatalogue } from '../compile/compile.js';
import { describeType, echo } from '../decision/messages.js';
import { CONTEXT_FIELDS, hasRootPrototype } from '../rules/context.js';
import { ContextFault, NONE, type Scratch } from './facts.js';
import { checkKeys, dateField, declaredPurpose, ownRecordAt, recordAt } from './fields.js';
import { readConsents } from './read-consents.js';

const hasOwn = Object.hasOwn;
const isOwn = Object.prototype.hasOwnProperty;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(CONTEXT_FIELDS);

const OBJECTION_KEYS = ['purpose', 'at'] as const;

const EXCEPTION_KEYS = ['ground', 'reference', 'consentImpracticable'] as const;

export function readContext(cc: CompiledCatalogue, context: unknown, sc: Scratch): void {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    throw new ContextFault('context', `must be an object or undefined; got ${describeType(context)}`);
  }
  // Plain (see `isPlainRecord`): an object literal's constructor is one cached read; anything else must have a root prototype.
  if ((context as { constructor?: unknown }).constructor !== Object) refuseUnlessRoot(context);
  sc.hasCollected = sc.hasEnded = sc.hasException = false;
  sc.cN = sc.oN = sc.dN = sc.fN = sc.dMask = 0;
  sc.nowMs = NONE;
  sc.actor = sc.subjectId = undefined;
  const ctx = context as Record<string, unknown>;
  // Written out in full, V8 turns `hasOwnProperty` in a `for...in` over the same object into a shape test (about
  // 5 ns less than calling it). Checked on every key to be the function this module started with: a getter
  // read earlier in this loop may have assigned another over it, which must never be called.
  for (const key in ctx) {
    // biome-ignore lint/suspicious/noPrototypeBuiltins: this exact form is what V8 reduces; Object.hasOwn is a call (measured)
    if (!(Object.prototype.hasOwnProperty === isOwn ? Object.prototype.hasOwnProperty.call(ctx, key) : isOwn.call(ctx, key))) {
      // Inherited: ignored when a polluted Object.prototype lends it, refused when the context's own prototype does.
      refuseUnlessRoot(ctx);
      continue;
    }
    const value = ctx[key];
    if (value === undefined) {
      // An absent value is fine for a known field; a misspelt one is refused even when it holds undefined.
      if (KNOWN_FIELDS.has(key)) continue;
      throw new ContextFault(`context[${echo(key)}]`, 'is not a context field (a misspelt field must not be ignored)');
    }
    switch (key) {
      case 'now':
        sc.nowMs = dateField(value, 'context.now');
        break;
      case 'consents':
        readConsents(cc, value, sc);
        break;
      case 'objections':
        readObjections(cc, value, sc);
        break;
      case 'dataCategories':
        sc.dN = readStrings(value, 'context.dataCategories', sc.dCat, undefined);
        sc.dMask = categoryMask(cc, sc);
        break;
      case 'collectedFor':
        sc.hasCollected = true;
        sc.fN = readStrings(value, 'context.collectedFor', sc.fPurpose, cc);
        break;
      case 'relationshipEndedAt':
        sc.endedMs = dateField(value, 'context.relationshipEndedAt');
        sc.hasEnded = true;
        break;
      case 'exception':
        readException(value, sc);
        sc.hasException = true;
        break;
      case 'actor':
      case 'subjectId':
        if (typeof value !== 'string') throw new ContextFault(`context.${key}`, `must be a string; got ${describeType(value)}`);
        sc[key] = value;
        break;
      case 'prepared':
        // A prepared context is recognised by its private brand before any reading: this is a copy of one.
        throw new ContextFault('context.prepared', 'marks a copy of a prepared context, which holds none of its facts; pass the prepared context itself');
      default:
        throw new ContextFault(`context[${echo(key)}]`, 'is not a context field (a misspelt field must not be ignored)');
    }
  }
}

function refuseUnlessRoot(context: object): void {
  if (!hasRootPrototype(context)) {
    throw new ContextFault('context', 'must be a plain object: a class instance, Map, Date or Promise keeps its fields where the guard does not read them (copy them into an object literal, or await the Promise)');
  }
}

/** The data categories read into `sc` as one mask, or -1 when one of them has no bit (undeclared, or past the 30th). */
function categoryMask(cc: CompiledCatalogue, sc: Scratch): number {
  let mask = 0;
  for (let i = 0; i < sc.dN; i++) {
    const bit = cc.categoryBits.get(sc.dCat[i] as string);
    if (bit === undefined) return -1;
    mask |= bit;
  }
  return mask;
}

function readObjections(cc: CompiledCatalogue, list: unknown, sc: Scratch): void {
  if (!Array.isArray(list)) throw new ContextFault('context.objections', `must be an array; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const field = `context.objections[${i}]`;
    const r = recordAt(list, i, 'context.objections', OBJECTION_KEYS);
    checkKeys(r, OBJECTION_KEYS, field);
    sc.oPurpose[i] = declaredPurpose(cc, hasOwn(r, 'purpose') ? r['purpose'] : undefined, `${field}.purpose`);
    const at = hasOwn(r, 'at') ? r['at'] : undefined;
    if (at === undefined) throw new ContextFault(`${field}.at`, 'is required');
    sc.oAt[i] = dateField(at, `${field}.at`);
  }
  sc.oN = n;
}

function readStrings(list: unknown, field: string, into: string[], purposesOf: CompiledCatalogue | undefined): number {
  if (!Array.isArray(list)) throw new ContextFault(field, `must be an array of ids; got ${describeType(list)}`);
  const n = list.length;
  for (let i = 0; i < n; i++) {
    if (!hasOwn(list, i)) throw new ContextFault(`${field}[${i}]`, 'is missing (sparse array)');
    const v: unknown = list[i];
    if (purposesOf !== undefined) into[i] = declaredPurpose(purposesOf, v, `${field}[${i}]`).id;
    else if (typeof v === 'string') into[i] = v;
    else throw new ContextFault(`${field}[${i}]`, `must be a string; got ${describeType(v)}`);
  }
  return n;
}

function readException(value: unknown, sc: Scratch): void {
  const r = ownRecordAt(value, 'context.exception', EXCEPTION_KEYS);
  checkKeys(r, EXCEPTION_KEYS, 'context.exception');
  const ground = hasOwn(r, 'ground') ? r['ground'] : undefined;
  const reference = hasOwn(r, 'reference') ? r['reference'] : undefined;
  const impracticable = hasOwn(r, 'consentImpracticable') ? r['consentImpracticable'] : undefined;
  if (typeof ground !== 'string') throw new ContextFault('context.exception.ground', `must be a string; got ${describeType(ground)}`);
  if (typeof reference !== 'string') throw new ContextFault('context.exception.reference', `must be a string; got ${describeType(reference)}`);
  if (impracticable !== undefined && typeof impracticable !== 'boolean') {
    throw new ContextFault('context.exception.consentImpracticable', `must be a boolean; got ${describeType(impracticable)}`);
  }
  sc.exGround = ground;
  sc.exReference = reference;
  sc.exImpracticable = impracticable === true;
}

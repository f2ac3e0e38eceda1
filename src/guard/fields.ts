/** Field readers shared by the context and consent readers: each throws a `ContextFault` that names the field. */
import type { CompiledCatalogue, CompiledPurpose } from '../compile/compile.js';
import { describeType, echo } from '../decision/messages.js';
import { lendsFields } from '../rules/context.js';
import { toEpochMs } from '../rules/dates.js';
import { ContextFault } from './facts.js';

const hasOwn = Object.hasOwn;

export function dateField(value: unknown, field: string): number {
  const ms = toEpochMs(value);
  if (ms !== ms) {
    throw new ContextFault(field, `must be a valid Date or an RFC 3339 date-time with Z or an offset (2026-01-01T09:00:00+09:00); got ${describeType(value)}`);
  }
  return ms;
}

export function recordAt(list: unknown, i: number, field: string, fields: readonly string[]): Record<string, unknown> {
  if (!hasOwn(list as object, i)) throw new ContextFault(`${field}[${i}]`, 'is missing (sparse array)');
  return ownRecordAt((list as unknown[])[i], `${field}[${i}]`, fields);
}

/** A record of the context whose fields, if it has them, are its own (see `lendsFields`): they are all the guard reads. */
export function ownRecordAt(r: unknown, field: string, fields: readonly string[]): Record<string, unknown> {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ContextFault(field, `must be an object; got ${describeType(r)}`);
  if (lendsFields(r, fields)) {
    throw new ContextFault(field, 'holds fields on its prototype (a getter of a class, or Object.create(defaults)), where the guard does not read them: copy them into an object literal');
  }
  return r as Record<string, unknown>;
}

export function checkKeys(record: Record<string, unknown>, allowed: readonly string[], field: string, index = -1): void {
  for (const key in record) {
    if (hasOwn(record, key) && !allowed.includes(key)) {
      throw new ContextFault(`${index < 0 ? field : `${field}[${index}]`}[${echo(key)}]`, 'is not a field of this record');
    }
  }
}

export function declaredPurpose(cc: CompiledCatalogue, value: unknown, field: string): CompiledPurpose {
  if (typeof value !== 'string') throw new ContextFault(field, `must be a purpose id (string); got ${describeType(value)}`);
  const purpose = cc.purposes.get(value);
  if (purpose === undefined) throw new ContextFault(field, `names the undeclared purpose ${echo(value)}`);
  return purpose;
}

/** Field readers shared by the context and consent readers: each throws a `ContextFault` that names the field. */
import type { CompiledCatalogue, CompiledPurpose } from '../compile/compile.js';
import { describeType, echo } from '../decision/messages.js';
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

export function recordAt(list: unknown, i: number, field: string): Record<string, unknown> {
  if (!hasOwn(list as object, i)) throw new ContextFault(`${field}[${i}]`, 'is missing (sparse array)');
  const r = (list as unknown[])[i];
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ContextFault(`${field}[${i}]`, `must be an object; got ${describeType(r)}`);
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

/** Freezing a decision before anyone but its caller keeps it. */
import type { Decision } from './types.js';

const isFrozen = Object.isFrozen;

const freeze = Object.freeze;

/**
 * Freezes a decision, and the law, record, exception or deny it holds, unless they
 * already are. The guard shares its prebuilt decisions between calls, so those
 * are frozen when they are built. A decision that cites something of one call
 * (a consent id, the record that decided, the exception relied on) is built for
 * that call and held by its caller alone, so it is left as built:
 * `Object.freeze` costs about 20 ns, more than building the decision, and a
 * tenth of a check on the peer workload. The guard seals a decision here before
 * it hands it to a recorder, so a record kept or written later cannot be
 * changed by the caller afterwards. Returns the decision itself.
 *
 * @example
 * recorder.record(sealForRecord(decision), context, meta, true);
 */
export function sealForRecord<D extends Decision>(decision: D): D {
  const d = decision as Decision & { readonly record?: object | undefined; readonly exception?: object | undefined; readonly denied?: Decision | undefined };
  if (!isFrozen(d.law)) freeze(d.law);
  if (d.record !== undefined && !isFrozen(d.record)) freeze(d.record);
  if (d.exception !== undefined && !isFrozen(d.exception)) freeze(d.exception);
  if (d.denied !== undefined) sealForRecord(d.denied);
  if (!isFrozen(d)) freeze(d);
  return decision;
}

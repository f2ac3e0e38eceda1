/**
 * What a check reads from its context, and the fault that stops the reading.
 * Shared by the reader (`read-context.ts`), the rules (`decide.ts`) and prepared contexts.
 */
import type { CompiledPurpose } from '../compile/compile.js';

/** An absent date: NaN, which every comparison answers false, so an absent end never ends a window. */
export const NONE = Number.NaN;

/**
 * Per-call working memory. Validation reads each context field once into here
 * and the rules read only what it stored, so a getter cannot answer differently
 * to validation and to the rules: every field is read once, by whichever reader
 * reads the record (see `read-consents.ts`). Pooled, so
 * reading a plain context allocates nothing. A small stack of them keeps the code
 * re-entrant (a context getter may itself call `checkUse`).
 */
export interface Scratch {
  /** Whether the context has `collectedFor`, `relationshipEndedAt`, `exception`: the rules read the values from the fields below. */
  hasCollected: boolean;
  hasEnded: boolean;
  hasException: boolean;
  cN: number;
  /** Interned: the compiled purpose each record names (scope tests are then two reads, see `inScope`). */
  cPurpose: CompiledPurpose[];
  cGranted: number[];
  cWithdrawn: number[];
  cExpires: number[];
  cId: (string | undefined)[];
  oN: number;
  oPurpose: CompiledPurpose[];
  oAt: number[];
  dN: number;
  dCat: string[];
  /** The data categories as bits of `CompiledCatalogue.categoryBits`, when every one has a bit (else -1): the rule is then two mask tests. */
  dMask: number;
  fN: number;
  fPurpose: string[];
  exGround: string;
  exReference: string;
  exImpracticable: boolean;
  nowMs: number;
  endedMs: number;
  actor: string | undefined;
  subjectId: string | undefined;
}

export function scratch(): Scratch {
  return {
    hasCollected: false, hasEnded: false, hasException: false,
    cN: 0, cPurpose: [], cGranted: [], cWithdrawn: [], cExpires: [], cId: [],
    oN: 0, oPurpose: [], oAt: [], dN: 0, dCat: [], dMask: 0, fN: 0, fPurpose: [],
    exGround: '', exReference: '', exImpracticable: false, nowMs: NONE, endedMs: NONE, actor: undefined, subjectId: undefined,
  };
}

/** Thrown inside the context pass only; turned into an `invalid_context` deny. Never escapes `decide`. */
export class ContextFault {
  constructor(readonly field: string, readonly problem: string) {}
}

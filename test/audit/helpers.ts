import type { AuditSink, DecisionEvent } from '../../src/audit.js';

export type Behaviour = 'ok' | 'throw' | 'reject' | 'slow' | 'hang';

/** A sink whose next writes behave as scripted; it records which events it acknowledged. */
export function scriptedSink(script: Behaviour[] | (() => Behaviour), name = 'scripted') {
  const acked = new Set<string>();
  const seen: DecisionEvent[] = [];
  const next = (): Behaviour => (typeof script === 'function' ? script() : (script.shift() ?? 'ok'));
  const hung: (() => void)[] = [];
  const sink: AuditSink & { acked: Set<string>; seen: DecisionEvent[]; release(): void } = {
    name,
    acked,
    seen,
    write(event) {
      seen.push(event);
      const behaviour = next();
      switch (behaviour) {
        case 'ok':
          acked.add(event.decisionId);
          return;
        case 'throw':
          throw new Error('disk on fire');
        case 'reject':
          return Promise.reject(new Error('network down'));
        case 'slow':
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              acked.add(event.decisionId);
              resolve();
            }, 3),
          );
        case 'hang':
          return new Promise<void>((resolve) => hung.push(resolve));
      }
    },
    /** Lets hung writes finish (late), as a recovered sink would. */
    release() {
      for (const r of hung.splice(0)) r();
    },
  };
  return sink;
}

export function invariantHolds(s: { recorded: number; acknowledged: number; failed: number; dropped: number; refused: number; pending: number }): boolean {
  return s.recorded === s.acknowledged + s.failed + s.dropped + s.refused + s.pending;
}

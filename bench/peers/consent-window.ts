import type { BenchConsent } from './workload.js';

/**
 * The consent rule written by hand, for the engines that cannot express it:
 * a consent counts if its purpose is in scope (the purpose or an ancestor) and
 * `grantedAt <= now < min(expiresAt, withdrawnAt)` (half-open; absent bounds are open).
 *
 * @example
 * hasValidConsent(ctx.consents, ['marketing.notifications', 'marketing'], Date.now());
 */
export function hasValidConsent(consents: readonly BenchConsent[] | undefined, scope: readonly string[], nowMs: number): boolean {
  if (consents === undefined) return false;
  for (let i = 0; i < consents.length; i++) {
    const c = consents[i] as BenchConsent;
    if (!scope.includes(c.purpose) || c.grantedAt.getTime() > nowMs) continue;
    if (c.expiresAt !== undefined && c.expiresAt.getTime() <= nowMs) continue;
    if (c.withdrawnAt !== undefined && c.withdrawnAt.getTime() <= nowMs) continue;
    return true;
  }
  return false;
}

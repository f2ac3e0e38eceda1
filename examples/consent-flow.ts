/**
 * A customer's consent to marketing e-mail over time: captured, relied on,
 * withdrawn; an objection to marketing; and a legal exception for a tax audit.
 */
import type { ConsentRecord, Decision, ObjectionRecord } from '../src/index.js';
import { checkUse } from '../src/index.js';
import { heading, printDecision } from './print.js';

type Purpose = keyof (typeof import('../src/index.js'))['defaultCatalogue']['purposes'];

export function runConsentDemo(): void {
  heading('2. Consent, objection and legal exceptions, over time');
  const consents: ConsentRecord<Purpose>[] = [];
  const objections: ObjectionRecord<Purpose>[] = [];
  const at = (now: string) => ({ now, consents, objections });

  printDecision('2026-03-01 newsletter before any opt-in', checkUse('customer', 'marketing.notifications', at('2026-03-01T09:00:00+09:00')));

  consents.push({ id: 'cns-8841', purpose: 'marketing.notifications', grantedAt: '2026-03-02T10:15:00+09:00', expiresAt: '2027-03-02T10:15:00+09:00' });
  printDecision('2026-03-10 newsletter after the opt-in form', checkUse('customer', 'marketing.notifications', at('2026-03-10T09:00:00+09:00')));

  consents[0] = { ...(consents[0] as ConsentRecord<Purpose>), withdrawnAt: '2026-05-20T18:02:11+09:00' };
  printDecision('2026-06-01 newsletter after the unsubscribe link', checkUse('customer', 'marketing.notifications', at('2026-06-01T09:00:00+09:00')));

  printDecision('2026-06-01 purchase analysis (no consent needed)', checkUse('customer', 'marketing.analytics', at('2026-06-01T09:00:00+09:00')));
  objections.push({ purpose: 'marketing', at: '2026-06-03T12:00:00Z' });
  printDecision('2026-06-05 purchase analysis after "stop all marketing"', checkUse('customer', 'marketing.analytics', at('2026-06-05T09:00:00+09:00')));

  // Employees' data is not published for fraud investigations: it does not even compile without the cast.
  const outsideNotice = checkUse as (subject: string, purpose: string, context: object) => Decision;
  printDecision('2026-07-01 security wants an employee\'s access logs for a fraud case', outsideNotice('employee', 'fraud-prevention', { now: '2026-07-01T09:00:00+09:00' }));
  printDecision(
    '2026-07-01 ...the same, under a court order (APPI Art. 18(3)(i))',
    outsideNotice('employee', 'fraud-prevention', {
      now: '2026-07-01T09:00:00+09:00',
      exception: { ground: 'laws_and_regulations', reference: 'Tokyo District Court order 2026(Wa)1234 (Code of Civil Procedure Art. 223)' },
    }),
  );
  printDecision(
    '2026-07-02 ...the same, on an informal police phone call',
    outsideNotice('employee', 'fraud-prevention', {
      now: '2026-07-02T09:00:00+09:00',
      exception: { ground: 'public_authority_cooperation', reference: 'phone call from the local police station' },
    }),
  );
  printDecision('2026-07-03 a date without a time zone is refused, not guessed', checkUse('customer', 'billing', { now: '2026-07-03T09:00:00' }));
}

import { createGuard, type Decision, defineCatalogue } from '../../src/index.js';

/** A small catalogue touching every rule: consent, objection, categories, special care, compatibility, retention. */
export const rulesCatalogue = defineCatalogue({
  version: 'rules-1',
  controller: { name: 'Test Co.' },
  dataCategories: {
    contact: { title: 'Contact' },
    payment: { title: 'Payment' },
    health: { title: 'Health', specialCare: true },
  },
  purposes: {
    news: { title: 'Newsletter', basis: 'consent', requiresConsent: true, dataCategories: ['contact'] },
    'news.weekly': { title: 'Weekly newsletter' },
    ads: { title: 'Advertising', basis: 'legitimate_interests', objectable: true, dataCategories: ['contact'] },
    'ads.profiling': { title: 'Profiling', basis: 'legitimate_interests' },
    'ads.display': { title: 'Display advertising' },
    care: { title: 'Care', basis: 'contract', dataCategories: ['contact', 'health'] },
    billing: { title: 'Billing', basis: 'contract', dataCategories: ['contact', 'payment'], compatibleWith: ['collections'] },
    collections: { title: 'Collections', basis: 'legitimate_interests', dataCategories: ['contact', 'payment'] },
    research: { title: 'Research', basis: 'legitimate_interests', dataCategories: ['contact'] },
    secret: { title: 'Secret', basis: 'contract' },
  },
  subjects: {
    member: {
      title: 'Members',
      purposes: { news: 'n', ads: 'a', care: 'c', billing: 'b', collections: 'k', research: 'r' },
      retention: { duration: { years: 1 } },
    },
    // Not `ads` itself: prohibiting ads.profiling denies its parent too, so the sibling is what visitors may be granted.
    visitor: { title: 'Visitors', purposes: { 'ads.display': 'a', research: 'r' }, prohibited: ['ads.profiling'] },
  },
});

export const NOW = '2026-06-15T12:00:00Z';
export const guard = createGuard(rulesCatalogue, { clock: () => new Date(NOW) });
export const check = guard.checkUse as (s: unknown, p: unknown, c?: unknown) => Decision;

/** `base` shifted by `ms` milliseconds, as an RFC 3339 string. */
export const at = (ms: number, base = NOW): string => new Date(Date.parse(base) + ms).toISOString();

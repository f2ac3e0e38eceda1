import type { LegalBasis } from '../catalogue/types.js';
import type { ExceptionGround } from '../decision/types.js';

/**
 * The APPI Art. 18(3) grounds, with what each needs and the GDPR Art. 6(1)
 * basis it most closely corresponds to (reported as the allow's `basis`).
 */
export const EXCEPTION_GROUNDS: ReadonlyMap<string, { readonly needsImpracticable: boolean; readonly basis: LegalBasis; readonly law: string }> =
  new Map<ExceptionGround, { readonly needsImpracticable: boolean; readonly basis: LegalBasis; readonly law: string }>([
    ['laws_and_regulations', { needsImpracticable: false, basis: 'legal_obligation', law: 'APPI Art. 18(3)(i)' }],
    ['protection_of_life_body_property', { needsImpracticable: true, basis: 'vital_interests', law: 'APPI Art. 18(3)(ii)' }],
    ['public_health_child_welfare', { needsImpracticable: true, basis: 'public_task', law: 'APPI Art. 18(3)(iii)' }],
    ['public_authority_cooperation', { needsImpracticable: true, basis: 'legal_obligation', law: 'APPI Art. 18(3)(iv)' }],
    ['academic_research', { needsImpracticable: false, basis: 'legitimate_interests', law: 'APPI Art. 18(3)(v)-(vi)' }],
  ]);

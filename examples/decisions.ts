/**
 * Realistic accesses against the default catalogue: the policy published in the
 * privacy notice, enforced where backend code touches personal data.
 */
import { checkUse, type Decision } from '../src/index.js';
import { heading, printDecision } from './print.js';

const loose = checkUse as (subject: string, purpose: string, context?: object) => Decision;

export function runDecisionsDemo(): void {
  heading('1. Purposes of use, as published: every access is checked against the notice');
  printDecision('billing service reads a customer to issue an invoice', checkUse('customer', 'billing'));
  printDecision('support desk opens a customer record', checkUse('customer', 'customer-support', { dataCategories: ['contact', 'inquiry'] }));
  printDecision('support desk asks for the card number too', checkUse('customer', 'customer-support', { dataCategories: ['contact', 'payment'] }));
  printDecision('HR runs payroll', checkUse('employee', 'employment.administration', { dataCategories: ['payroll'] }));
  printDecision('IR sends the AGM notice to shareholders', checkUse('shareholder', 'statutory-shareholder-rights'));
  // Ids from a request body are only known at run time: the guard checks them literally.
  printDecision('growth team mines employee data for marketing', loose('employee', 'marketing.analytics'));
  printDecision('a recruiter re-uses applicant data for "marketing"', loose('applicant', 'marketing'));
  printDecision('a request says "Billing" instead of "billing"', loose('customer', 'Billing'));
  printDecision('a request for an undeclared category of people', loose('visitor', 'billing'));
}

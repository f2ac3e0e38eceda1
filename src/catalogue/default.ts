import { defineCatalogue } from './parse.js';
import type { Catalogue } from './types.js';

/**
 * The seed policy ("Purposes of use of personal information") as a catalogue.
 * Subject texts are the seed's bullets verbatim, so `renderPrivacyNotice(defaultCatalogue)`
 * reproduces the published notice. Every legal basis and annotation is explained
 * in its `basisNote`, and in the README ("The default catalogue").
 *
 * No retention periods and no `compatibleWith` links: the seed policy states
 * none, and inventing them would make the guard enforce rules nobody published.
 *
 * @example
 * createGuard(defaultCatalogue).checkUse('customer', 'billing').allowed; // true
 */
export const defaultCatalogue = defineCatalogue({
  version: '2026-11-24',
  controller: { name: 'Example Co., Ltd.' },
  notice: {
    heading: 'Purposes of use of personal information',
    intro: 'We will use the acquired personal information for the following purposes:',
  },
  dataCategories: {
    identity: { title: 'Identity information', description: 'Name, date of birth, customer or employee number.' },
    contact: { title: 'Contact details', description: 'Postal address, telephone number, e-mail address.' },
    account: { title: 'Account information', description: 'Login ids, membership and contract details.' },
    transaction: { title: 'Purchase and usage history', description: 'Orders, deliveries, service usage.' },
    payment: { title: 'Payment information', description: 'Card and bank details, invoices, charges.' },
    inquiry: { title: 'Inquiry and support records', description: 'Inquiries, complaints, repair and support requests and our responses.' },
    'online-identifiers': { title: 'Cookies and online identifiers', description: 'Cookie ids, device ids, IP addresses, browsing on our website.' },
    'business-contact': { title: 'Business contact details', description: 'Company, department, title, business e-mail and telephone.' },
    'business-dealings': { title: 'Business dealings', description: 'Contracts, negotiations and correspondence with clients.' },
    shareholding: { title: 'Shareholding information', description: 'Shares held, shareholder number, dividend payment details.' },
    application: { title: 'Application documents', description: 'CV, work history, interview records.' },
    'employment-record': { title: 'Employment records', description: 'Position, attendance, evaluations, personnel records.' },
    payroll: { title: 'Payroll and benefits', description: 'Wages, bonuses, allowances, bank account for wages, social insurance.' },
    health: { title: 'Health information', description: 'Medical check-up results, stress checks, medical history.', specialCare: true },
  },
  purposes: {
    identification: {
      title: 'Customer identification',
      basis: 'contract',
      basisNote: 'Needed to perform the contract with the customer (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'account'],
    },
    'service-provision': {
      title: 'Service provision',
      basis: 'contract',
      basisNote: 'Delivering products and providing paid and free services is the contract itself (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'account', 'transaction'],
    },
    billing: {
      title: 'Billing',
      basis: 'contract',
      basisNote: 'Charging for services the customer uses (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'account', 'transaction', 'payment'],
    },
    'customer-support': {
      title: 'Customer support',
      basis: 'contract',
      basisNote: 'Answering inquiries and repairs under the contract (GDPR Art. 6(1)(b)). Payment data is left out: support does not need it (GDPR Art. 5(1)(c)).',
      dataCategories: ['identity', 'contact', 'account', 'transaction', 'inquiry'],
    },
    'product-development': {
      title: 'Product development',
      basis: 'legitimate_interests',
      basisNote: 'Improving our own products from usage and feedback (GDPR Art. 6(1)(f)); no direct identifiers needed.',
      dataCategories: ['transaction', 'inquiry', 'online-identifiers'],
    },
    marketing: {
      title: 'Marketing',
      basis: 'legitimate_interests',
      basisNote: 'Direct marketing may rest on legitimate interests (GDPR Recital 47), but the person may always object (GDPR Art. 21(2)-(3); APPI Art. 35), so marketing and its sub-purposes are objectable.',
      objectable: true,
      dataCategories: ['identity', 'contact', 'transaction', 'online-identifiers'],
    },
    'marketing.notifications': {
      title: 'Marketing notifications',
      basis: 'consent',
      basisNote: "Marketing e-mail needs prior opt-in: Japan's Act on Regulation of Transmission of Specified Electronic Mail Art. 3, ePrivacy Directive Art. 13(1).",
      requiresConsent: true,
      dataCategories: ['identity', 'contact'],
    },
    'marketing.surveys': {
      title: 'Surveys and questionnaires',
      basis: 'legitimate_interests',
      basisNote: 'Asking customers for their opinion about our services (GDPR Art. 6(1)(f)); objectable as marketing.',
      dataCategories: ['identity', 'contact', 'inquiry'],
    },
    'marketing.analytics': {
      title: 'Marketing analysis',
      basis: 'legitimate_interests',
      basisNote: 'Analysing purchasing behaviour (GDPR Art. 6(1)(f)); objectable as marketing, including profiling for it (GDPR Art. 21(2)).',
      dataCategories: ['account', 'transaction', 'online-identifiers'],
    },
    'fraud-prevention': {
      title: 'Fraud prevention and security',
      basis: 'legitimate_interests',
      basisNote: 'Preventing fraud is a legitimate interest named in GDPR Recital 47; network and information security in Recital 49.',
      dataCategories: ['identity', 'contact', 'account', 'transaction', 'payment', 'online-identifiers'],
    },
    'website-convenience': {
      title: 'Website convenience (cookies)',
      basis: 'consent',
      basisNote: 'Storing and reading cookies that are not strictly necessary needs consent (ePrivacy Directive Art. 5(3)); see the Cookie Policy.',
      requiresConsent: true,
      dataCategories: ['online-identifiers'],
    },
    'business-communication': {
      title: 'Business communication',
      basis: 'legitimate_interests',
      basisNote: 'Communicating with the staff of clients and with our own employees in the course of business (GDPR Art. 6(1)(f)).',
      dataCategories: ['identity', 'business-contact'],
    },
    'client-management': {
      title: 'Client management',
      basis: 'legitimate_interests',
      basisNote: 'Keeping records of our business relationships (GDPR Art. 6(1)(f)).',
      dataCategories: ['identity', 'business-contact', 'business-dealings'],
    },
    'statutory-shareholder-rights': {
      title: "Shareholders' statutory rights and obligations",
      basis: 'legal_obligation',
      basisNote: 'Required by the Companies Act (notices of meetings, dividends, voting rights) (GDPR Art. 6(1)(c)).',
      dataCategories: ['identity', 'contact', 'shareholding', 'payment'],
    },
    'shareholder-registry': {
      title: 'Shareholder management and records',
      basis: 'legal_obligation',
      basisNote: 'The shareholder register and other records required by law (Companies Act Art. 121) (GDPR Art. 6(1)(c)).',
      dataCategories: ['identity', 'contact', 'shareholding'],
    },
    recruitment: {
      title: 'Recruitment',
      basis: 'contract',
      basisNote: 'Steps taken at the applicant\'s request before entering into an employment contract (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'application'],
    },
    'recruitment.communication': {
      title: 'Contact with applicants',
      basis: 'contract',
      basisNote: 'Pre-contractual steps at the applicant\'s request (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact'],
    },
    'recruitment.administration': {
      title: 'Recruitment administration',
      basis: 'contract',
      basisNote: 'Screening and interviews at the applicant\'s request (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'application'],
    },
    employment: {
      title: 'Employment',
      basis: 'contract',
      basisNote: 'Performing the employment contract (GDPR Art. 6(1)(b)).',
      dataCategories: ['identity', 'contact', 'business-contact', 'employment-record', 'payroll'],
    },
    'employment.administration': {
      title: 'Payroll and personnel administration',
      basis: 'contract',
      basisNote: 'Wages, personnel and labour management and benefits under the employment contract (GDPR Art. 6(1)(b)); tax and social-insurance filings are also legal obligations.',
      dataCategories: ['identity', 'contact', 'employment-record', 'payroll'],
    },
    'employment.health-management': {
      title: 'Employee health management',
      basis: 'legal_obligation',
      basisNote: 'Health checks required by the Industrial Safety and Health Act Art. 66 (GDPR Art. 6(1)(c), Art. 9(2)(b)). Health data is special-care: APPI Art. 20(2) requires consent to acquire it unless a legal exception applies.',
      dataCategories: ['identity', 'employment-record', 'health'],
    },
  },
  subjects: {
    customer: {
      title: 'Customers',
      noticeHeading: 'Personal information on customers',
      purposes: {
        identification: 'To identify customers',
        'service-provision': 'To provide our services such as delivery of products, etc., provision of paid services, and use of charge-free services',
        billing: 'To bill the charge for the use of our services',
        'customer-support': 'To confirm and record responses to inquiries, consultations, complaints, and requests for repairs and support by customers',
        'product-development': 'To develop products and improve other services',
        'marketing.notifications': 'To notify of our product information, after-sales services, and preferential treatment',
        'marketing.surveys': 'To ask for opinions and comments and answering questionnaires',
        'marketing.analytics': 'To conduct marketing and analyze purchasing behaviors',
        'fraud-prevention':
          'To provide customers with our products and services in a safe manner, including detecting the users who violate the terms of use, notifying such users of the violation, investigating, detecting, and preventing fraud abusing our services, etc. and wrongdoing such as illegal access, and take measures for these.',
        'website-convenience': {
          style: 'note',
          text: 'The technique for recording and controlling the information on the customers who use our website on a computer or application software is called “cookie.” Our website uses cookies to make the site more convenient for customers. For further information on handling of cookies, see “Cookie Policy.”',
        },
      },
      prohibited: [],
    },
    client: {
      title: 'Clients',
      description: 'For corporate customers, their directors and employees.',
      noticeHeading: 'Personal information on clients (for corporate customers, their directors and employees)',
      purposes: {
        'business-communication': 'To communicate as required for business, fulfill a contract, and negotiate business deals',
        'client-management': 'To control the information of clients',
      },
      prohibited: [],
    },
    shareholder: {
      title: 'Shareholders',
      description: 'For corporate shareholders, their directors and employees.',
      noticeHeading: 'Personal information on shareholders (for corporate shareholders, their directors and employees)',
      purposes: {
        'statutory-shareholder-rights': 'To enforce rights and fulfill obligations in accordance with the Companies Act',
        'shareholder-registry': 'Management of shareholders including preparation of records in accordance with various laws and regulations',
      },
      prohibited: [],
    },
    applicant: {
      title: 'Applicants',
      description: 'Applicants for recruitment activities.',
      noticeHeading: 'Personal information on applicants for recruitment activities',
      purposes: {
        'recruitment.communication': 'To make contact with the applicants and provide them with information for recruitment activities',
        'recruitment.administration': 'To perform other operations necessary for recruitment activities',
      },
      prohibited: [],
    },
    employee: {
      title: 'Employees',
      description: 'Employees, etc.',
      noticeHeading: 'Personal information on employees, etc.',
      purposes: {
        'business-communication': 'To make business communication with the employees',
        'employment.administration':
          'To pay for their labor (wages, bonuses, various allowances, etc.), conduct personnel and labor management, and provide health and welfare benefits',
        'employment.health-management': 'To manage the health of employees, etc',
      },
      prohibited: [],
    },
  },
});

/** The spec type of the default catalogue, for guards and type tests: `Guard<DefaultCatalogue>`. */
export type DefaultCatalogue = typeof defaultCatalogue extends Catalogue<infer C> ? C : never;

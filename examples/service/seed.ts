/**
 * The demo's fake people. Every name, address and number is invented; e-mail
 * domains are the reserved `example.*` ones.
 */
export const SCHEMA = `
CREATE TABLE customers (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, address TEXT,
  plan TEXT NOT NULL, card_last4 TEXT, card_token TEXT, last_order_total INTEGER, support_note TEXT
);
CREATE TABLE consents (
  id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id), purpose TEXT NOT NULL,
  granted_at TEXT NOT NULL, withdrawn_at TEXT
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, company TEXT NOT NULL, title TEXT, email TEXT, deal_notes TEXT
);
CREATE TABLE shareholders (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT, shares INTEGER NOT NULL, dividend_account TEXT
);
CREATE TABLE applicants (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, cv_summary TEXT, interview_notes TEXT
);
CREATE TABLE employees (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, work_email TEXT NOT NULL, department TEXT, salary INTEGER,
  bank_account TEXT, health_check TEXT
);
`;

export const CUSTOMERS = [
  ['cus-001', 'Aiko Tanaka', 'aiko.tanaka@example.jp', '+81 3-0000-0001', '1-2-3 Minato, Tokyo', 'premium', '4242', 'tok_a1', 12800, 'Asked about a late parcel'],
  ['cus-002', 'Bruno Costa', 'bruno.costa@example.com', '+351 21 000 0002', 'Rua Fictícia 12, Lisboa', 'basic', '1881', 'tok_b2', 2400, null],
  ['cus-003', 'Chiara Ricci', 'chiara.ricci@example.it', '+39 06 0000 0003', 'Via Immaginaria 7, Roma', 'premium', '5100', 'tok_c3', 9100, 'Requested a repair'],
  ['cus-004', 'Daiki Sato', 'daiki.sato@example.jp', '+81 6-0000-0004', '4-5-6 Kita, Osaka', 'basic', '3782', 'tok_d4', 560, null],
  ['cus-005', 'Elif Yilmaz', 'elif.yilmaz@example.com', '+90 212 000 0005', 'Hayali Sk. 3, Istanbul', 'premium', '6011', 'tok_e5', 30400, 'Complaint resolved'],
] as const;

/** Consents to marketing e-mail, captured at sign-up (ids appear in decisions and audit events). */
export const CONSENTS = [
  ['cns-001', 'cus-001', 'marketing.notifications', '2026-01-05T10:00:00Z', null],
  ['cns-003', 'cus-003', 'marketing.notifications', '2026-02-11T09:30:00Z', '2026-05-01T12:00:00Z'],
] as const;

export const CLIENTS = [
  ['cli-001', 'Fumiko Mori', 'Mori Trading K.K.', 'Purchasing manager', 'f.mori@example.co.jp', 'Framework agreement renewal in Q1'],
  ['cli-002', 'George Hall', 'Hall & Sons Ltd.', 'Director', 'g.hall@example.co.uk', 'Pilot order under negotiation'],
] as const;

export const SHAREHOLDERS = [
  ['shr-001', 'Haruto Ito', '7-8-9 Naka, Nagoya', 1200, 'bank:0001-222'],
  ['shr-002', 'Ines Moreau', '3 rue Inventée, Lyon', 300, 'bank:0002-333'],
] as const;

export const APPLICANTS = [
  ['app-001', 'Jun Watanabe', 'jun.w@example.jp', 'Backend engineer, 6 years', 'Strong system design interview'],
  ['app-002', 'Kara Nowak', 'kara.nowak@example.pl', 'Data analyst, 3 years', null],
] as const;

export const EMPLOYEES = [
  ['emp-001', 'Leo Suzuki', 'leo.suzuki@corp.example', 'Sales', 5200000, 'bank:1001-444', 'Annual check-up: follow-up advised'],
  ['emp-002', 'Mina Kobayashi', 'mina.k@corp.example', 'Engineering', 6800000, 'bank:1002-555', 'Annual check-up: no findings'],
] as const;

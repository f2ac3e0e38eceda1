import { describe, expect, it } from 'vitest';
import { defaultCatalogue, defineCatalogue } from '../../src/index.js';
import { RECORDS_CSV_COLUMNS, recordsOfProcessing, recordsToCsv, recordsToMarkdown } from '../../src/report/index.js';

/** A small RFC 4180 parser, independent of the writer, to read the CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('recordsOfProcessing', () => {
  const records = recordsOfProcessing(defaultCatalogue);

  it('lists the controller, the catalogue version and each subject category with its permitted purposes', () => {
    expect(records.controller).toEqual({ name: 'Example Co., Ltd.' });
    expect(records.catalogueVersion).toBe('2026-11-24');
    expect(records.subjects.map((s) => [s.id, s.purposes.map((p) => p.id)])).toEqual([
      ['customer', ['identification', 'service-provision', 'billing', 'customer-support', 'product-development', 'marketing.notifications', 'marketing.surveys', 'marketing.analytics', 'fraud-prevention', 'website-convenience']],
      ['client', ['business-communication', 'client-management']],
      ['shareholder', ['statutory-shareholder-rights', 'shareholder-registry']],
      ['applicant', ['recruitment.communication', 'recruitment.administration']],
      ['employee', ['business-communication', 'employment.administration', 'employment.health-management']],
    ]);
  });

  it('states bases, consent and objection facts, data categories and special-care data', () => {
    const customer = records.subjects[0];
    const notifications = customer?.purposes.find((p) => p.id === 'marketing.notifications');
    expect(notifications).toMatchObject({ basis: 'consent', requiresConsent: true, objectable: true, dataCategories: ['identity', 'contact'], noticeText: 'To notify of our product information, after-sales services, and preferential treatment' });
    expect(notifications?.basisNote).toContain('opt-in');
    expect(customer?.purposes.find((p) => p.id === 'billing')).toMatchObject({ basis: 'contract', requiresConsent: false, objectable: false });
    const employee = records.subjects.find((s) => s.id === 'employee');
    expect(employee?.specialCareData).toEqual(['health']);
    expect(employee?.purposes.find((p) => p.id === 'employment.health-management')?.specialCareData).toEqual(['health']);
    expect(customer?.specialCareData).toEqual([]);
    expect(customer).not.toHaveProperty('retention');
    expect(JSON.parse(JSON.stringify(records))).toEqual(records);
  });

  const small = defineCatalogue({
    version: 'v "2", final',
    controller: { name: 'Tiny, "Quoted" Ltd.', contact: 'privacy@tiny.example' },
    dataCategories: { contact: { title: 'Contact' }, health: { title: 'Health', specialCare: true } },
    purposes: {
      care: { title: 'Care', basis: 'vital_interests', basisNote: 'Line one\nline two', dataCategories: ['contact', 'health'] },
      'care.followup': { title: 'Follow | up' },
      'care.records': { title: 'Records', basis: 'legal_obligation', dataCategories: ['contact'] },
      'care.research': { title: 'Research', requiresConsent: true },
    },
    subjects: {
      patient: {
        title: 'Patients',
        purposes: { 'care.followup': 'To follow up, "well"', 'care.records': 'To keep records' },
        prohibited: ['care.research'],
        retention: { duration: { years: 5, months: 6 }, note: 'Medical Care Act' },
      },
    },
  });

  it('lists what the guard allows: inherited basis, note and categories; a prohibition also removes the ancestors', () => {
    const [patient] = recordsOfProcessing(small).subjects;
    expect(patient?.purposes.map((p) => [p.id, p.basis, p.basisNote, p.dataCategories.join(' '), p.permittedBy])).toEqual([
      ['care.followup', 'vital_interests', 'Line one\nline two', 'contact health', 'subjects.patient.purposes["care.followup"]'],
      ['care.records', 'legal_obligation', undefined, 'contact', 'subjects.patient.purposes["care.records"]'],
    ]);
    const open = defineCatalogue({ ...small, subjects: { patient: { title: 'Patients', purposes: { care: 'To care' } } } });
    expect(recordsOfProcessing(open).subjects[0]?.purposes.map((p) => [p.id, p.requiresConsent, p.permittedBy])).toEqual([
      ['care', false, 'subjects.patient.purposes.care'],
      ['care.followup', false, 'subjects.patient.purposes.care'],
      ['care.records', false, 'subjects.patient.purposes.care'],
      ['care.research', true, 'subjects.patient.purposes.care'],
    ]);
    expect(patient?.prohibited).toEqual(['care.research']);
    expect(patient?.retention).toEqual({ duration: { years: 5, months: 6 }, text: '5 years 6 months', note: 'Medical Care Act' });
  });

  it('writes RFC 4180 CSV that reads back to the same fields, quoting commas, quotes and line breaks', () => {
    const csv = recordsToCsv(recordsOfProcessing(small));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"Tiny, ""Quoted"" Ltd."');
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...RECORDS_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(RECORDS_CSV_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(first).toMatchObject({
      controller: 'Tiny, "Quoted" Ltd.',
      catalogue_version: 'v "2", final',
      purpose: 'Follow | up',
      basis_note: 'Line one\nline two',
      data_categories: 'contact;health',
      special_care_data: 'health',
      retention: '5 years 6 months',
      notice_text: 'To follow up, "well"',
    });
    const full = parseCsv(recordsToCsv(records));
    expect(full).toHaveLength(1 + 19);
    for (const row of full) expect(row).toHaveLength(RECORDS_CSV_COLUMNS.length);
  });

  it('writes a CSV row, purpose fields empty, for a subject category with no permitted purposes, as the register does', () => {
    const visitor = { title: 'Visitors', purposes: {}, retention: { duration: { months: 1 } } };
    const withVisitor = defineCatalogue({ ...small, subjects: { ...small.subjects, visitor } });
    const raw = parseCsv(recordsToCsv(recordsOfProcessing(withVisitor)));
    for (const row of raw) expect(row).toHaveLength(RECORDS_CSV_COLUMNS.length);
    const rows = raw.map((row) => Object.fromEntries(RECORDS_CSV_COLUMNS.map((c, i) => [c, row[i]])));
    expect(rows.map((r) => r['subject_id'])).toEqual(['subject_id', 'patient', 'patient', 'visitor']);
    expect(rows[3]).toMatchObject({ subject: 'Visitors', purpose_id: '', purpose: '', legal_basis: '', data_categories: '', retention: '1 month', notice_text: '' });
  });

  it('writes Markdown with one section per subject and escaped table cells', () => {
    const text = recordsToMarkdown(recordsOfProcessing(small));
    expect(text).toContain('# Records of processing activities');
    expect(text).toContain('- Controller: Tiny, "Quoted" Ltd. (privacy@tiny.example)');
    expect(text).toContain('## Patients (`patient`)');
    expect(text).toContain('| Follow \\| up (`care.followup`) | vital_interests | no | no | `contact`, `health` (special care) | Line one line two |');
    expect(text).toContain('- Retention after the relationship ends: 5 years 6 months (Medical Care Act)');
    expect(text).toContain('- Prohibited purposes: `care.research`');
    const full = recordsToMarkdown(records);
    for (const s of records.subjects) expect(full).toContain(`## ${s.title} (\`${s.id}\`)`);
    expect(full).toContain('| `health` | Health information | yes |');
  });
});

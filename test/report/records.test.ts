import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../src/catalogue/types.js';
import { createGuard, type Decision, defaultCatalogue, defineCatalogue } from '../../src/index.js';
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
    expect(notifications).toMatchObject({ basis: 'consent', requiresConsent: true, consentRequiredFor: [], objectable: true, dataCategories: ['identity', 'contact'], noticeText: 'To notify of our product information, after-sales services, and preferential treatment' });
    expect(notifications?.basisNote).toContain('opt-in');
    expect(customer?.purposes.find((p) => p.id === 'billing')).toMatchObject({ basis: 'contract', requiresConsent: false, objectable: false });
    const employee = records.subjects.find((s) => s.id === 'employee');
    expect(employee?.specialCareData).toEqual(['health']);
    expect(employee?.purposes.find((p) => p.id === 'employment.health-management')).toMatchObject({ requiresConsent: false, consentRequiredFor: ['health'], specialCareData: ['health'] });
    expect(customer?.specialCareData).toEqual([]);
    expect(customer).not.toHaveProperty('retention');
    expect(JSON.parse(JSON.stringify(records))).toEqual(records);
  });

  const small = defineCatalogue({
    version: 'v "2", final',
    controller: { name: 'Tiny, "Quoted" Ltd.', contact: 'privacy@tiny.example' },
    dataCategories: { contact: { title: 'Contact' }, health: { title: 'Health', specialCare: true } },
    purposes: {
      care: { title: 'Care', basis: 'vital_interests', basisNote: 'Vital interests | see Art. 9(2)(c)', dataCategories: ['contact', 'health'] },
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
      ['care.followup', 'vital_interests', 'Vital interests | see Art. 9(2)(c)', 'contact health', 'subjects.patient.purposes["care.followup"]'],
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

  /** The register of `small` with a line break in a note: the records are plain data, and may come from anywhere. */
  const withLineBreak = () => {
    const r = recordsOfProcessing(small);
    const [patient] = r.subjects as [(typeof r.subjects)[number]];
    const [followup, ...rest] = patient.purposes as [(typeof patient.purposes)[number]];
    return { ...r, subjects: [{ ...patient, purposes: [{ ...followup, basisNote: 'Line one\nline two' }, ...rest] }] };
  };

  it('writes RFC 4180 CSV that reads back to the same fields, quoting commas, quotes and line breaks', () => {
    const csv = recordsToCsv(withLineBreak());
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
    const text = recordsToMarkdown(withLineBreak());
    expect(text).toContain('# Records of processing activities');
    expect(text).toContain('- Controller: Tiny, "Quoted" Ltd. (privacy@tiny.example)');
    expect(text).toContain('## Patients (`patient`)');
    expect(text).toContain(
      '| Follow \\| up (`care.followup`) | vital_interests | required when processing `health` | no | `contact`, `health` (special care) | none | Line one line two | `subjects.patient.purposes["care.followup"]` | To follow up, "well" |',
    );
    expect(text).toContain('- Retention after the relationship ends: 5 years 6 months (Medical Care Act)');
    expect(text).toContain('- Prohibited purposes: `care.research`');
    const full = recordsToMarkdown(records);
    for (const s of records.subjects) expect(full).toContain(`## ${s.title} (\`${s.id}\`)`);
    expect(full).toContain('| `health` | Health information | yes |');
  });

  describe('consent, as the guard enforces it', () => {
    type Check = (subject: string, purpose: string, context?: unknown) => Decision;
    const NOW = '2026-06-01T00:00:00Z';

    /** Every subset of a list (all of them up to 6 members; beyond that the empty list, each single member and the whole list). */
    const subsetsOf = (list: readonly string[]): string[][] =>
      list.length <= 6
        ? Array.from({ length: 2 ** list.length }, (_, mask) => list.filter((_, i) => (mask & (1 << i)) !== 0))
        : [[], ...list.map((c) => [c]), [...list]];

    /**
     * For every subject category and every purpose of the catalogue: a purpose the register leaves out is denied
     * by permission; for one it lists, a use of any set D of its data categories without consent is allowed
     * exactly when neither `requiresConsent` nor a category of D in `consentRequiredFor` says consent is needed,
     * is denied for want of consent otherwise, and is allowed with a valid consent. Returns the uses compared.
     */
    function expectRegisterMatchesGuard(catalogue: Catalogue): number {
      const check = createGuard(catalogue).checkUse as Check;
      let uses = 0;
      for (const s of recordsOfProcessing(catalogue).subjects) {
        const listed = new Map(s.purposes.map((p) => [p.id, p]));
        for (const pid of Object.keys(catalogue.purposes)) {
          const p = listed.get(pid);
          if (p === undefined) {
            expect(['purpose_not_permitted', 'purpose_prohibited'], `${s.id} ${pid}`).toContain(check(s.id, pid, { now: NOW }).reason);
            continue;
          }
          expect(p.consentRequiredFor.every((c) => p.specialCareData.includes(c)), `${s.id} ${pid}`).toBe(true);
          expect(check(s.id, pid).allowed, `${s.id} ${pid} without context`).toBe(!p.requiresConsent);
          for (const used of subsetsOf(p.dataCategories)) {
            const use = `${s.id} ${pid} [${used.join(' ')}]`;
            const needsConsent = p.requiresConsent || used.some((c) => p.consentRequiredFor.includes(c));
            const without = check(s.id, pid, { now: NOW, dataCategories: used });
            expect({ use, allowed: without.allowed, reason: without.reason }).toEqual({ use, allowed: !needsConsent, reason: needsConsent ? 'consent_required' : 'permitted' });
            const consented = check(s.id, pid, { now: NOW, dataCategories: used, consents: [{ purpose: pid, grantedAt: '2026-01-01T00:00:00Z' }] });
            expect(consented.allowed, `${use} with consent`).toBe(true);
            uses++;
          }
        }
      }
      return uses;
    }

    it('states the consent special-care data needs (rule 6): employee health management needs it when health data is processed', () => {
      const register = recordsOfProcessing(defaultCatalogue);
      const health = register.subjects.find((s) => s.id === 'employee')?.purposes.find((p) => p.id === 'employment.health-management');
      expect(health).toMatchObject({ basis: 'legal_obligation', requiresConsent: false, consentRequiredFor: ['health'] });
      const row = parseCsv(recordsToCsv(register)).find((r) => r[RECORDS_CSV_COLUMNS.indexOf('purpose_id')] === 'employment.health-management');
      expect(row?.[RECORDS_CSV_COLUMNS.indexOf('requires_consent')]).toBe('when processing special-care data');
      expect(row?.[RECORDS_CSV_COLUMNS.indexOf('consent_required_for')]).toBe('health');
      expect(recordsToMarkdown(register)).toContain('| Employee health management (`employment.health-management`) | legal_obligation | required when processing `health` | no |');
    });

    it('matches checkUse for every subject category, purpose and set of data categories of the default catalogue', () => {
      expect(expectRegisterMatchesGuard(defaultCatalogue)).toBeGreaterThan(250);
    });

    it('matches checkUse with consent required outright, inherited categories, and categories past the 30 the guard keeps as bits', () => {
      const dataCategories: Record<string, { title: string; specialCare?: boolean }> = {};
      for (let i = 0; i < 34; i++) dataCategories[`c${i}`] = { title: `C${i}`, ...(i === 14 || i === 29 || i === 31 || i === 33 ? { specialCare: true } : {}) };
      const wide = defineCatalogue({
        version: '1',
        controller: { name: 'Wide Ltd.' },
        dataCategories,
        purposes: {
          care: { title: 'Care', basis: 'contract', dataCategories: ['c0', 'c14', 'c31', 'c33'] },
          'care.followup': { title: 'Follow-up' },
          'care.research': { title: 'Research', requiresConsent: true },
          news: { title: 'News', basis: 'consent', dataCategories: ['c1', 'c29'] },
          plain: { title: 'Plain', basis: 'legal_obligation', dataCategories: ['c2', 'c30', 'c32'] },
        },
        subjects: {
          patient: { title: 'Patients', purposes: { care: 'To care', news: 'To send news', plain: 'To keep records' } },
          visitor: { title: 'Visitors', purposes: { 'care.followup': 'To follow up' }, prohibited: ['news'] },
        },
      });
      expect(expectRegisterMatchesGuard(wide)).toBeGreaterThan(40);
      expect(recordsOfProcessing(wide).subjects[0]?.purposes.map((p) => [p.id, p.requiresConsent, p.consentRequiredFor])).toEqual([
        ['care', false, ['c14', 'c31', 'c33']],
        ['care.followup', false, ['c14', 'c31', 'c33']],
        ['care.research', true, []],
        ['news', true, []],
        ['plain', false, []],
      ]);
    });
  });

  describe('every format carries what the README lists', () => {
    const linked = defineCatalogue({
      version: '3',
      controller: { name: 'Linked Ltd.' },
      dataCategories: { contact: { title: 'Contact' } },
      purposes: {
        billing: { title: 'Billing', basis: 'contract', dataCategories: ['contact'], compatibleWith: ['support', 'audit'] },
        support: { title: 'Support', basis: 'contract', dataCategories: ['contact'] },
        audit: { title: 'Audit', basis: 'legal_obligation' },
        marketing: { title: 'Marketing', basis: 'legitimate_interests', objectable: true },
      },
      subjects: { customer: { title: 'Customers', purposes: { billing: 'To bill you', support: 'To help you' }, prohibited: ['marketing', 'audit'] } },
    });
    const register = recordsOfProcessing(linked);

    it('Markdown: compatible further purposes, the permitting entry, the notice text and the prohibited purposes', () => {
      const text = recordsToMarkdown(register);
      expect(text).toContain('| Purpose | Legal basis | Consent | Objection | Data categories | Compatible further purposes | Basis note | Permitted by | Notice text |');
      expect(text).toContain('| Billing (`billing`) | contract | no | no | `contact` | `support`, `audit` |  | `subjects.customer.purposes.billing` | To bill you |');
      expect(text).toContain('| Support (`support`) | contract | no | no | `contact` | none |  | `subjects.customer.purposes.support` | To help you |');
      expect(text).toContain('- Prohibited purposes: `marketing`, `audit`');
    });

    it('CSV: compatible further purposes, and the prohibited purposes on every row of the category', () => {
      const rows = parseCsv(recordsToCsv(register)).map((row) => Object.fromEntries(RECORDS_CSV_COLUMNS.map((c, i) => [c, row[i]])));
      expect(rows.slice(1).map((r) => [r['purpose_id'], r['compatible_with'], r['prohibited'], r['permitted_by'], r['notice_text']])).toEqual([
        ['billing', 'support;audit', 'marketing;audit', 'subjects.customer.purposes.billing', 'To bill you'],
        ['support', '', 'marketing;audit', 'subjects.customer.purposes.support', 'To help you'],
      ]);
    });

    it('JSON: the same facts', () => {
      expect(register.subjects[0]).toMatchObject({ prohibited: ['marketing', 'audit'] });
      expect(register.subjects[0]?.purposes[0]).toMatchObject({ compatibleWith: ['support', 'audit'], permittedBy: 'subjects.customer.purposes.billing', noticeText: 'To bill you' });
    });
  });

  describe('hostile catalogue text', () => {
    const hostile = defineCatalogue({
      version: '1 | injected',
      controller: { name: "=cmd|'/c calc'!A1", contact: '+1-555 <script>alert(1)</script>' },
      dataCategories: {
        contact: { title: 'Contact | <img src=x onerror=alert(1)>', description: 'line1\n# Fake heading' },
        health: { title: "@SUM(1+1)*cmd|' /C calc'!A0", specialCare: true },
      },
      purposes: {
        billing: { title: 'Billing ## Injected section | a | b |', basis: 'contract', basisNote: "-2+3+cmd|' /C calc'!A0", dataCategories: ['contact', 'health'] },
        odd: { title: '[click](javascript:alert(1)) *bold* `code` ~~gone~~ &amp; \\', basis: 'contract' },
      },
      subjects: {
        second: { title: 'Second', description: '---', purposes: {} },
        customer: {
          title: 'Customers</h2><script>alert(1)</script>',
          description: '# not a heading\n---',
          purposes: { billing: '\tTo bill', odd: '=HYPERLINK("http://evil","x")' },
          retention: { duration: { years: 1 }, note: '=HYPERLINK("http://evil","x")' },
        },
      },
    });

    /** The pipes of a Markdown line that are cell borders: not escaped by an odd number of backslashes. */
    const borders = (line: string): number => [...line.matchAll(/(?<!\\)(?:\\\\)*\|/g)].length;

    it('Markdown: no raw HTML, no heading, list, rule or table cell of the catalogue text, inline syntax escaped', () => {
      const text = recordsToMarkdown(recordsOfProcessing(hostile));
      expect(text).not.toMatch(/[<>]/);
      expect(text).toContain('- Controller: =cmd\\|\'/c calc\'!A1 (+1-555 &lt;script&gt;alert(1)&lt;/script&gt;)');
      expect(text).toContain('\n\n\\---\n\n');
      expect(text).toContain('\n\n\\# not a heading ---\n\n');
      expect(text).toContain('| Billing ## Injected section \\| a \\| b \\| (`billing`) |');
      expect(text).toContain('| \\[click\\](javascript:alert(1)) \\*bold\\* \\`code\\` \\~\\~gone\\~\\~ &amp;amp; \\\\ (`odd`) |');
      const lines = text.split('\n');
      expect(lines.filter((l) => l.startsWith('#'))).toEqual([
        '# Records of processing activities',
        '## Second (`second`)',
        '## Customers&lt;/h2&gt;&lt;script&gt;alert(1)&lt;/script&gt; (`customer`)',
        '## Data categories',
      ]);
      // Every row of a table has as many cell borders as its header.
      let header = 0;
      for (const line of lines) {
        if (!line.startsWith('|')) header = 0;
        else if (header === 0) header = borders(line);
        else expect(borders(line), line).toBe(header);
      }
      // A line break in any text (records may come from anywhere) stays inside its line.
      const register = recordsOfProcessing(hostile);
      const broken = recordsToMarkdown({ ...register, controller: { name: 'A\n# B\r\n- C\rD' } });
      expect(broken).toContain('- Controller: A # B - C D\n');
    });

    it('Markdown: a description that would open a block stays a paragraph of text', () => {
      const cases: [string, string][] = [
        ['# h', '\\# h'],
        ['### h ###', '\\### h ###'],
        ['---', '\\---'],
        ['- item', '\\- item'],
        ['+ item', '\\+ item'],
        ['* item', '\\* item'],
        ['> quote', '&gt; quote'],
        ['= x', '\\= x'],
        ['===', '\\==='],
        ['1. one', '1\\. one'],
        ['12) twelve', '12\\) twelve'],
        ['    indented code', 'indented code'],
        ['```js', '\\`\\`\\`js'],
        ['~~~', '\\~\\~\\~'],
        ['<div onclick="x">', '&lt;div onclick="x"&gt;'],
        ['[a]: http://evil.example', '\\[a\\]: http://evil.example'],
        ['| a | b |', '\\| a \\| b \\|'],
        ['Plain text, kept.', 'Plain text, kept.'],
      ];
      for (const [description, expected] of cases) {
        const c = defineCatalogue({ ...small, subjects: { patient: { ...small.subjects.patient, description } } });
        expect(recordsToMarkdown(recordsOfProcessing(c)), description).toContain(`## Patients (\`patient\`)\n\n${expected}\n\n- Data categories:`);
      }
    });

    it('CSV: a field a spreadsheet would run as a formula starts with a quote, and reads back with it', () => {
      const rows = parseCsv(recordsToCsv(recordsOfProcessing(hostile)));
      for (const row of rows) {
        expect(row).toHaveLength(RECORDS_CSV_COLUMNS.length);
        for (const field of row) expect(field, field).not.toMatch(/^[=+\-@\t\r]/);
      }
      const at = (row: string[] | undefined, column: (typeof RECORDS_CSV_COLUMNS)[number]) => row?.[RECORDS_CSV_COLUMNS.indexOf(column)];
      const byPurpose = (id: string) => rows.find((r) => at(r, 'purpose_id') === id);
      expect(at(rows[1], 'controller')).toBe("'=cmd|'/c calc'!A1");
      expect(at(byPurpose('billing'), 'basis_note')).toBe("'-2+3+cmd|' /C calc'!A0");
      expect(at(byPurpose('billing'), 'notice_text')).toBe("'\tTo bill");
      expect(at(byPurpose('odd'), 'notice_text')).toBe('\'=HYPERLINK("http://evil","x")');
      // Each leading character on its own, and RFC 4180 quoting still applies to the quoted value.
      const register = recordsOfProcessing(small);
      for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
        const csv = recordsToCsv({ ...register, controller: { name: `${lead}1+1,"x"` } });
        expect(parseCsv(csv)[1]?.[0], JSON.stringify(lead)).toBe(`'${lead}1+1,"x"`);
        expect(csv.split('\r\n')[1]?.startsWith(`"'${lead}1+1,""x""",`), JSON.stringify(lead)).toBe(true);
      }
      expect(recordsToCsv(register).split('\r\n')[1]?.startsWith('"Tiny, ""Quoted"" Ltd.",')).toBe(true);
    });
  });

  describe('a polluted Object.prototype', () => {
    const POLLUTION: Record<string, unknown> = {
      description: 'POLLUTED description',
      basisNote: 'POLLUTED note',
      note: 'POLLUTED retention note',
      contact: 'POLLUTED contact',
      compatibleWith: ['billing'],
      retention: { duration: { years: 99 }, text: 'POLLUTED retention' },
    };

    it('adds nothing to the register, in any format, whether the records are made during the pollution or before it', () => {
      const bare = defineCatalogue({
        version: '1',
        controller: { name: 'Bare Ltd.' },
        dataCategories: { contact: { title: 'Contact' } },
        purposes: { billing: { title: 'Billing', basis: 'contract', dataCategories: ['contact'] }, care: { title: 'Care', basis: 'contract' } },
        subjects: { customer: { title: 'Customers', purposes: { billing: 'To bill', care: 'To care' } } },
      });
      const clean = recordsOfProcessing(bare);
      const expected = [JSON.stringify(clean), recordsToMarkdown(clean), recordsToCsv(clean)];
      const proto = Object.prototype as Record<string, unknown>;
      let during: string[] = [];
      let before: string[] = [];
      try {
        for (const key of Object.keys(POLLUTION)) proto[key] = POLLUTION[key];
        const records = recordsOfProcessing(bare);
        during = [JSON.stringify(records), recordsToMarkdown(records), recordsToCsv(records)];
        before = [JSON.stringify(clean), recordsToMarkdown(clean), recordsToCsv(clean)];
      } finally {
        for (const key of Object.keys(POLLUTION)) delete proto[key];
      }
      expect(during).toEqual(expected);
      expect(before).toEqual(expected);
      expect(expected.join('')).not.toContain('POLLUTED');
    });
  });
});

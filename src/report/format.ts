import type { RecordsOfProcessing } from './records.js';

/**
 * The register as a Markdown document: one section per subject category with
 * a table of its purposes, then the data categories.
 *
 * @example
 * writeFileSync('records-of-processing.md', recordsToMarkdown(recordsOfProcessing(catalogue)));
 */
export function recordsToMarkdown(records: RecordsOfProcessing): string {
  const out: string[] = [
    '# Records of processing activities',
    '',
    `- Controller: ${md(records.controller.name)}${records.controller.contact === undefined ? '' : ` (${md(records.controller.contact)})`}`,
    `- Catalogue version: ${md(records.catalogueVersion)}`,
    '',
  ];
  for (const s of records.subjects) {
    out.push(`## ${md(s.title)} (\`${s.id}\`)`, '');
    if (s.description !== undefined) out.push(md(s.description), '');
    out.push(`- Data categories: ${s.dataCategories.length === 0 ? 'none' : s.dataCategories.map((c) => md(c.title)).join(', ')}`);
    out.push(`- Special care-required data: ${s.specialCareData.length === 0 ? 'none' : s.specialCareData.map((c) => `\`${c}\``).join(', ')}`);
    out.push(`- Retention after the relationship ends: ${s.retention === undefined ? 'not stated in the catalogue' : md(s.retention.text) + (s.retention.note === undefined ? '' : ` (${md(s.retention.note)})`)}`);
    if (s.prohibited.length > 0) out.push(`- Prohibited purposes: ${s.prohibited.map((p) => `\`${p}\``).join(', ')}`);
    out.push('');
    if (s.purposes.length === 0) {
      out.push('No permitted purposes.', '');
      continue;
    }
    out.push('| Purpose | Legal basis | Consent | Objection | Data categories | Basis note |', '|---|---|---|---|---|---|');
    for (const p of s.purposes) {
      const categories = p.dataCategories.map((c) => (p.specialCareData.includes(c) ? `\`${c}\` (special care)` : `\`${c}\``)).join(', ');
      out.push(
        `| ${md(p.title)} (\`${p.id}\`) | ${p.basis} | ${p.requiresConsent ? 'required' : 'no'} | ${p.objectable ? 'possible' : 'no'} | ${categories || 'none'} | ${md(p.basisNote ?? '')} |`,
      );
    }
    out.push('');
  }
  out.push('## Data categories', '', '| Id | Title | Special care | Description |', '|---|---|---|---|');
  for (const c of records.dataCategories) out.push(`| \`${c.id}\` | ${md(c.title)} | ${c.specialCare ? 'yes' : 'no'} | ${md(c.description ?? '')} |`);
  return `${out.join('\n')}\n`;
}

/** Text in a Markdown table cell: pipes escaped, line breaks flattened. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

/**
 * The CSV columns of `recordsToCsv`, in order.
 *
 * @example
 * recordsToCsv(records).startsWith(RECORDS_CSV_COLUMNS.join(',')); // true
 */
export const RECORDS_CSV_COLUMNS = [
  'controller',
  'catalogue_version',
  'subject_id',
  'subject',
  'purpose_id',
  'purpose',
  'legal_basis',
  'basis_note',
  'requires_consent',
  'objectable',
  'data_categories',
  'special_care_data',
  'retention',
  'permitted_by',
  'notice_text',
] as const;

/**
 * The register as CSV (RFC 4180: CRLF line ends, a header row, fields with a
 * comma, quote or line break quoted, quotes doubled): one row per subject
 * category and purpose, and one row with empty purpose fields for a category
 * with no permitted purpose; lists are `;`-separated ids.
 *
 * @example
 * writeFileSync('records-of-processing.csv', recordsToCsv(recordsOfProcessing(catalogue)));
 */
export function recordsToCsv(records: RecordsOfProcessing): string {
  const rows: string[][] = [[...RECORDS_CSV_COLUMNS]];
  for (const s of records.subjects) {
    const subject = [records.controller.name, records.catalogueVersion, s.id, s.title];
    const retention = s.retention?.text ?? '';
    // A category whose data may be used for nothing is still a category the register (and the notice) lists.
    if (s.purposes.length === 0) rows.push([...subject, '', '', '', '', '', '', '', '', retention, '', '']);
    for (const p of s.purposes) {
      rows.push([
        ...subject,
        p.id,
        p.title,
        p.basis,
        p.basisNote ?? '',
        p.requiresConsent ? 'yes' : 'no',
        p.objectable ? 'yes' : 'no',
        p.dataCategories.join(';'),
        p.specialCareData.join(';'),
        retention,
        p.permittedBy,
        p.noticeText,
      ]);
    }
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

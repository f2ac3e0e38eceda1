import { ownSnapshot } from '../compile/snapshot.js';
import type { PurposeRecord, RecordsOfProcessing } from './records.js';

/**
 * The register as a Markdown document: one section per subject category with
 * a table of its purposes, then the data categories. Catalogue text stays
 * text: HTML-significant characters become entities (`&lt;`), inline Markdown
 * syntax is backslash-escaped, line breaks are flattened, and a description,
 * which stands as a paragraph of its own, cannot open a heading, list, quote,
 * rule or code block.
 *
 * @example
 * writeFileSync('records-of-processing.md', recordsToMarkdown(recordsOfProcessing(catalogue)));
 */
export function recordsToMarkdown(input: RecordsOfProcessing): string {
  // Own fields only: an optional field left out (a description, a note) must not read through to a polluted prototype.
  const records = ownSnapshot(input);
  const out: string[] = [
    '# Records of processing activities',
    '',
    `- Controller: ${md(records.controller.name)}${records.controller.contact === undefined ? '' : ` (${md(records.controller.contact)})`}`,
    `- Catalogue version: ${md(records.catalogueVersion)}`,
    '',
  ];
  for (const s of records.subjects) {
    out.push(`## ${md(s.title)} (${code(s.id)})`, '');
    if (s.description !== undefined) out.push(mdBlock(s.description), '');
    out.push(`- Data categories: ${s.dataCategories.length === 0 ? 'none' : s.dataCategories.map((c) => md(c.title)).join(', ')}`);
    out.push(`- Special care-required data: ${codes(s.specialCareData)}`);
    out.push(`- Retention after the relationship ends: ${s.retention === undefined ? 'not stated in the catalogue' : md(s.retention.text) + (s.retention.note === undefined ? '' : ` (${md(s.retention.note)})`)}`);
    out.push(`- Prohibited purposes: ${codes(s.prohibited)}`);
    out.push('');
    if (s.purposes.length === 0) {
      out.push('No permitted purposes.', '');
      continue;
    }
    out.push(
      '| Purpose | Legal basis | Consent | Objection | Data categories | Compatible further purposes | Basis note | Permitted by | Notice text |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const p of s.purposes) {
      const categories = p.dataCategories.map((c) => (p.specialCareData.includes(c) ? `${code(c)} (special care)` : code(c))).join(', ');
      out.push(
        `| ${md(p.title)} (${code(p.id)}) | ${md(p.basis)} | ${consentCell(p)} | ${p.objectable ? 'possible' : 'no'} | ${categories || 'none'} | ${codes(p.compatibleWith)} | ${md(p.basisNote ?? '')} | ${code(p.permittedBy)} | ${md(p.noticeText)} |`,
      );
    }
    out.push('');
  }
  out.push('## Data categories', '', '| Id | Title | Special care | Description |', '|---|---|---|---|');
  for (const c of records.dataCategories) out.push(`| ${code(c.id)} | ${md(c.title)} | ${c.specialCare ? 'yes' : 'no'} | ${md(c.description ?? '')} |`);
  return `${out.join('\n')}\n`;
}

/** What the guard asks for before a use: consent always, for uses touching some special-care data, or never. */
function consentCell(p: PurposeRecord): string {
  if (p.requiresConsent) return 'required';
  if (p.consentRequiredFor.length > 0) return `required when processing ${p.consentRequiredFor.map(code).join(', ')}`;
  return 'no';
}

/**
 * Inline text (a table cell, a heading, a list item): line breaks flattened,
 * Markdown's inline syntax (an underscore only where it could open emphasis)
 * and table pipes backslash-escaped, and `&`, `<`,
 * `>` written as entities, so no raw HTML, link, code span or emphasis gets through.
 */
function md(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    // An underscore between letters or digits (`legitimate_interests`) cannot open emphasis; any other can.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Text that stands at the start of a line as a paragraph of its own: inline-escaped,
 * and a leading marker that would open a block (`#` heading, `-`/`+` list or rule,
 * `=` setext underline, `1.` ordered list, an indent that makes code) neutralised.
 * (`>`, `<`, `*`, `_`, `` ` ``, `~` and `|` are already entities or escaped by `md`.)
 */
function mdBlock(text: string): string {
  return md(text)
    .replace(/^[ \t]+/, '')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^[#+\-=]/, '\\$&');
}

/** An id or catalogue path as a code span; anything a code span cannot hold safely is written as escaped text instead. */
function code(id: string): string {
  return /^[^`|\\\r\n]+$/.test(id) ? `\`${id}\`` : md(id);
}

function codes(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.map(code).join(', ');
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
  'consent_required_for',
  'objectable',
  'data_categories',
  'special_care_data',
  'compatible_with',
  'retention',
  'prohibited',
  'permitted_by',
  'notice_text',
] as const;

/** The `requires_consent` value of a purpose that needs consent only when some of its special-care data is processed. */
const CONSENT_FOR_SPECIAL_CARE = 'when processing special-care data';

/**
 * The register as CSV (RFC 4180: CRLF line ends, a header row, fields with a
 * comma, quote or line break quoted, quotes doubled): one row per subject
 * category and purpose, and one row with empty purpose fields for a category
 * with no permitted purpose; lists are `;`-separated ids. `requires_consent`
 * is `yes` (every use), `no`, or `when processing special-care data`, the
 * categories named in `consent_required_for`. A field that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
 * spreadsheet shows it as text and never runs it as a formula (OWASP CSV injection).
 *
 * @example
 * writeFileSync('records-of-processing.csv', recordsToCsv(recordsOfProcessing(catalogue)));
 */
export function recordsToCsv(input: RecordsOfProcessing): string {
  const records = ownSnapshot(input);
  const rows: string[][] = [[...RECORDS_CSV_COLUMNS]];
  for (const s of records.subjects) {
    const subject = [records.controller.name, records.catalogueVersion, s.id, s.title];
    const retention = s.retention?.text ?? '';
    const prohibited = s.prohibited.join(';');
    // A category whose data may be used for nothing is still a category the register (and the notice) lists.
    if (s.purposes.length === 0) rows.push([...subject, '', '', '', '', '', '', '', '', '', '', retention, prohibited, '', '']);
    for (const p of s.purposes) {
      rows.push([
        ...subject,
        p.id,
        p.title,
        p.basis,
        p.basisNote ?? '',
        p.requiresConsent ? 'yes' : p.consentRequiredFor.length > 0 ? CONSENT_FOR_SPECIAL_CARE : 'no',
        p.consentRequiredFor.join(';'),
        p.objectable ? 'yes' : 'no',
        p.dataCategories.join(';'),
        p.specialCareData.join(';'),
        p.compatibleWith.join(';'),
        retention,
        prohibited,
        p.permittedBy,
        p.noticeText,
      ]);
    }
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** One RFC 4180 field, with a leading `'` on a value a spreadsheet would read as a formula. */
function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

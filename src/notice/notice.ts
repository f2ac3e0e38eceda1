import type { CatalogueSpec } from '../catalogue/types.js';
import { ownSnapshot } from '../compile/snapshot.js';

/**
 * Writes the public "purposes of use" notice (APPI Art. 21) from the catalogue,
 * so the text people read and the rules the code enforces cannot drift apart.
 * Subject categories are numbered in catalogue order; a purpose's text is a
 * `・` bullet, or a `※` note when its entry has `style: 'note'`. The catalogue
 * is read through an own-fields copy (`ownSnapshot`), as the guard reads it: a
 * left-out heading or style never comes from a polluted `Object.prototype`.
 *
 * @example
 * renderPrivacyNotice(defaultCatalogue).split('\n')[0]; // 'Purposes of use of personal information'
 */
export function renderPrivacyNotice(original: CatalogueSpec): string {
  const catalogue = ownSnapshot(original);
  const lines: string[] = [
    catalogue.notice?.heading ?? 'Purposes of use of personal information',
    catalogue.notice?.intro ?? 'We will use the acquired personal information for the following purposes:',
  ];
  Object.entries(catalogue.subjects).forEach(([, subject], i) => {
    lines.push(`(${i + 1}) ${subject.noticeHeading ?? `Personal information on ${subject.title}`}`);
    for (const entry of Object.values(subject.purposes)) {
      const { text, style } = typeof entry === 'string' ? { text: entry, style: 'bullet' } : entry;
      lines.push(`- ${style === 'note' ? '※' : '・'}${text}`);
    }
  });
  return lines.join('\n');
}

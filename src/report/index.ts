/** Records of processing (GDPR Art. 30; APPI): core-safe, no Node built-ins. */
export { recordsToCsv, recordsToMarkdown, RECORDS_CSV_COLUMNS } from './format.js';
export { recordsOfProcessing, type DataCategoryRecord, type PurposeRecord, type RecordsOfProcessing, type SubjectRecord } from './records.js';

/**
 * purpose-guard: enforce purpose limitation of personal data where the data is touched.
 *
 * @packageDocumentation
 */
export { defaultCatalogue, type DefaultCatalogue } from './catalogue/default.js';
export { CatalogueError, formatPath } from './catalogue/error.js';
export { defineCatalogue, parseCatalogue, safeParseCatalogue } from './catalogue/parse.js';
export { catalogueSchema, LEGAL_BASES } from './catalogue/schema.js';
export type {
  Catalogue,
  CatalogueIssue,
  CatalogueIssueCode,
  CatalogueRefs,
  CatalogueSpec,
  DataCategoryOf,
  DataCategorySpec,
  LegalBasis,
  NoticeEntry,
  PurposeOf,
  PurposeSpec,
  RetentionDuration,
  SafeParseCatalogueResult,
  SubjectOf,
  SubjectSpec,
} from './catalogue/types.js';
export type { AuditPolicy, DecisionMeta, DecisionRecorder, GuardMode } from './audit/types.js';
export { PurposeViolationError } from './decision/error.js';
export type {
  AllowDecision,
  AllowReason,
  DecidingRecord,
  Decision,
  DecisionReason,
  DenyDecision,
  DenyReason,
  ExceptionGround,
  MonitoredDecision,
  RuleStep,
  UseGrant,
} from './decision/types.js';
export { ALLOW_REASONS, DENY_REASONS } from './decision/reasons.js';
export { type AnyGuard, createGuard, type Guard, type GuardOptions, type GuardPurpose, type GuardSubject } from './guard/guard.js';
export { assertUse, checkUse, permittedPurposes, prepareContext } from './guard/default-guard.js';
export type { ContextArg, ContextBound, ContextInputBound, ContextOf, PermittedPurpose, PreparedContext, PurposeArg, SubjectArg } from './guard/types.js';
export { renderPrivacyNotice } from './notice/notice.js';
export { CONTEXT_FIELDS } from './rules/context.js';
export type { ConsentRecord, DateInput, LegalException, ObjectionRecord, UseContext } from './rules/context.js';
export { contextSchemaFor } from './rules/context-schema.js';
export { DECISION_EVENT_SCHEMA, type DecisionEvent } from './audit/event.js';
export {
  RECORDS_CSV_COLUMNS,
  recordsOfProcessing,
  recordsToCsv,
  recordsToMarkdown,
  type DataCategoryRecord,
  type PurposeRecord,
  type RecordsOfProcessing,
  type SubjectRecord,
} from './report/index.js';
export { minimise, permittedDataCategories } from './minimise/index.js';
export type { FieldCategories, FieldCategoriesFor } from './minimise/index.js';

/**
 * `purpose-guard/audit`: the decision audit trail (Node.js). One event per
 * decision, to one or more sinks, with a failure policy that never drops an
 * event silently, and hash-chained logs that show any edit.
 *
 * @packageDocumentation
 */
export { canonicalJson, CanonicalJsonError } from './audit/canonical.js';
export { chainHash, GENESIS_HASH, type ChainBreak, type ChainRecord, type RecordKind, type SealBody, type VerifyOptions, type VerifyResult } from './audit/chain.js';
export { AuditError, AuditLogError, type AuditErrorKind } from './audit/errors.js';
export { DECISION_EVENT_SCHEMA, MAX_EVENT_STRING, toDecisionEvent, type DecisionEvent, type EventStamp } from './audit/event.js';
export { diagnosticsChannelSink, DECISION_CHANNEL } from './audit/sinks/diagnostics.js';
export { jsonlSink, type JsonlSink, type JsonlSinkOptions } from './audit/sinks/jsonl.js';
export { loggerSink, type StructuredLogger } from './audit/sinks/logger.js';
export { memorySink, type MemorySink } from './audit/sinks/memory.js';
export type { AuditSink } from './audit/sinks/sink.js';
export { catalogueHash, createAuditTrail, type AuditStats, type AuditTrail, type AuditTrailOptions } from './audit/trail.js';
export type { AuditPolicy, DecisionMeta, DecisionRecorder, GuardMode } from './audit/types.js';
export { verifyAuditLog } from './audit/verify.js';

/** The audit log: a tamper-evident, frame-by-frame JSON Lines record of what the model relied on. See docs/audit.md. */
export * from './audit-record.js';
export { frameRecord } from './frame-record.js';
export { createAuditWriter, type AuditWriter, type AuditWriterOptions, type AuditCloseOptions } from './audit-writer.js';
export { verifyAuditLog, verifyExitCode, type AuditStatus, type AuditVerification, type VerifyOptions } from './verify-audit-log.js';
export { summariseAuditLog, type AuditSummary, type ClassShare, type SlowFrame } from './summarise-audit-log.js';
export { renderSummaryHtml } from './render-summary-html.js';
export { auditVerifyCommand, auditSummaryCommand, formatVerification, formatSummary, type AuditIo } from './audit-commands.js';
export { thumbPath, wantsThumb, writeThumbnail, writeThumbnailFile, type ThumbOptions } from './thumbnails.js';
export { fileDigest, liveInput, modelDigest, combineDigests } from './header-facts.js';
export { auditRecordError, loadAuditSchema, AUDIT_SCHEMA_URL } from './record-schema.js';
export { countVideoFrames } from './count-video-frames.js';
export { sha256Hex, sha256File } from './sha256.js';
export { ChainAccumulator } from './chain.js';

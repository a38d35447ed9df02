/**
 * Validates audit records against the published JSON Schema (schemas/audit-record.schema.json) with ajv, so
 * the file in the repo, the writer and `audit verify` can never disagree about what a valid record is.
 * The schema sits two folders above this module both in src/audit and in the build (dist/audit).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { MetacamError } from '../errors.js';

export const AUDIT_SCHEMA_URL = new URL('../../schemas/audit-record.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

export function loadAuditSchema(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(AUDIT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new MetacamError('E_INTERNAL', `cannot load the audit schema at ${AUDIT_SCHEMA_URL.pathname}; reinstall metacam-video`, { cause });
  }
}

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true }).compile(loadAuditSchema());
  return compiled;
}

/** null when valid, otherwise one readable line naming the offending field. */
export function auditRecordError(record: unknown): string | null {
  const validate = validator();
  if (validate(record)) return null;
  const e = validate.errors?.[0];
  if (!e) return 'does not match the audit record schema';
  const where = e.instancePath || '(record)';
  const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
  return `${where} ${e.message ?? 'is invalid'}${extra}`;
}

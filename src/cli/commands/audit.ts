import { MetacamError } from '../../errors.js';
import type { Io } from '../main.js';

const HELP = `Usage:
  metacam audit verify <log.jsonl> [--video out.mp4] [--json]   exit 0 intact, 1 broken or truncated, 2 unreadable
  metacam audit summary <log.jsonl> [--html report.html]         text summary; a self-contained HTML report`;

/** `metacam audit verify|summary …` — thin dispatch to the audit module's command functions. */
export async function auditCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    io.stdout.write(`${HELP}\n`);
    return sub ? 0 : 2;
  }
  const audit = await import('../../audit/index.js');
  if (sub === 'verify') return audit.auditVerifyCommand(rest, io);
  if (sub === 'summary') return audit.auditSummaryCommand(rest, io);
  throw new MetacamError('E_ARG', `unknown audit subcommand '${sub}'; use 'verify' or 'summary'.\n${HELP}`);
}

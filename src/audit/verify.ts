import { readFileSync } from 'node:fs';
import { ChainVerifier, type VerifyOptions, type VerifyResult } from './chain.js';

/**
 * Verifies a hash-chained JSON Lines audit log (`jsonlSink`) and reports the
 * first record that does not verify: an edited record fails its own hash; a
 * deleted, inserted or moved record breaks the `prev` link of the record at
 * that position. A record inserted by someone who also recomputed its hash is
 * caught at the record after it; a tail cut off or rewritten whole is caught
 * by the seal (`requireSeal`) or by comparing with a head published elsewhere
 * (`expectedHead`). Never throws for a bad log; a missing file is reported as unreadable.
 *
 * @example
 * const result = verifyAuditLog('audit.jsonl', { requireSeal: true });
 * if (!result.intact) throw new Error(`audit log broken at record ${result.broken.index}`);
 */
export function verifyAuditLog(path: string, options: VerifyOptions = {}): VerifyResult {
  const verifier = new ChainVerifier();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    verifier.stop('unreadable', `cannot read ${path}: ${(error as Error).message}`);
    return verifier.result(options);
  }
  const lines = text.split('\n');
  // The file ends with a newline; anything after the last one is a partial record.
  if (lines[lines.length - 1] === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      verifier.stop('malformed', `record ${i} (line ${i + 1}) is not JSON${i === lines.length - 1 ? ' (an interrupted write?)' : ''}`);
      break;
    }
    // The line itself, not only what it parses to: it must be byte for byte the canonical form that was hashed.
    if (!verifier.next(record, { line })) break;
  }
  return verifier.result(options);
}

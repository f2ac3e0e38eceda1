import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditLog } from '../../src/audit.js';
import { createGuard, defaultCatalogue } from '../../src/index.js';
import { formatEvent, startSessionAudit } from '../../examples/audit.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/audit.ts', () => {
  it('records a session, prints it, verifies the log and shows a forged copy detected', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    try {
      const audit = startSessionAudit(defaultCatalogue, { dir });
      const guard = createGuard(defaultCatalogue, { recorder: audit.trail });
      guard.checkUse('customer', 'billing', { subjectId: 'customer-1' });
      guard.checkUse('employee', 'marketing.analytics' as string);
      expect(await audit.finish()).toBe(true);
      expect(verifyAuditLog(audit.logPath, { requireSeal: true })).toMatchObject({ intact: true, events: 2 });
      const out = printed.join('\n');
      expect(out).toContain('2 of 2 decisions recorded, 0 lost');
      expect(out).toContain('employee -> marketing.analytics [purpose_not_permitted]');
      expect(out).toContain('detected at record 1 (hash_mismatch)');
      expect(out).not.toContain('customer-1');
    } finally {
      log.mockRestore();
    }
  });

  it('formats a monitor-mode event as a would-be deny', () => {
    const audit = startSessionAudit(defaultCatalogue, { dir: join(dir, 'b') });
    createGuard(defaultCatalogue, { recorder: audit.trail, mode: 'monitor' }).checkUse('customer', 'marketing.notifications');
    expect(formatEvent(audit.events()[0]!)).toMatch(/WOULD-DENY customer -> marketing.notifications \[consent_required\] \(checkUse\)$/);
    void audit.trail.close();
  });
});

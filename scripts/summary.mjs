// Prints the plain "N passed, N failed" line CI reads, from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tmp/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
console.log(`${report.numPassedTests} passed, ${report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0)} failed`);

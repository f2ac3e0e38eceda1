/**
 * Writes a type-checking workload: a generated catalogue as a `defineCatalogue({...})`
 * TypeScript file and a file of typed call sites, then runs `tsc --extendedDiagnostics`
 * on it. Shared by `npm run bench:types` and the CI budget test.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { generateCatalogue, type GeneratedCatalogue } from './catalogue.js';

/** What to generate. */
export interface TypeWorkloadOptions {
  readonly purposes: number;
  readonly subjects: number;
  readonly depth?: number | undefined;
  /** Permitted call sites per subject (each also gets one `@ts-expect-error` misuse). */
  readonly callsPerSubject?: number | undefined;
}

/** The figures `tsc --extendedDiagnostics` reports that the benchmark uses. */
export interface TscDiagnostics {
  readonly files: number;
  readonly types: number;
  readonly instantiations: number;
  readonly memoryKb: number;
  readonly checkSeconds: number;
  readonly totalSeconds: number;
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Writes the workload into `dir` (created, and emptied first) and returns the number of call sites.
 *
 * @example
 * const sites = writeTypeWorkload('.tmp/bench-types', { purposes: 500, subjects: 50 });
 */
export function writeTypeWorkload(dir: string, options: TypeWorkloadOptions): { readonly callSites: number; readonly misuses: number } {
  const spec = generateCatalogue({ purposes: options.purposes, depth: options.depth ?? 3, subjects: options.subjects, seed: 11 });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = relative(dir, join(ROOT, 'src/index.js')).split('\\').join('/');
  writeFileSync(
    join(dir, 'catalogue.ts'),
    `import { createGuard, defineCatalogue } from '${src.startsWith('.') ? src : `./${src}`}';\n\nexport const catalogue = defineCatalogue(${JSON.stringify(spec, null, 2)});\n\nexport const guard = createGuard(catalogue);\n`,
  );
  const { lines, callSites, misuses } = callSitesFor(spec, options.callsPerSubject ?? 4);
  writeFileSync(join(dir, 'calls.ts'), `import { guard } from './catalogue.js';\n\nexport function run(): number {\n  let allowed = 0;\n${lines.join('\n')}\n  return allowed;\n}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noPropertyAccessFromIndexSignature: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['catalogue.ts', 'calls.ts'],
      },
      null,
      2,
    ),
  );
  return { callSites, misuses };
}

function callSitesFor(spec: GeneratedCatalogue, perSubject: number): { lines: string[]; callSites: number; misuses: number } {
  const purposeIds = Object.keys(spec.purposes);
  const lines: string[] = [];
  let callSites = 0;
  let misuses = 0;
  for (const [s, subject] of Object.entries(spec.subjects)) {
    const grants = Object.keys(subject.purposes);
    const covered = (p: string): boolean => grants.some((g) => p === g || p.startsWith(`${g}.`));
    const permitted = purposeIds.filter(covered);
    const step = Math.max(1, Math.floor(permitted.length / perSubject));
    for (let i = 0; i < permitted.length && i < step * perSubject; i += step) {
      const p = permitted[i] as string;
      const root = p.split('.')[0] as string;
      // Every other site passes a typed context, as a repository would.
      const ctx = callSites % 2 === 0 ? '' : `, { consents: [{ purpose: '${root}', grantedAt: '2026-01-01T00:00:00Z', id: 'c-${callSites}' }], dataCategories: ['identity'] }`;
      lines.push(`  if (guard.checkUse('${s}', '${p}'${ctx}).allowed) allowed++;`);
      callSites++;
    }
    const forbidden = purposeIds.find((p) => !covered(p));
    if (forbidden !== undefined) {
      lines.push(`  // @ts-expect-error -- '${forbidden}' is not a purpose of '${s}'`, `  guard.checkUse('${s}', '${forbidden}');`);
      misuses++;
    }
  }
  return { lines, callSites, misuses };
}

/**
 * Type-checks the workload in `dir` and parses `--extendedDiagnostics`.
 * Throws with tsc's output if there is any type error (a misuse that compiles is one).
 *
 * @example
 * const d = runTsc('.tmp/bench-types');
 * console.log(d.instantiations, d.checkSeconds);
 */
export function runTsc(dir: string): TscDiagnostics {
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  let out: string;
  try {
    out = execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc reported errors on the generated workload:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const num = (label: string): number => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(out);
    if (m === null) throw new Error(`no "${label}" in tsc --extendedDiagnostics output:\n${out}`);
    return Number(m[1]);
  };
  return {
    files: num('Files'),
    types: num('Types'),
    instantiations: num('Instantiations'),
    memoryKb: num('Memory used'),
    checkSeconds: num('Check time'),
    totalSeconds: num('Total time'),
  };
}

import { describe, expect, test } from 'vitest';
import ts from 'typescript';

/**
 * Every export of every public entry point carries JSDoc; every exported value
 * (function, class, constant) carries an `@example`. Types need a description only.
 */
const ENTRIES = [
  'src/index.ts',
  'src/node.ts',
  'src/audit.ts',
  'src/audit-sqlite.ts',
  'src/integrations/express/index.ts',
  'src/integrations/fastify/index.ts',
  'src/integrations/prisma/index.ts',
  'src/integrations/kysely/index.ts',
  'src/integrations/opentelemetry/index.ts',
];

const program = ts.createProgram(ENTRIES, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

function undocumented(entry: string): string[] {
  const source = program.getSourceFile(entry);
  if (source === undefined) return [`${entry}: not found`];
  const module = checker.getSymbolAtLocation(source);
  if (module === undefined) return [];
  const problems: string[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) continue;
    const file = declaration.getSourceFile().fileName;
    if (file.includes('node_modules')) continue;
    const docs = ts.displayPartsToString(symbol.getDocumentationComment(checker));
    const isValue = (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable)) !== 0;
    const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
    if (docs.trim() === '') problems.push(`${entry}: ${exported.name} has no JSDoc`);
    else if (isValue && !hasExample) problems.push(`${entry}: ${exported.name} has no @example`);
  }
  return problems;
}

describe('API documentation', () => {
  test.each(ENTRIES)('%s: every export is documented, every value has an example', (entry) => {
    expect(undocumented(entry)).toEqual([]);
  });
});

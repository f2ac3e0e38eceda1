import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      audit: 'src/audit.ts',
      'audit-sqlite': 'src/audit-sqlite.ts',
      express: 'src/integrations/express/index.ts',
      fastify: 'src/integrations/fastify/index.ts',
      prisma: 'src/integrations/prisma/index.ts',
      kysely: 'src/integrations/kysely/index.ts',
      opentelemetry: 'src/integrations/opentelemetry/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    external: ['better-sqlite3', 'express', 'fastify', 'fastify-plugin', 'kysely', '@opentelemetry/api'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);

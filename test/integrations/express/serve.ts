import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';

/** An app listening on a loopback port: its base URL, and how to stop it. */
export interface Served {
  readonly base: string;
  close(): Promise<void>;
}

/** Starts `app` on an ephemeral loopback port. */
export async function serve(app: Express): Promise<Served> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Serves `app` for the test file: started before its tests, stopped after them.
 * `base` is read inside tests, once the server is up.
 */
export function useServer(app: Express): { readonly base: string } {
  let served: Served | undefined;
  beforeAll(async () => {
    served = await serve(app);
  });
  afterAll(() => served?.close());
  return {
    get base(): string {
      if (served === undefined) throw new Error('the test server is not started yet');
      return served.base;
    },
  };
}

/** A response's JSON body, asserted field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export const json = async (r: Response): Promise<Record<string, any>> => (await r.json()) as Record<string, any>;

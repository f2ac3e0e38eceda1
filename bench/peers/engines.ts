import { accessControl } from './accesscontrol.js';
import { casbinAsync, casbinSync } from './casbin.js';
import { casl } from './casl.js';
import type { EngineFactory } from './engine.js';
import { pairLookupOnly, plainLookup } from './plain.js';
import { ownFieldsLookup } from './plain-own.js';
import { validatingLookup } from './plain-strict.js';
import { purposeGuard } from './purpose-guard.js';

/**
 * The baseline every ratio is taken against.
 *
 * @example
 * console.log(report(results, BASELINE));
 */
export const BASELINE = 'Map/Set lookup + consent loop';

/**
 * Every engine of the peer benchmark, baseline first.
 *
 * @example
 * for (const make of ENGINES) console.log((await make(queries, facts)).name);
 */
export const ENGINES: readonly EngineFactory[] = [plainLookup, pairLookupOnly, validatingLookup, ownFieldsLookup, purposeGuard, casl, casbinSync, casbinAsync, accessControl];

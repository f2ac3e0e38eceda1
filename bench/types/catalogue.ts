/**
 * Generated catalogues for the scaling and type-checking benchmarks: any
 * number of purposes, arranged in hierarchies of a given depth, with subjects
 * granted a deterministic share of them, some consent purposes and some
 * prohibitions, so every rule of the compiler has work to do.
 */
import { seededRandom } from '../harness.js';

/** The shape of a generated catalogue (the public JSON catalogue format). */
export interface GeneratedCatalogue {
  readonly version: string;
  readonly controller: { readonly name: string };
  readonly dataCategories: Record<string, { readonly title: string; readonly specialCare?: boolean }>;
  readonly purposes: Record<string, { readonly title: string; readonly basis: string; readonly requiresConsent?: boolean; readonly objectable?: boolean; readonly dataCategories?: readonly string[] }>;
  readonly subjects: Record<string, { readonly title: string; readonly purposes: Record<string, string>; readonly prohibited: readonly string[] }>;
}

/** Options of `generateCatalogue`. */
export interface GenerateOptions {
  readonly purposes: number;
  /** Segments in the deepest ids (1 = flat). */
  readonly depth: number;
  readonly subjects: number;
  readonly seed?: number | undefined;
}

const CATEGORIES = ['identity', 'contact', 'account', 'transaction', 'payment', 'usage', 'health'];

/**
 * Builds a catalogue: chains `gN`, `gN.l1`, `gN.l1.l2`... down to `depth`
 * segments until `purposes` ids exist; every 4th root requires consent, every
 * 7th is objectable; each subject is granted about a third of the purposes
 * (roots and deeper ones) and prohibited one other root.
 *
 * @example
 * const spec = generateCatalogue({ purposes: 1000, depth: 4, subjects: 10 });
 * const guard = createGuard(parseCatalogue(spec));
 */
export function generateCatalogue(options: GenerateOptions): GeneratedCatalogue {
  const random = seededRandom(options.seed ?? 7);
  const purposes: GeneratedCatalogue['purposes'] = {};
  const ids: string[] = [];
  const roots: string[] = [];
  for (let r = 0; ids.length < options.purposes; r++) {
    let id = `g${r}`;
    roots.push(id);
    for (let level = 1; level <= options.depth && ids.length < options.purposes; level++) {
      if (level > 1) id = `${id}.l${level - 1}`;
      ids.push(id);
      purposes[id] =
        level === 1
          ? {
              title: `Purpose ${id}`,
              basis: r % 4 === 1 ? 'consent' : r % 3 === 0 ? 'contract' : 'legitimate_interests',
              ...(r % 4 === 1 ? { requiresConsent: true } : {}),
              ...(r % 7 === 1 ? { objectable: true } : {}),
              dataCategories: CATEGORIES.filter((_, i) => (r + i) % 3 !== 0 && CATEGORIES[i] !== 'health'),
            }
          : { title: `Purpose ${id}`, basis: r % 4 === 1 ? 'consent' : 'contract' };
    }
  }
  const subjects: GeneratedCatalogue['subjects'] = {};
  for (let s = 0; s < options.subjects; s++) {
    const granted: Record<string, string> = {};
    const prohibitedRoot = roots[(s * 7 + 1) % roots.length] as string;
    for (const id of ids) {
      const root = id.split('.')[0] as string;
      if (root === prohibitedRoot) continue;
      // Grant a root (covering its descendants) or a single deeper purpose, never both for one chain.
      if (!id.includes('.') ? random() < 0.2 : random() < 0.15 && !Object.hasOwn(granted, root)) granted[id] = `Use for ${id}`;
    }
    const prohibited = roots.length > 1 && !Object.keys(granted).some((g) => g.split('.')[0] === prohibitedRoot) ? [prohibitedRoot] : [];
    subjects[`s${s}`] = { title: `Subject ${s}`, purposes: granted, prohibited };
  }
  return {
    version: `generated-${options.purposes}-${options.depth}`,
    controller: { name: 'Generated Co.' },
    dataCategories: Object.fromEntries(CATEGORIES.map((c) => [c, { title: c, ...(c === 'health' ? { specialCare: true } : {}) }])),
    purposes,
    subjects,
  };
}

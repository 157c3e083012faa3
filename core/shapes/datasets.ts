/**
 * Data sources with shapes known before running (issue 12):
 *
 * - `np.load("…")` of a literal path: the `.npy` header (magic, version,
 *   header dict) read from the workspace, or the member headers of an `.npz`
 *   (a `NpzFile` whose `["name"]` items are arrays). Only headers are read:
 *   the first bytes of a `.npy`; for an `.npz` the zip directory at the end
 *   and each member's first bytes (deflated members are inflated only as far
 *   as their header). The path is looked up next to the analyzed file, then
 *   in the workspace folder. Missing or unreadable: unknown, never an error.
 * - sklearn's bundled datasets, whose shapes are fixed (checked with
 *   scikit-learn by test/fixtures/shapes/sklearn_datasets.py).
 */
import { Inflate } from 'fflate';
import { readZipCentralDirectory, type ZipEntry } from '../linalg/npy';
import { type ShapeHost, displayPath, joinPath, isAbsolutePath } from './host';
import type { ShapeStep } from './types';
import { type ClassDef, type Value, UNKNOWN, stepOf, tensor, shapeText } from './values';

/** What a data source may read: the host, where to look, and where to note the files it depended on. */
export interface DataEnv {
  host: ShapeHost;
  /** The analyzed file's folder, or undefined (then only the workspace folder is searched). */
  dir: string | undefined;
  root: string | undefined;
  /** Records a file the result depends on (version undefined: it was missing). */
  dep(path: string, version: string | undefined): void;
}

export interface DataResult {
  v: Value;
  step: ShapeStep;
}

const NPY_FIRST = 4096;
const NPY_MAX_HEADER = 1 << 20;
const ZIP_TAIL = 65557 + 22 + 20;
const ZIP_MAX_DIR = 4 << 20;
const ZIP_MAX_MEMBERS = 256;
const ZIP_MAX_COMPRESSED_PEEK = 1 << 20;

/** Classes of the mapping-like objects made here: `obj["name"]` reads an attribute. */
export const NPZ_CLASS: ClassDef = { name: 'NpzFile', methods: new Map(), proto: new Map() };
export const BUNCH_CLASS: ClassDef = { name: 'Bunch', methods: new Map(), proto: new Map() };
const MAPPINGS = new Set<ClassDef>([NPZ_CLASS, BUNCH_CLASS]);

/** `obj["key"]` of an NpzFile or a sklearn Bunch. */
export function mappingItem(o: Value, key: Value): Value | undefined {
  if (o.k !== 'inst' || !MAPPINGS.has(o.cls)) return undefined;
  if (key.k !== 'str' || !key.s) return UNKNOWN;
  return o.attrs.get(key.s) ?? UNKNOWN;
}

/** The header of a `.npy` file: shape and NumPy's kind letter of its dtype. */
export function parseNpyHeader(b: Uint8Array): { shape: number[]; kind: string; descr: string; need?: number } | undefined {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(b[1]!, b[2]!, b[3]!, b[4]!, b[5]!) !== 'NUMPY') return undefined;
  const major = b[6]!;
  let len: number;
  let start: number;
  if (major === 1) {
    len = b[8]! | (b[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (b.length < 12) return undefined;
    len = (b[8]! | (b[9]! << 8) | (b[10]! << 16)) + b[11]! * 2 ** 24;
    start = 12;
  } else return undefined;
  if (start + len > b.length) return start + len <= NPY_MAX_HEADER ? { shape: [], kind: '', descr: '', need: start + len } : undefined;
  let h = '';
  for (let i = start; i < start + len; i++) h += String.fromCharCode(b[i]!);
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(h)?.[2];
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(h);
  if (descr === undefined || !shapeM) return undefined;
  const shape: number[] = [];
  for (const d of shapeM[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const v = /^\d+L?$/.test(d) ? Number(d.replace('L', '')) : NaN;
    if (!Number.isSafeInteger(v)) return undefined;
    shape.push(v);
  }
  return { shape, kind: /^[<>|=]?([a-zA-Z])/.exec(descr)?.[1] ?? '', descr };
}

function arrayValue(h: { shape: number[]; kind: string }): Value {
  const t = tensor('numpy', h.shape);
  if (h.kind === 'b') return { ...t, dt: 'bool' } as Value;
  if (h.kind === 'i' || h.kind === 'u') return { ...t, dt: 'int' } as Value;
  return t;
}

function npyHeaderAt(host: ShapeHost, path: string, offset = 0): ReturnType<typeof parseNpyHeader> {
  let b = host.readBytes(path, offset, NPY_FIRST);
  if (!b) return undefined;
  let h = parseNpyHeader(b);
  if (h?.need !== undefined) {
    b = host.readBytes(path, offset, h.need);
    h = b ? parseNpyHeader(b) : undefined;
    if (h?.need !== undefined) return undefined;
  }
  return h;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 2 ** 24;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 2 ** 32;

/** The `.npy` headers of an `.npz`'s members, by member name (without `.npy`). */
export function npzHeaders(host: ShapeHost, path: string, size: number): Map<string, { shape: number[]; kind: string }> | undefined {
  const tailStart = Math.max(0, size - ZIP_TAIL);
  const tail = host.readBytes(path, tailStart, size - tailStart);
  if (!tail || tail.length < 22) return undefined;
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let entries = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(tail, loc) !== 0x07064b50) return undefined;
    const z = u64(tail, loc + 8);
    const rec = host.readBytes(path, z, 56);
    if (!rec || rec.length < 56 || u32(rec, 0) !== 0x06064b50) return undefined;
    entries = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  if (entries > ZIP_MAX_MEMBERS || cdSize > ZIP_MAX_DIR || cdOffset + cdSize > size) return undefined;
  const cd = host.readBytes(path, cdOffset, cdSize);
  if (!cd || cd.length < cdSize) return undefined;
  const out = new Map<string, { shape: number[]; kind: string }>();
  let members: ZipEntry[];
  try {
    members = readZipCentralDirectory(cd, entries, cdOffset);
  } catch {
    return undefined; // a corrupt or encrypted archive: unknown, never an error
  }
  for (const { name, method, compressedSize: compressed, localOffset: local } of members) {
    if (!name.endsWith('.npy')) continue;
    const lh = host.readBytes(path, local, 30);
    if (!lh || lh.length < 30 || u32(lh, 0) !== 0x04034b50) return undefined;
    const dataAt = local + 30 + u16(lh, 26) + u16(lh, 28);
    let h: ReturnType<typeof parseNpyHeader>;
    if (method === 0) h = npyHeaderAt(host, path, dataAt);
    else if (method === 8) h = inflatedHeader(host, path, dataAt, compressed);
    else return undefined;
    if (!h || h.need !== undefined) return undefined;
    out.set(name.slice(0, -4), h);
  }
  return out.size ? out : undefined;
}

/** Inflates a deflated member only as far as its `.npy` header. */
function inflatedHeader(host: ShapeHost, path: string, at: number, compressed: number): ReturnType<typeof parseNpyHeader> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  let want = NPY_FIRST;
  let done = false;
  const inf = new Inflate((chunk) => {
    chunks.push(chunk);
    got += chunk.length;
  });
  let read = 0;
  const limit = Math.min(compressed, ZIP_MAX_COMPRESSED_PEEK);
  try {
    while (!done && read < limit) {
      const n = Math.min(16384, limit - read);
      const b = host.readBytes(path, at + read, n);
      if (!b || b.length === 0) return undefined;
      read += b.length;
      inf.push(b, read >= compressed);
      if (got >= want || read >= compressed) {
        const all = new Uint8Array(got);
        let o = 0;
        for (const c of chunks) {
          all.set(c, o);
          o += c.length;
        }
        const h = parseNpyHeader(all);
        if (h && h.need === undefined) return h;
        if (h?.need !== undefined && h.need > want) want = h.need;
        else if (!h && got >= 10) return undefined;
        if (read >= compressed) done = true;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The file a literal path names: next to the analyzed file first, then in the workspace folder. */
export function resolveDataPath(env: DataEnv, rel: string): { path: string; size: number } | undefined {
  const tries: string[] = [];
  if (isAbsolutePath(rel)) tries.push(joinPath('/', rel));
  else {
    if (env.dir) tries.push(joinPath(env.dir, rel));
    if (env.root) tries.push(joinPath(env.root, rel));
  }
  for (const p of [...new Set(tries)]) {
    const s = env.host.stat(p);
    env.dep(p, s?.version);
    if (s) return { path: p, size: s.size };
  }
  return undefined;
}

/** `np.load("path")`: the array (or NpzFile) whose header the workspace holds. */
export function npLoad(env: DataEnv | undefined, arg: Value | undefined, text: string): DataResult | undefined {
  if (!arg || arg.k !== 'str' || !arg.s) return undefined;
  const lit = arg.s;
  if (!env) return { v: UNKNOWN, step: stepOf('np.load', `${text}: unknown (no workspace files can be read here)`) };
  const f = resolveDataPath(env, lit);
  if (!f) return { v: UNKNOWN, step: stepOf('np.load', `${text}: unknown (${lit} was not found next to this file or in the workspace folder)`) };
  const shown = displayPath(f.path, env.root);
  const isZip = /\.npz$/i.test(f.path) || (() => {
    const b = env.host.readBytes(f.path, 0, 4);
    return !!b && b[0] === 0x50 && b[1] === 0x4b;
  })();
  if (isZip) {
    const members = npzHeaders(env.host, f.path, f.size);
    if (!members) return { v: UNKNOWN, step: stepOf('np.load', `${text}: unknown (${shown} could not be read as an .npz archive)`) };
    const attrs = new Map<string, Value>();
    for (const [name, h] of members) attrs.set(name, arrayValue(h));
    const list = [...members].map(([name, h]) => `${name} ${shapeText(h.shape)}`).join(', ');
    return { v: { k: 'inst', cls: NPZ_CLASS, attrs }, step: { ...stepOf('np.load', `${text} → NpzFile with ${list}, from file ${shown}`), file: shown } };
  }
  const h = npyHeaderAt(env.host, f.path);
  if (!h || h.need !== undefined) return { v: UNKNOWN, step: stepOf('np.load', `${text}: unknown (${shown} has no readable .npy header)`) };
  return { v: arrayValue(h), step: { ...stepOf('np.load', `${text} → ${shapeText(h.shape)} (dtype ${h.descr}), from file ${shown}`), file: shown } };
}

/** `npz["name"]`: the step naming the member and its file. */
export function npzMemberStep(o: Value, key: Value, text: string, v: Value): ShapeStep | undefined {
  if (o.k !== 'inst' || o.cls !== NPZ_CLASS || key.k !== 'str' || v.k !== 'tensor') return undefined;
  return stepOf('np.load member', `${text} → ${shapeText(v.shape)}, member ${key.s} of the .npz`);
}

interface Dataset {
  data: number[];
  target: number[];
  targetInt: boolean;
  extra?: Record<string, { shape: number[]; int?: boolean }>;
}

/** scikit-learn's bundled datasets (checked against scikit-learn: test/fixtures/shapes/sklearn-datasets.json). */
export const SKLEARN_DATASETS: Record<string, Dataset> = {
  load_iris: { data: [150, 4], target: [150], targetInt: true, extra: { target_names: { shape: [3] } } },
  load_digits: { data: [1797, 64], target: [1797], targetInt: true, extra: { images: { shape: [1797, 8, 8] }, target_names: { shape: [10], int: true } } },
  load_breast_cancer: { data: [569, 30], target: [569], targetInt: true, extra: { target_names: { shape: [2] }, feature_names: { shape: [30] } } },
  load_wine: { data: [178, 13], target: [178], targetInt: true, extra: { target_names: { shape: [3] } } },
  load_diabetes: { data: [442, 10], target: [442], targetInt: false },
  load_linnerud: { data: [20, 3], target: [20, 3], targetInt: false },
};

/** `load_iris()`, `datasets.load_digits(return_X_y=True)`, …: a Bunch, or the (X, y) tuple. */
export function sklearnDataset(path: string, kw: Map<string, Value>, text: string): DataResult | undefined {
  const m = /^sklearn\.datasets\.(\w+)$/.exec(path);
  if (!m || !Object.hasOwn(SKLEARN_DATASETS, m[1]!)) return undefined;
  const d = SKLEARN_DATASETS[m[1]!]!;
  // as_frame gives pandas objects; load_digits(n_class=k) keeps only some rows: not the fixed shapes.
  const asFrame = kw.get('as_frame');
  if (asFrame && !(asFrame.k === 'bool' && asFrame.b === false)) return { v: UNKNOWN, step: stepOf(m[1]!, `${text}: unknown (as_frame gives pandas objects)`) };
  const nClass = kw.get('n_class');
  if (nClass && !(nClass.k === 'int' && nClass.d === 10)) return { v: UNKNOWN, step: stepOf(m[1]!, `${text}: unknown (n_class selects a subset of the rows)`) };
  for (const k of kw.keys()) if (k !== 'return_X_y' && k !== 'as_frame' && k !== 'n_class' && k !== 'scaled') return undefined;
  const X = tensor('numpy', d.data);
  const y: Value = d.targetInt ? ({ ...tensor('numpy', d.target), dt: 'int' } as Value) : tensor('numpy', d.target);
  const rxy = kw.get('return_X_y');
  if (rxy && rxy.k !== 'bool') return { v: UNKNOWN, step: stepOf(m[1]!, `${text}: unknown (return_X_y is not a literal True or False)`) };
  if (rxy?.b) return { v: { k: 'tuple', items: [X, y] }, step: stepOf(`sklearn.datasets.${m[1]}`, `${text} → (X ${shapeText(d.data)}, y ${shapeText(d.target)}), scikit-learn's bundled dataset`) };
  const attrs = new Map<string, Value>([
    ['data', X],
    ['target', y],
  ]);
  for (const [k, e] of Object.entries(d.extra ?? {})) attrs.set(k, e.int ? ({ ...tensor('numpy', e.shape), dt: 'int' } as Value) : tensor('numpy', e.shape));
  return { v: { k: 'inst', cls: BUNCH_CLASS, attrs }, step: stepOf(`sklearn.datasets.${m[1]}`, `${text} → Bunch with data ${shapeText(d.data)}, target ${shapeText(d.target)} (scikit-learn's bundled dataset)`) };
}

/**
 * NumPy's binary formats, read from bytes (no file system access here):
 *
 * - `.npy` (format versions 1.0, 2.0, 3.0): the header dict (`descr`,
 *   `fortran_order`, `shape`) and the data for bool, int8/16/32/64,
 *   uint8/16/32/64 and float16/32/64 in either byte order, C or Fortran order.
 *   Everything becomes a row-major Float64Array (int64 beyond 2⁵³ loses precision,
 *   which a note says).
 * - `.npz`: a zip archive of `.npy` members, stored or deflated, including the
 *   zip64 records `np.savez` writes. The zip directory is read here; only the
 *   deflate decoder comes from `fflate` (small, dependency-free, runs anywhere,
 *   unlike Node's zlib). Every member's CRC-32 is checked.
 *
 * Corrupt or truncated input gets a message naming what is wrong and the byte
 * offset where it was found; nothing here throws out of the exported functions.
 */
import { inflateSync } from 'fflate';

export interface NdArray {
  shape: number[];
  data: Float64Array;
  /** NumPy's dtype name: float32, int64, bool, … */
  dtype: string;
  /** The descr as written, e.g. '>f4'. */
  descr: string;
  fortranOrder: boolean;
  notes: string[];
}

export interface BinaryFailure {
  message: string;
  /** Byte offset of the problem. */
  offset: number;
}

export type NpyResult = { ok: true; value: NdArray } | { ok: false; error: BinaryFailure };
export type NpzResult = { ok: true; arrays: { name: string; value: NdArray }[] } | { ok: false; error: BinaryFailure };

export interface BinaryOptions {
  /** Most entries accepted in one array. Default 20,000,000 (a 4096×4096 array is 16.8 M). */
  maxElements?: number;
}

export const DEFAULT_MAX_FILE_ELEMENTS = 20_000_000;

class BinFail extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

const NATIVE_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Dtype {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  little: boolean;
  name: string;
}

function parseDescr(descr: string, at: number): Dtype {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (!m) throw new BinFail(`unsupported dtype '${descr}' (structured or sub-array dtypes are not matrices)`, at);
  const order = m[1]!;
  let kind = m[2]!;
  let size = m[3] ? Number(m[3]) : 1;
  if (kind === '?') {
    kind = 'b';
    size = 1;
  }
  const little = order === '<' || order === '|' || (order === '=' && NATIVE_LITTLE) || order === '';
  const names: Record<string, string> = { f2: 'float16', f4: 'float32', f8: 'float64', i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64', u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64', b1: 'bool' };
  const name = names[`${kind}${size}`];
  if (!name) {
    const what: Record<string, string> = { c: 'complex', O: 'object', U: 'unicode string', S: 'byte string', V: 'void/structured', M: 'datetime', m: 'timedelta', f: 'float of this size' };
    throw new BinFail(`unsupported dtype '${descr}'${what[kind] ? ` (${what[kind]})` : ''}: MathLens reads bool, int8–64, uint8–64 and float16/32/64`, at);
  }
  return { kind: kind as Dtype['kind'], size, little, name };
}

let HALF: Float32Array | undefined;
function halfTable(): Float32Array {
  if (HALF) return HALF;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const f = h & 0x3ff;
    t[h] = e === 0 ? s * 2 ** -14 * (f / 1024) : e === 31 ? (f ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + f / 1024);
  }
  HALF = t;
  return t;
}

/** Decodes `count` items of dtype `dt` from `bytes[off…]`. */
function decode(bytes: Uint8Array, off: number, count: number, dt: Dtype, notes: string[]): Float64Array {
  const out = new Float64Array(count);
  const abs = bytes.byteOffset + off;
  const native = dt.little === NATIVE_LITTLE || dt.size === 1;
  const aligned = abs % dt.size === 0;
  const buf = (): ArrayBuffer => (aligned ? (bytes.buffer as ArrayBuffer) : bytes.slice(off, off + count * dt.size).buffer);
  const base = aligned ? abs : 0;
  if (native && dt.kind === 'f' && dt.size === 4) out.set(new Float32Array(buf(), base, count));
  else if (native && dt.kind === 'f' && dt.size === 8) out.set(new Float64Array(buf(), base, count));
  else if (native && dt.kind === 'i' && dt.size === 4) out.set(new Int32Array(buf(), base, count));
  else if (native && dt.kind === 'u' && dt.size === 4) out.set(new Uint32Array(buf(), base, count));
  else if (native && dt.kind === 'i' && dt.size === 2) out.set(new Int16Array(buf(), base, count));
  else if (native && dt.kind === 'u' && dt.size === 2) out.set(new Uint16Array(buf(), base, count));
  else if (dt.kind === 'i' && dt.size === 1) out.set(new Int8Array(bytes.buffer, abs, count));
  else if (dt.kind === 'u' && dt.size === 1) out.set(bytes.subarray(off, off + count));
  else if (dt.kind === 'b') {
    for (let i = 0; i < count; i++) out[i] = bytes[off + i] ? 1 : 0;
  } else {
    const dv = new DataView(bytes.buffer, abs, count * dt.size);
    const le = dt.little;
    let lost = false;
    switch (`${dt.kind}${dt.size}`) {
      case 'f2': {
        const t = halfTable();
        for (let i = 0; i < count; i++) out[i] = t[dv.getUint16(2 * i, le)]!;
        break;
      }
      case 'f4':
        for (let i = 0; i < count; i++) out[i] = dv.getFloat32(4 * i, le);
        break;
      case 'f8':
        for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, le);
        break;
      case 'i2':
        for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, le);
        break;
      case 'u2':
        for (let i = 0; i < count; i++) out[i] = dv.getUint16(2 * i, le);
        break;
      case 'i4':
        for (let i = 0; i < count; i++) out[i] = dv.getInt32(4 * i, le);
        break;
      case 'u4':
        for (let i = 0; i < count; i++) out[i] = dv.getUint32(4 * i, le);
        break;
      case 'i8':
        for (let i = 0; i < count; i++) {
          const v = dv.getBigInt64(8 * i, le);
          out[i] = Number(v);
          if (!lost && (v > 9007199254740991n || v < -9007199254740991n)) lost = true;
        }
        break;
      case 'u8':
        for (let i = 0; i < count; i++) {
          const v = dv.getBigUint64(8 * i, le);
          out[i] = Number(v);
          if (!lost && v > 9007199254740991n) lost = true;
        }
        break;
      default:
        throw new BinFail(`unsupported dtype ${dt.name}`, off);
    }
    if (lost) notes.push(`some ${dt.name} values are beyond 2^53 and were rounded to the nearest float64`);
  }
  return out;
}

/** Fortran (column-major) order → row-major. */
function fromFortran(data: Float64Array, shape: number[]): Float64Array {
  const nd = shape.length;
  if (nd < 2) return data;
  const out = new Float64Array(data.length);
  if (nd === 2) {
    const [m, n] = shape as [number, number];
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[i * n + j] = data[j * m + i]!;
    return out;
  }
  // Walk the input in Fortran order, keeping the C-order index.
  const cStride = new Array<number>(nd).fill(1);
  for (let k = nd - 2; k >= 0; k--) cStride[k] = cStride[k + 1]! * shape[k + 1]!;
  const idx = new Array<number>(nd).fill(0);
  let c = 0;
  for (let f = 0; f < data.length; f++) {
    out[c] = data[f]!;
    for (let k = 0; k < nd; k++) {
      idx[k]!++;
      c += cStride[k]!;
      if (idx[k]! < shape[k]!) break;
      c -= cStride[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
  return out;
}

const ascii = (bytes: Uint8Array, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
};

function readNpy(bytes: Uint8Array, maxElements: number, base = 0): NdArray {
  if (bytes.length < 10) throw new BinFail(`truncated .npy file: ${bytes.length} bytes is shorter than the 10-byte preamble`, base + bytes.length);
  if (!isNpy(bytes)) throw new BinFail('not a .npy file: the magic string \\x93NUMPY is missing', base);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) throw new BinFail(`unsupported .npy format version ${major}.${minor}`, base + 6);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = bytes[8]! | (bytes[9]! << 8);
    headerStart = 10;
  } else {
    if (bytes.length < 12) throw new BinFail('truncated .npy file: the header length is cut off', base + bytes.length);
    headerLen = (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16)) + bytes[11]! * 2 ** 24;
    headerStart = 12;
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new BinFail(`truncated .npy file: the header says ${headerLen} bytes but the file ends at ${bytes.length}`, base + bytes.length);
  const header = major === 3 ? new TextDecoder('utf-8').decode(bytes.subarray(headerStart, dataStart)) : ascii(bytes, headerStart, dataStart);
  const hAt = base + headerStart;
  if (!/^\s*\{/.test(header)) throw new BinFail('corrupt .npy header: it is not a Python dict', hAt);
  const descrM = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(header);
  if (!descrM) {
    if (/['"]descr['"]\s*:\s*\[/.test(header)) throw new BinFail('structured dtypes (records) are not supported: save a plain numeric array', hAt);
    throw new BinFail("corrupt .npy header: no 'descr'", hAt);
  }
  const fortM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  if (!fortM) throw new BinFail("corrupt .npy header: no 'fortran_order'", hAt);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeM) throw new BinFail("corrupt .npy header: no 'shape'", hAt);
  const dims = shapeM[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape: number[] = [];
  for (const d of dims) {
    const v = /^\d+L?$/.test(d) ? Number(d.replace('L', '')) : NaN;
    if (!Number.isSafeInteger(v)) throw new BinFail(`corrupt .npy header: bad dimension '${d}'`, hAt);
    shape.push(v);
  }
  const dt = parseDescr(descrM[2]!, hAt);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > maxElements) throw new BinFail(`the array has ${count.toLocaleString('en-US')} entries (shape ${shape.join('×')}); the limit is ${maxElements.toLocaleString('en-US')}`, hAt);
  const need = count * dt.size;
  const have = bytes.length - dataStart;
  if (have < need) throw new BinFail(`truncated .npy file: shape ${shape.join('×')} of ${dt.name} needs ${need.toLocaleString('en-US')} bytes of data, the file has ${have.toLocaleString('en-US')}`, base + bytes.length);
  const notes: string[] = [];
  if (have > need) notes.push(`${have - need} bytes after the data were ignored`);
  let data = decode(bytes, dataStart, count, dt, notes);
  const fortran = fortM[1] === 'True';
  if (fortran) data = fromFortran(data, shape);
  return { shape, data, dtype: dt.name, descr: descrM[2]!, fortranOrder: fortran, notes };
}

export function parseNpy(bytes: Uint8Array, options: BinaryOptions = {}): NpyResult {
  try {
    return { ok: true, value: readNpy(bytes, options.maxElements ?? DEFAULT_MAX_FILE_ELEMENTS) };
  } catch (err) {
    return { ok: false, error: binaryError(err) };
  }
}

function binaryError(err: unknown): BinaryFailure {
  if (err instanceof BinFail) return { message: err.message, offset: err.offset };
  if (err instanceof RangeError) return { message: `the file is too large or corrupt: ${err.message}`, offset: 0 };
  return { message: `internal error while reading the file: ${err instanceof Error ? err.message : String(err)}`, offset: 0 };
}

// ---------------------------------------------------------------------------
// Zip.

let CRC: Uint32Array | undefined;
export function crc32(bytes: Uint8Array): number {
  if (!CRC) {
    CRC = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 2 ** 24;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 2 ** 32;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const len = bytes.length;
  if (len < 22) throw new BinFail(`truncated zip archive: ${len} bytes`, len);
  let eocd = -1;
  for (let i = len - 22; i >= Math.max(0, len - 65557); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BinFail('truncated or corrupt .npz: the zip end-of-directory record is missing', len);
  let entries = u16(bytes, eocd + 10);
  let cdSize = u32(bytes, eocd + 12);
  let cdOffset = u32(bytes, eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(bytes, loc) !== 0x07064b50) throw new BinFail('corrupt .npz: zip64 locator missing', Math.max(0, loc));
    const z = u64(bytes, loc + 8);
    if (z + 56 > len || u32(bytes, z) !== 0x06064b50) throw new BinFail('corrupt .npz: zip64 end-of-directory record missing', z);
    entries = u64(bytes, z + 32);
    cdSize = u64(bytes, z + 40);
    cdOffset = u64(bytes, z + 48);
  }
  if (cdOffset + cdSize > len) throw new BinFail('truncated .npz: the zip directory points past the end of the file', len);
  return readZipCentralDirectory(bytes.subarray(cdOffset, cdOffset + cdSize), entries, cdOffset);
}

/**
 * The `count` entries of a zip central directory `cd` (its bytes alone: the .npy viewer passes a slice
 * of the file, the shape analysis the bytes it read through its host). `base` is where `cd` starts in
 * the file, so errors name file offsets.
 */
export function readZipCentralDirectory(cd: Uint8Array, count: number, base = 0): ZipEntry[] {
  const out: ZipEntry[] = [];
  let p = 0;
  for (let e = 0; e < count; e++) {
    if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) throw new BinFail('corrupt .npz: bad zip directory entry', base + p);
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let compressedSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    let localOffset = u32(cd, p + 42);
    const name = new TextDecoder('utf-8').decode(cd.subarray(p + 46, p + 46 + nameLen));
    if (flags & 1) throw new BinFail(`'${name}' is encrypted`, base + p);
    // zip64 extra field: the 0xFFFFFFFF fields, in order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd && x + 4 <= cd.length) {
      const id = u16(cd, x);
      const sz = u16(cd, x + 2);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = u64(cd, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(cd, q);
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(cd, q);
      }
      x += 4 + sz;
    }
    out.push({ name, method, crc, compressedSize, size, localOffset });
    p = xEnd + commentLen;
  }
  return out;
}

export function readZipEntry(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const p = e.localOffset;
  if (p + 30 > bytes.length || u32(bytes, p) !== 0x04034b50) throw new BinFail(`corrupt .npz: the local header of '${e.name}' is missing`, p);
  const start = p + 30 + u16(bytes, p + 26) + u16(bytes, p + 28);
  if (start + e.compressedSize > bytes.length) throw new BinFail(`truncated .npz: '${e.name}' needs ${e.compressedSize} bytes, the file ends first`, bytes.length);
  const raw = bytes.subarray(start, start + e.compressedSize);
  let data: Uint8Array;
  if (e.method === 0) data = raw;
  else if (e.method === 8) {
    try {
      data = inflateSync(raw, { out: new Uint8Array(e.size) });
    } catch (err) {
      throw new BinFail(`corrupt .npz: '${e.name}' does not inflate (${err instanceof Error ? err.message : String(err)})`, start);
    }
  } else throw new BinFail(`'${e.name}' uses zip compression method ${e.method}; only stored and deflate are supported`, p);
  if (data.length !== e.size) throw new BinFail(`corrupt .npz: '${e.name}' has ${data.length} bytes, the directory says ${e.size}`, start);
  if (crc32(data) !== e.crc) throw new BinFail(`corrupt .npz: the CRC-32 of '${e.name}' does not match`, start);
  return data;
}

export function parseNpz(bytes: Uint8Array, options: BinaryOptions = {}): NpzResult {
  try {
    const entries = readZipDirectory(bytes);
    const arrays: { name: string; value: NdArray }[] = [];
    for (const e of entries) {
      if (!e.name.endsWith('.npy')) continue;
      const member = readZipEntry(bytes, e);
      try {
        arrays.push({ name: e.name.replace(/\.npy$/, ''), value: readNpy(member, options.maxElements ?? DEFAULT_MAX_FILE_ELEMENTS) });
      } catch (err) {
        if (err instanceof BinFail) throw new BinFail(`${e.name}: ${err.message}`, e.localOffset);
        throw err;
      }
    }
    if (arrays.length === 0) throw new BinFail('the .npz archive holds no .npy arrays', 0);
    return { ok: true, arrays };
  } catch (err) {
    return { ok: false, error: binaryError(err) };
  }
}

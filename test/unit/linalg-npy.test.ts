/**
 * .npy/.npz files written by NumPy (test/fixtures/linalg/npy/, see generate.py):
 * every supported dtype in both byte orders, Fortran order, format 2.0, archives
 * stored and deflated, and broken files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMatrix } from '../../core/linalg/index';
import { crc32, parseNpy, parseNpz } from '../../core/linalg/npy';

const dir = 'test/fixtures/linalg/npy';
interface Entry {
  file: string;
  ok: boolean;
  dtype?: string;
  descr?: string;
  fortranOrder?: boolean;
  shape?: number[];
  data?: (number | string)[];
  arrays?: { name: string; dtype: string; shape: number[]; data: number[] }[];
  error?: string;
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Entry[] };
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(dir, f)));

describe('.npy written by NumPy', () => {
  const npy = manifest.files.filter((f) => f.ok && f.file.endsWith('.npy'));
  it('covers every dtype in both byte orders and Fortran order', () => {
    const names = new Set(npy.map((f) => f.file));
    for (const t of ['float16', 'float32', 'float64', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'uint64']) {
      expect(names, t).toContain(`${t}-le.npy`);
      expect(names, t).toContain(`${t}-be.npy`);
    }
    for (const t of ['int8-na.npy', 'uint8-na.npy', 'bool.npy', 'float64-fortran.npy', 'int32-fortran-be.npy', 'float32-fortran-3d.npy', 'float64-v2.npy']) expect(names).toContain(t);
  });

  for (const f of npy) {
    it(f.file, () => {
      const r = parseNpy(bytes(f.file));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.dtype).toBe(f.dtype);
      expect(r.value.descr).toBe(f.descr);
      expect(r.value.shape).toEqual(f.shape);
      expect(r.value.fortranOrder).toBe(f.fortranOrder);
      expect(Array.from(r.value.data)).toEqual(f.data!.map(Number));
    });
  }

  it('int64/uint64 beyond 2^53 come with a note', () => {
    const r = parseNpy(bytes('uint64-le.npy'));
    expect(r.ok && r.value.notes.some((n) => /2\^53/.test(n))).toBe(true);
  });

  it('analyzeMatrix reads .npy bytes', () => {
    const r = analyzeMatrix(bytes('float64-le.npy'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.format).toBe('npy');
    expect(r.dtype).toBe('float64');
    expect(r.shape).toEqual([3, 4]);
    expect(r.rank).toBe(2);
  });

  it('a 3-D Fortran-order array is reordered to C order', () => {
    const r = analyzeMatrix(bytes('float32-fortran-3d.npy'), { slice: [1] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.matrix![0]).toEqual([12 / 8, 13 / 8, 14 / 8, 15 / 8]);
  });
});

describe('.npz written by NumPy', () => {
  for (const f of manifest.files.filter((x) => x.ok && x.file.endsWith('.npz'))) {
    it(f.file, () => {
      const r = parseNpz(bytes(f.file));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.arrays.map((a) => a.name)).toEqual(f.arrays!.map((a) => a.name));
      r.arrays.forEach((a, i) => {
        expect(a.value.dtype).toBe(f.arrays![i]!.dtype);
        expect(a.value.shape).toEqual(f.arrays![i]!.shape);
        expect(Array.from(a.value.data)).toEqual(f.arrays![i]!.data);
      });
      const b = analyzeMatrix(bytes(f.file), { arrayName: 'b' });
      expect(b).toMatchObject({ ok: true, format: 'npz', arrays: ['a', 'b'], shape: [3, 3], rank: 3 });
    });
  }
  it('crc32 is the zip CRC', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('broken files get a clear message', () => {
  const expected: Record<string, RegExp> = {
    'truncated.npy': /truncated \.npy file: shape 3×4 of float64 needs 96 bytes of data, the file has 76/,
    'truncated-header.npy': /truncated \.npy file: the header says \d+ bytes but the file ends at 40/,
    'bad-magic.npy': /not a \.npy or \.npz file/,
    'corrupt-header.npy': /corrupt \.npy header: no 'shape'/,
    'complex.npy': /unsupported dtype '<c16' \(complex\)/,
    'truncated.npz': /truncated or corrupt \.npz: the zip end-of-directory record is missing/,
    'corrupt.npz': /corrupt \.npz: (the CRC-32 of )?'a\.npy'( does not inflate| has \d+ bytes| does not match)?/,
  };
  for (const f of manifest.files.filter((x) => !x.ok)) {
    it(f.file, () => {
      const r = analyzeMatrix(bytes(f.file));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe('file');
      expect(r.error.message).toMatch(expected[f.file]!);
      expect(typeof r.error.offset).toBe('number');
    });
  }
});

describe('speed', () => {
  it('a 4096×4096 float32 .npy parses in under a second', () => {
    const n = 4096;
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4096, 4096), }";
    header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const file = new Uint8Array(10 + header.length + n * n * 4);
    file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
    for (let i = 0; i < header.length; i++) file[10 + i] = header.charCodeAt(i);
    const f = new Float32Array(file.buffer, 10 + header.length, n * n);
    for (let i = 0; i < f.length; i += 97) f[i] = i / 7;
    const t0 = performance.now();
    const r = parseNpy(file);
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.shape).toEqual([n, n]);
      expect(r.value.data[97 * 5]).toBe(Math.fround((97 * 5) / 7));
    }
    expect(ms).toBeLessThan(1000);
  });
});

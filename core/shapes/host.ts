/**
 * What the shape analysis may read from the workspace (issue 12): `.npy`/`.npz`
 * headers for `np.load`, and the workspace's own Python modules for imports.
 * core/ never touches a file system itself: the CLI and the extension pass a
 * host (`fsShapeHost` over Node's `fs`, handed in by them). No host (an
 * untrusted or virtual workspace) means those values are unknown.
 *
 * Paths are absolute and '/'-separated (backslashes are turned into '/';
 * Node's fs accepts both on Windows).
 */

export interface FileStat {
  size: number;
  /** Changes whenever the file changes (mtime and size, or an open editor's version). */
  version: string;
}

export interface ShapeHost {
  /** The workspace folder, searched after the analyzed file's own folder. */
  root?: string;
  /** undefined when the path is missing or not a regular file. */
  stat(path: string): FileStat | undefined;
  /** The file as UTF-8 text; undefined when missing, unreadable or longer than maxBytes. */
  readText(path: string, maxBytes: number): string | undefined;
  /** At most `length` bytes from `offset`; undefined when missing or unreadable. */
  readBytes(path: string, offset: number, length: number): Uint8Array | undefined;
}

/** Text files larger than this are not analyzed as modules. */
export const MAX_MODULE_BYTES = 1_000_000;

export function normalizePath(p: string): string {
  const s = p.replace(/\\/g, '/');
  const abs = s.startsWith('/');
  const drive = /^[A-Za-z]:\//.exec(s)?.[0];
  const rest = drive ? s.slice(drive.length) : s;
  const out: string[] = [];
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs && !drive) out.push('..');
      continue;
    }
    out.push(part);
  }
  return (drive ?? (abs ? '/' : '')) + out.join('/');
}

export function isAbsolutePath(p: string): boolean {
  return /^([A-Za-z]:)?[\\/]/.test(p);
}

export function dirName(p: string): string {
  const s = normalizePath(p);
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return s.slice(0, i) + (/^[A-Za-z]:$/.test(s.slice(0, i)) ? '/' : '');
}

export function joinPath(dir: string, rel: string): string {
  return isAbsolutePath(rel) ? normalizePath(rel) : normalizePath(`${dir}/${rel}`);
}

/** A path as the user reads it: relative to the workspace folder when under it. */
export function displayPath(p: string, root: string | undefined): string {
  if (root) {
    const r = normalizePath(root).replace(/\/$/, '');
    if (p.startsWith(r + '/')) return p.slice(r.length + 1);
  }
  return p;
}

/** The few `fs` functions `fsShapeHost` needs (Node's `fs` has them). */
export interface FsLike {
  statSync(path: string, opts?: { throwIfNoEntry?: boolean }): { size: number; mtimeMs: number; isFile(): boolean } | undefined;
  openSync(path: string, flags: string): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/** A host over a Node-like `fs` (passed in: core/ imports no file system). */
export function fsShapeHost(fs: FsLike, root?: string, overlay?: (path: string) => { text: string; version: string } | undefined): ShapeHost {
  const statOf = (path: string) => {
    try {
      const s = fs.statSync(path, { throwIfNoEntry: false });
      return s && s.isFile() ? s : undefined;
    } catch {
      return undefined;
    }
  };
  const read = (path: string, offset: number, length: number): Uint8Array | undefined => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, 'r');
      const buf = new Uint8Array(Math.max(0, length));
      let got = 0;
      while (got < length) {
        const n = fs.readSync(fd, buf, got, length - got, offset + got);
        if (n <= 0) break;
        got += n;
      }
      return got === length ? buf : buf.subarray(0, got);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined)
        try {
          fs.closeSync(fd);
        } catch {
          // closed already
        }
    }
  };
  return {
    ...(root ? { root: normalizePath(root) } : {}),
    stat(path) {
      const o = overlay?.(path);
      if (o) return { size: o.text.length, version: `doc:${o.version}` };
      const s = statOf(path);
      return s ? { size: s.size, version: `${s.mtimeMs}:${s.size}` } : undefined;
    },
    readText(path, maxBytes) {
      const o = overlay?.(path);
      if (o) return o.text.length <= maxBytes ? o.text : undefined;
      const s = statOf(path);
      if (!s || s.size > maxBytes) return undefined;
      const b = read(path, 0, s.size);
      if (!b) return undefined;
      try {
        return new TextDecoder('utf-8', { fatal: false }).decode(b);
      } catch {
        return undefined;
      }
    },
    readBytes(path, offset, length) {
      const s = statOf(path);
      if (!s) return undefined;
      const len = Math.max(0, Math.min(length, s.size - offset));
      return read(path, offset, len);
    },
  };
}

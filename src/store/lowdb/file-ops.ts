// Every file-system call the store makes goes through this interface, so tests can record the
// exact sequence of operations (did we fsync before the rename?) and make any one of them fail.
import * as fs from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

export type { FileHandle }

export interface FileOps {
  open(path: string, flags: 'r' | 'w' | 'wx'): Promise<FileHandle>
  /** Writes all of `text` at the file's current position. */
  write(file: FileHandle, text: string): Promise<void>
  fsync(file: FileHandle): Promise<void>
  close(file: FileHandle): Promise<void>
  rename(from: string, to: string): Promise<void>
  link(existing: string, newPath: string): Promise<void>
  unlink(path: string): Promise<void>
  readFile(path: string): Promise<string>
  /** Recursive; resolves to the first directory it had to create, undefined if all existed. */
  mkdir(path: string): Promise<string | undefined>
}

export const realFileOps: FileOps = {
  open: (path, flags) => fs.open(path, flags),
  write: (file, text) => file.writeFile(text, 'utf8'),
  fsync: (file) => file.sync(),
  close: (file) => file.close(),
  rename: (from, to) => fs.rename(from, to),
  link: (existing, newPath) => fs.link(existing, newPath),
  unlink: (path) => fs.unlink(path),
  readFile: (path) => fs.readFile(path, 'utf8'),
  mkdir: (path) => fs.mkdir(path, { recursive: true })
}

export function errorCode (err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code
}

/** A rejection handler that swallows one expected error code (e.g. ENOENT on cleanup). */
export function ignoreCode (code: string): (err: unknown) => void {
  return (err) => {
    if (errorCode(err) !== code) throw err
  }
}

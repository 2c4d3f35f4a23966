/**
 * The part of tar-stream 2.x that server/quarantine/tarArchive.ts uses
 * (no @types/tar-stream in node_modules). See node_modules/tar-stream/README.md.
 */
declare module "tar-stream" {
  import type { Readable, Writable } from "node:stream";

  export type EntryType =
    | "file"
    | "link"
    | "symlink"
    | "character-device"
    | "block-device"
    | "directory"
    | "fifo"
    | "contiguous-file"
    | "pax-header"
    | "pax-global-header"
    | "gnu-long-link-path"
    | "gnu-long-path";

  export interface Headers {
    name: string;
    size?: number;
    /** Written as mode & 0o7777; 0 is replaced by 0o644 (0o755 for a directory). */
    mode?: number;
    mtime?: Date;
    type?: EntryType;
    linkname?: string | null;
    uid?: number;
    gid?: number;
    uname?: string;
    gname?: string;
    devmajor?: number;
    devminor?: number;
    pax?: Record<string, string>;
  }

  /** What extract hands each entry: every field decoded. */
  export interface EntryHeaders extends Headers {
    size: number;
    mode: number;
    mtime: Date;
    type: EntryType;
    uid: number;
    gid: number;
  }

  export interface Pack extends Readable {
    entry(header: Headers, buffer?: Buffer | string, callback?: (err?: Error | null) => void): Writable;
    finalize(): void;
  }

  export interface Extract extends Writable {
    on(event: "entry", listener: (header: EntryHeaders, stream: Readable, next: (err?: unknown) => void) => void): this;
    on(event: "finish" | "close", listener: () => void): this;
    on(event: "error", listener: (err: Error) => void): this;
  }

  export function pack(opts?: object): Pack;
  export function extract(opts?: { filenameEncoding?: string; allowUnknownFormat?: boolean }): Extract;
}

import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

/**
 * Backup files, told apart by their first bytes:
 *
 * - `*.db.gz` (no BACKUP_ENCRYPTION_KEY): a plain gzip of the SQLite file — `gunzip` opens it by
 *   hand; its CRC-32 and the SHA-256 recorded in the `backups` row catch damage.
 * - `*.pgdump.gz` (PostgreSQL): the same, around a `pg_dump -Fc -Z0` archive instead of the file.
 *   The payload's own magic ("SQLite format 3\0" / "PGDMP") says which engine a backup holds
 *   (`backupEngine`): a restore refuses the other engine's backup before any long work.
 * - `*.db.gz.enc` / `*.pgdump.gz.enc`: that same gzip stream, encrypted with AES-256-GCM.
 *   Layout, integers big-endian:
 *
 *     offset  size  field
 *      0       8    magic "PRBACKUP"
 *      8       1    format version (1)
 *      9       1    key derivation: 1 = scrypt
 *     10       1    scrypt log2(N) (15)
 *     11       1    scrypt r (8)
 *     12       1    scrypt p (1)
 *     13      16    salt (random per file)
 *     29      12    IV / GCM nonce (random per file)
 *     41       8    ciphertext length n
 *     49      16    key check
 *     65       n    ciphertext (the gzip stream)
 *     65+n    16    GCM authentication tag
 *
 *   scrypt(BACKUP_ENCRYPTION_KEY, salt) gives 48 bytes: the first 32 are the AES key, the last 16
 *   are stored as the key check, so a restore can say "wrong key" rather than "damaged" (they
 *   reveal nothing about the AES key: separate scrypt output blocks). The whole 65-byte header
 *   is the GCM additional authenticated data: changing any header byte, any ciphertext byte or
 *   the tag fails authentication; the length field tells a truncated file from a modified one.
 */

export const MAGIC = Buffer.from("PRBACKUP", "ascii");
export const FORMAT_VERSION = 1;
const KDF_SCRYPT = 1;
export const HEADER_BYTES = 65;
export const TAG_BYTES = 16;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const KEY_CHECK_BYTES = 16;
/** 2^15 × r 8 = 32 MiB of memory, ~0.1 s: a key guess costs an attacker as much. */
const SCRYPT = { log2N: 15, r: 8, p: 1 };
/** Refuse headers asking for absurd work (a crafted file must not hang the restore). */
const MAX_LOG2N = 20;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
export const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "ascii");
/** First bytes of a `pg_dump -Fc` archive. */
export const PGDUMP_MAGIC = Buffer.from("PGDMP", "ascii");

/** Which database a backup's payload holds, told by the payload's own first bytes. */
export type BackupEngine = "sqlite" | "postgresql";
export const ENGINE_LABEL: Record<BackupEngine, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };

export type BackupFileErrorCode =
  | "not_found"
  | "not_a_backup"
  | "unsupported_version"
  | "key_required"
  | "wrong_key"
  | "truncated"
  | "tampered"
  | "corrupt"
  | "checksum_mismatch"
  | "integrity_failed"
  | "database_in_use"
  | "wrong_engine"
  | "cancelled";

/** An expected refusal: its message is meant for the operator as is (no stack). */
export class BackupFileError extends Error {
  constructor(
    readonly code: BackupFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BackupFileError";
  }
}

interface Header {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  iv: Buffer;
  length: number;
  keyCheck: Buffer;
  raw: Buffer;
}

function deriveKeys(
  secret: string,
  salt: Buffer,
  params: { log2N: number; r: number; p: number },
): Promise<{ key: Buffer; check: Buffer }> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) =>
    crypto.scrypt(secret, salt, 32 + KEY_CHECK_BYTES, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, out) =>
      err ? reject(err) : resolve({ key: out.subarray(0, 32), check: out.subarray(32) }),
    ),
  );
}

function buildHeader(salt: Buffer, iv: Buffer, length: number, keyCheck: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt8(FORMAT_VERSION, 8);
  h.writeUInt8(KDF_SCRYPT, 9);
  h.writeUInt8(SCRYPT.log2N, 10);
  h.writeUInt8(SCRYPT.r, 11);
  h.writeUInt8(SCRYPT.p, 12);
  salt.copy(h, 13);
  iv.copy(h, 29);
  h.writeBigUInt64BE(BigInt(length), 41);
  keyCheck.copy(h, 49);
  return h;
}

/** Writes `data` fully at the file handle's position, feeding the hash. */
async function writeHashed(fh: fsp.FileHandle, hash: crypto.Hash, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  hash.update(data);
  await fh.write(data);
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

/** Gzips `source` into `dest` (level 6: most of level 9's ratio at a fraction of its time). */
export async function gzipFile(source: string, dest: string): Promise<void> {
  await pipeline(fs.createReadStream(source), zlib.createGzip({ level: 6 }), fs.createWriteStream(dest, { mode: 0o600 }));
}

/**
 * Encrypts the gzip file `source` into `dest` in the format above; fsyncs it. Returns the SHA-256
 * and size of what was written (the final file's, recorded in the backup row).
 */
export async function encryptFile(source: string, dest: string, secret: string): Promise<{ sha256: string; size: number }> {
  const length = (await fsp.stat(source)).size;
  const salt = crypto.randomBytes(SALT_BYTES);
  const iv = crypto.randomBytes(IV_BYTES);
  const { key, check } = await deriveKeys(secret, salt, SCRYPT);
  const header = buildHeader(salt, iv, length, check);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(header);
  const hash = crypto.createHash("sha256");
  const fh = await fsp.open(dest, "w", 0o600);
  try {
    await writeHashed(fh, hash, header);
    for await (const chunk of fs.createReadStream(source, { highWaterMark: 1 << 20 })) {
      await writeHashed(fh, hash, cipher.update(chunk as Buffer));
    }
    await writeHashed(fh, hash, cipher.final());
    await writeHashed(fh, hash, cipher.getAuthTag());
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest("hex"), size: HEADER_BYTES + length + TAG_BYTES };
}

export interface BackupFileInfo {
  kind: "encrypted" | "gzip";
  size: number;
}

async function readStart(file: string, bytes: number): Promise<{ buf: Buffer; size: number }> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new BackupFileError("not_found", `Backup file not found: ${file}`);
    if (code === "EISDIR") throw new BackupFileError("not_a_backup", `${file} is a folder, not a backup file`);
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(bytes, size));
    await fh.read(buf, 0, buf.length, 0);
    return { buf, size };
  } finally {
    await fh.close();
  }
}

function parseHeader(buf: Buffer, size: number): Header {
  const version = buf.readUInt8(8);
  if (version !== FORMAT_VERSION) {
    throw new BackupFileError(
      "unsupported_version",
      `This backup uses format version ${version}; this version of the app reads version ${FORMAT_VERSION}`,
    );
  }
  if (size < HEADER_BYTES)
    throw new BackupFileError("truncated", `The backup is truncated: only ${size} bytes, not even a complete header`);
  const kdf = buf.readUInt8(9);
  const h: Header = {
    log2N: buf.readUInt8(10),
    r: buf.readUInt8(11),
    p: buf.readUInt8(12),
    salt: buf.subarray(13, 29),
    iv: buf.subarray(29, 41),
    length: Number(buf.readBigUInt64BE(41)),
    keyCheck: buf.subarray(49, 65),
    raw: buf.subarray(0, HEADER_BYTES),
  };
  if (kdf !== KDF_SCRYPT || h.log2N < 10 || h.log2N > MAX_LOG2N || h.r < 1 || h.r > 32 || h.p < 1 || h.p > 16) {
    throw new BackupFileError("corrupt", "The backup's header is damaged (unknown key-derivation parameters)");
  }
  const expected = HEADER_BYTES + h.length + TAG_BYTES;
  if (size < expected) {
    throw new BackupFileError("truncated", `The backup is truncated: ${size} of ${expected} bytes present (an incomplete copy?)`);
  }
  if (size > expected) throw new BackupFileError("corrupt", `The backup is damaged: ${size - expected} unexpected bytes after its end`);
  return h;
}

/** What kind of backup `file` is; refuses anything that is not one of ours. */
export async function inspectBackupFile(file: string): Promise<BackupFileInfo & { header?: Header }> {
  const { buf, size } = await readStart(file, HEADER_BYTES);
  if (buf.length >= MAGIC.length && buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    if (buf.length < 9) throw new BackupFileError("truncated", `The backup is truncated: only ${size} bytes`);
    return { kind: "encrypted", size, header: parseHeader(buf, size) };
  }
  if (buf.length >= 2 && buf.subarray(0, 2).equals(GZIP_MAGIC)) return { kind: "gzip", size };
  if (buf.length >= SQLITE_MAGIC.length && buf.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new BackupFileError(
      "not_a_backup",
      "This is a plain SQLite database, not a backup file (a legacy PreRollTracker database is moved in with `npm run import-legacy`)",
    );
  }
  throw new BackupFileError(
    "not_a_backup",
    "Not a PreRoll Tracker backup: the file is neither an encrypted backup (.db.gz.enc) nor a gzip backup (.db.gz)",
  );
}

/**
 * Checks that `secret` opens the encrypted backup, without decrypting it (fast: one scrypt).
 * Returns the AES key for `extractBackup`.
 */
async function unlock(header: Header, secret: string | null): Promise<Buffer> {
  if (!secret)
    throw new BackupFileError("key_required", "This backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was written with");
  const { key, check } = await deriveKeys(secret, header.salt, header);
  if (!crypto.timingSafeEqual(check, header.keyCheck)) {
    throw new BackupFileError("wrong_key", "Wrong key: BACKUP_ENCRYPTION_KEY does not open this backup (or the file's header is damaged)");
  }
  return key;
}

/** Fails fast on a missing or wrong key (before any long work). */
export async function checkKey(file: string, secret: string | null): Promise<void> {
  const info = await inspectBackupFile(file);
  if (info.kind === "encrypted") await unlock(info.header!, secret);
}

/**
 * Decrypts (when encrypted) and gunzips `file` into `dest` (the SQLite file). Every way a file can
 * be bad ends as a BackupFileError with a message for the operator; `dest` may then hold partial
 * data and is the caller's to remove.
 */
export async function extractBackup(file: string, dest: string, secret: string | null): Promise<BackupFileInfo> {
  const info = await inspectBackupFile(file);
  const out = () => fs.createWriteStream(dest, { mode: 0o600 });
  if (info.kind === "gzip") {
    try {
      await pipeline(fs.createReadStream(file), zlib.createGunzip(), out());
    } catch (err) {
      throw gzipError(err);
    }
    return { kind: info.kind, size: info.size };
  }
  const header = info.header!;
  const key = await unlock(header, secret);
  const tag = Buffer.alloc(TAG_BYTES);
  const fh = await fsp.open(file, "r");
  try {
    await fh.read(tag, 0, TAG_BYTES, HEADER_BYTES + header.length);
  } finally {
    await fh.close();
  }
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, header.iv);
  decipher.setAAD(header.raw);
  decipher.setAuthTag(tag);
  try {
    const ciphertext =
      header.length > 0 ? fs.createReadStream(file, { start: HEADER_BYTES, end: HEADER_BYTES + header.length - 1 }) : Readable.from([]);
    await pipeline(ciphertext, decipher, zlib.createGunzip(), out());
  } catch {
    // The key is right (checked above) and we only ever encrypt valid gzip: any failure here —
    // the tag, or gunzip choking on altered plaintext first — means the file was changed.
    throw new BackupFileError(
      "tampered",
      "The backup failed authentication: it was modified or damaged after it was written; refusing to use it",
    );
  }
  return { kind: info.kind, size: info.size };
}

function gzipError(err: unknown): BackupFileError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "Z_BUF_ERROR" || /unexpected end of file/i.test(e.message)) {
    return new BackupFileError("truncated", "The backup is truncated: its compressed data ends early (an incomplete copy?)");
  }
  if (typeof e.code === "string" && e.code.startsWith("Z_")) {
    return new BackupFileError("corrupt", `The backup is damaged: its compressed data is invalid (${e.message})`);
  }
  return err instanceof BackupFileError ? err : new BackupFileError("corrupt", `The backup could not be read: ${e.message}`);
}

/** Enough of the payload to read its magic, through compression's framing. */
const PEEK_BYTES = 64 * 1024;

export function engineOf(start: Buffer): BackupEngine | null {
  if (start.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return "sqlite";
  if (start.subarray(0, PGDUMP_MAGIC.length).equals(PGDUMP_MAGIC)) return "postgresql";
  return null;
}

/**
 * The engine of the database inside `file` (decrypting and gunzipping only its first bytes), so a
 * restore refuses a backup of the other engine before any long work; null when those bytes say
 * neither (the full extraction then reports what is wrong). Nothing is authenticated here: the
 * GCM tag is checked by `extractBackup` before the payload is used.
 */
export async function backupEngine(file: string, secret: string | null): Promise<BackupEngine | null> {
  const info = await inspectBackupFile(file);
  const start = info.kind === "encrypted" ? HEADER_BYTES : 0;
  const available = info.kind === "encrypted" ? info.header!.length : info.size;
  const buf = Buffer.alloc(Math.min(PEEK_BYTES, available));
  const fh = await fsp.open(file, "r");
  try {
    await fh.read(buf, 0, buf.length, start);
  } finally {
    await fh.close();
  }
  let gz = buf;
  if (info.kind === "encrypted") {
    const key = await unlock(info.header!, secret);
    // GCM is a stream cipher: update() yields the plaintext of a prefix (unauthenticated).
    gz = crypto.createDecipheriv("aes-256-gcm", key, info.header!.iv).update(buf);
  }
  try {
    return engineOf(zlib.gunzipSync(gz, { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  } catch {
    return null;
  }
}

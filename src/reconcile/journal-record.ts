// One journal line: a JSON record whose last field is a checksum of the rest, so a record torn by a
// crash or a full disk, or edited by hand, is told apart from one grantsync wrote.

import { aclFromRecord } from "../acl/record.ts";
import type { JournalChange, JournalEnd, JournalFail, JournalStart } from "../state/model.ts";

// The records both state stores share; only the outcome of a path is a directory's own.
export type {
  JournalChange,
  JournalEnd,
  JournalFail,
  JournalStart,
  RunKind,
  RunTrigger,
} from "../state/model.ts";

/** Changes 1..upto of the run (counted in the order recorded) were written, unless one has a fail record. */
export interface JournalDone {
  t: "done";
  upto: number;
}

export type JournalOutcome = JournalFail | JournalDone;

export type JournalLine = JournalStart | JournalChange | JournalOutcome | JournalEnd;

/** `,"sum":"xxxxxxxx"}`: fixed width, so the checked text is the line minus its last 18 bytes. */
const SUFFIX_LENGTH = 18;
const SUFFIX = /,"sum":"([0-9a-f]{8})"\}$/;

/**
 * FNV-1a (32 bits) over the text's UTF-16 code units. It detects tearing and editing as a CRC does
 * (it is no signature: the state directory's permissions keep forgers out), and computed in JS it
 * costs a path a fraction of a microsecond, against several for a call into zlib.
 */
function checksum(text: string): string {
  return hex(fnv1a(text, FNV_OFFSET));
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a continued from `h` over `text`: the hash of a prefix carries on into what follows it. */
function fnv1a(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

// Two hex digits per byte from a table: Number#toString(16) and padStart cost more than the hash.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(h: number): string {
  return HEX[(h >>> 24) & 0xff]! + HEX[(h >>> 16) & 0xff]! + HEX[(h >>> 8) & 0xff]! + HEX[h & 0xff]!;
}

/** A record's JSON text (an object), as a line: checksum and newline added. */
export function lineOf(body: string): string {
  return `${body.slice(0, -1)},"sum":"${checksum(body)}"}\n`;
}

/** The start of records that many lines share, hashed (and encoded) once. */
export interface LineHead {
  text: string;
  hash: number;
  /** `text` as UTF-8: a writer copies these bytes rather than build and encode each line. */
  bytes: Buffer;
}

export function lineHead(text: string): LineHead {
  return { text, hash: fnv1a(text, FNV_OFFSET), bytes: Buffer.from(text) };
}

/** `lineOf(head.text + tail)`, hashing only the tail (which ends the object with its `}`). */
export function lineFrom(head: LineHead, tail: string): string {
  return `${head.text}${lineEnd(head, tail)}`;
}

// What JSON.stringify escapes: quotes, backslashes, control characters and lone surrogates (the u
// flag keeps a well-formed pair out of the class). A path with none of them is its own JSON string.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/u;
const HEX_DIGITS = Buffer.from("0123456789abcdef");
const SUM_OPEN = Buffer.from(',"sum":"');
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

/**
 * Writes what follows `head.text` in `lineFrom(head, JSON.stringify(path) + "}")` into `buf` at
 * `pos`, without building the line as a string: returns the position after it, or -1 when the path
 * needs escaping (the caller then uses lineEnd). `buf` must have room for path.length * 3 + 24 bytes.
 */
export function writeChangeEnd(buf: Buffer, pos: number, head: LineHead, path: string): number {
  if (NEEDS_ESCAPE.test(path)) return -1;
  let h = Math.imul(head.hash ^ QUOTE, 0x01000193);
  h = fnv1a(path, h);
  h = Math.imul(h ^ QUOTE, 0x01000193);
  h = Math.imul(h ^ CLOSE_BRACE, 0x01000193);
  buf[pos++] = QUOTE;
  pos += buf.write(path, pos);
  buf[pos++] = QUOTE;
  pos += SUM_OPEN.copy(buf, pos);
  for (let shift = 28; shift >= 0; shift -= 4) buf[pos++] = HEX_DIGITS[(h >>> shift) & 0xf]!;
  buf[pos++] = QUOTE;
  buf[pos++] = CLOSE_BRACE;
  buf[pos++] = NEWLINE;
  return pos;
}

/** What follows `head.text` in `lineFrom(head, tail)`: the tail, its checksum and the newline. */
export function lineEnd(head: LineHead, tail: string): string {
  return `${tail.slice(0, -1)},"sum":"${hex(fnv1a(tail, head.hash))}"}\n`;
}

export function encodeLine(rec: JournalLine): string {
  return lineOf(JSON.stringify(rec));
}

/** Why a line without a checksum is refused: torn, or written before records carried one. */
export const NO_CHECKSUM = "the record has no checksum";

/** The record a line holds, or why it is refused (never quoting the line: it may be anything). */
export function decodeLine(raw: string): JournalLine | { refused: string } {
  const m = SUFFIX.exec(raw);
  if (!m) return { refused: NO_CHECKSUM };
  const body = `${raw.slice(0, -SUFFIX_LENGTH)}}`;
  if (checksum(body) !== m[1]) return { refused: "the record's checksum does not match: torn or edited" };
  let rec: unknown;
  try {
    rec = JSON.parse(body);
  } catch {
    return { refused: "the record is not JSON" };
  }
  return wellFormed(rec) ? rec : { refused: "the record is not a well-formed journal record" };
}

const str = (v: unknown): v is string => typeof v === "string";

function wellFormed(rec: unknown): rec is JournalLine {
  if (typeof rec !== "object" || rec === null) return false;
  const r = rec as Record<string, unknown>;
  switch (r.t) {
    case "start":
      return str(r.run) && (r.kind === "apply" || r.kind === "undo") && str(r.time) && str(r.target);
    case "change":
      return (
        str(r.path) &&
        (r.type === "dir" || r.type === "file") &&
        aclFromRecord(r.before) !== undefined &&
        aclFromRecord(r.after) !== undefined
      );
    case "done":
      return Number.isSafeInteger(r.upto) && (r.upto as number) > 0;
    case "fail":
      return str(r.path);
    case "end":
      return str(r.time) && typeof r.summary === "object" && r.summary !== null;
    default:
      return false;
  }
}

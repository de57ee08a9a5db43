import { badInput } from '../platform/errors';

/** Options of a free-text field. */
export interface TextOptions {
  /** Most code points after trimming and NFC. */
  max: number;
  /** Fewest code points after trimming (default 1: not empty). */
  min?: number;
  /** Allows `\n` and `\t` (descriptions, notes); single-line fields (titles, names) refuse them. */
  multiline?: boolean;
}

// C0 controls, DEL and C1 controls; `\t` and `\n` are let through here and judged by `multiline`.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
// Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder what others see.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const ANSI = /\u001B\[|\u009B/u;

/**
 * The one rule for free text a person types (titles, names, descriptions, notes). Refuses ANSI
 * escapes, control characters other than newline and tab (and those too unless `multiline`), and
 * bidirectional overrides and isolates; normalises to NFC (so the same word is stored one way and
 * compares equal), turns `\r\n` into `\n`, trims, and counts length in code points (so 名字 is 2,
 * not bytes or UTF-16 units). Throws BAD_USER_INPUT naming the field and why, before any write.
 */
export function text(field: string, value: unknown, opts: TextOptions): string {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  const s = value.replace(/\r\n/g, '\n').normalize('NFC').trim();
  if (ANSI.test(s)) throw badInput(field, 'must not contain terminal (ANSI) escape sequences');
  const control = CONTROL.exec(s);
  if (control) throw badInput(field, `must not contain control characters (found U+${hex(control[0])})`);
  if (!opts.multiline && /[\n\t]/.test(s)) throw badInput(field, 'must be a single line (no line breaks or tabs)');
  const bidi = BIDI.exec(s);
  if (bidi) throw badInput(field, `must not contain bidirectional override characters (found U+${hex(bidi[0])})`);
  const length = [...s].length;
  const min = opts.min ?? 1;
  if (length < min) throw badInput(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (length > opts.max) throw badInput(field, `must be at most ${opts.max} characters`);
  return s;
}

/** `text` for a field that may be left out: null and undefined give undefined. */
export function optionalText(field: string, value: unknown, opts: TextOptions): string | undefined {
  return value === undefined || value === null ? undefined : text(field, value, opts);
}

const hex = (ch: string) => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

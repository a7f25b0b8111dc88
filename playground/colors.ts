/**
 * One colour a field, shared by its box in the header diagram, its bytes in the
 * hex dump and its row in the field table, so the eye can go from one to the other.
 */

import type { FieldSpan } from '../src/index.js';

/** Hue (degrees) of each fixed header field, by `FieldSpan.key`. */
const FIXED_HUE: Record<string, number> = {
  srcPort: 212,
  dstPort: 186,
  seq: 262,
  ack: 318,
  dataOffset: 46,
  flags: 0,
  window: 136,
  checksum: 24,
  urgentPointer: 86,
};

/** Options take turns through these hues, so neighbours differ. */
const OPTION_HUES = [160, 292, 228, 340, 66, 196, 112, 12];

/** The colours of one field. */
export interface FieldColour {
  /** Light background for boxes and bytes. */
  bg: string;
  /** Darker ink for borders and swatch outlines. */
  ink: string;
}

function hsl(hue: number, sat: number, light: number): string {
  return `hsl(${hue} ${sat}% ${light}%)`;
}

/** The colour of every span of a field map, in the same order. */
export function spanColours(spans: readonly FieldSpan[]): FieldColour[] {
  let option = 0;
  return spans.map((f) => {
    if (f.key === 'option') {
      if (f.label === 'Option: NOP' || f.label === 'Option: EOL') return { bg: hsl(220, 12, 88), ink: hsl(220, 12, 45) };
      const hue = OPTION_HUES[option++ % OPTION_HUES.length] as number;
      return { bg: hsl(hue, 62, 84), ink: hsl(hue, 50, 36) };
    }
    if (f.key === 'padding') return { bg: hsl(0, 0, 90), ink: hsl(0, 0, 50) };
    if (f.key === 'payload') return { bg: hsl(45, 30, 93), ink: hsl(45, 25, 40) };
    const hue = FIXED_HUE[f.key] ?? 0;
    return { bg: hsl(hue, 75, 87), ink: hsl(hue, 55, 38) };
  });
}

/** The inline style giving an element a field's colours (read by style.css as --bg and --ink). */
export function colourStyle(c: FieldColour): string {
  return `--bg:${c.bg};--ink:${c.ink}`;
}

/**
 * Mutations of valid inputs for the fuzz properties: bit flips, byte writes, truncations,
 * insertions and deletions anywhere, and length fields set to the values that break parsers
 * (0, 1, 255, 0xFFFF, 0xFFFFFFFF, and the field's own value ± 1).
 */

import fc from 'fast-check';

/** A length (or count) field of a format: where it sits, how wide, which byte order. */
export interface LengthField {
  at: number;
  width: 1 | 2 | 4;
  littleEndian?: boolean;
  /** Only the high nibble (the TCP data offset, the IPv4 IHL). */
  nibble?: 'high' | 'low';
}

/** The values that break length handling. */
export const HOSTILE_LENGTHS = [0, 1, 2, 3, 4, 5, 255, 0xffff, 0xffff_ffff] as const;

type Op =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'length'; field: number; value: number; delta: number };

const opArb = (fields: number): fc.Arbitrary<Op> => {
  const at = fc.nat({ max: 1 << 20 });
  const ops: fc.WeightedArbitrary<Op>[] = [
    { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('byte' as const), at, value: fc.oneof(fc.constantFrom(0, 1, 2, 0x7f, 0x80, 0xff), fc.nat({ max: 255 })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cut' as const), at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 8 }) }) },
  ];
  if (fields > 0) {
    ops.push({
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('length' as const),
        field: fc.nat({ max: fields - 1 }),
        value: fc.constantFrom(...HOSTILE_LENGTHS),
        // delta != 0: the field's own value moved by it instead of a hostile constant
        delta: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-4, -1, 1, 4) }),
      }),
    });
  }
  return fc.oneof(...ops);
};

function readField(b: Uint8Array, f: LengthField): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v = f.width === 1 ? dv.getUint8(f.at) : f.width === 2 ? dv.getUint16(f.at, f.littleEndian) : dv.getUint32(f.at, f.littleEndian);
  return f.nibble === 'high' ? v >>> 4 : f.nibble === 'low' ? v & 15 : v;
}

function writeField(b: Uint8Array, f: LengthField, value: number): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.nibble !== undefined) {
    const old = dv.getUint8(f.at);
    const v = value & 15;
    dv.setUint8(f.at, f.nibble === 'high' ? (old & 0x0f) | (v << 4) : (old & 0xf0) | v);
  } else if (f.width === 1) dv.setUint8(f.at, value & 0xff);
  else if (f.width === 2) dv.setUint16(f.at, value & 0xffff, f.littleEndian);
  else dv.setUint32(f.at, value >>> 0, f.littleEndian);
}

/** Applies the operations to a copy of `base`. Positions wrap around the current length. */
export function applyOps(base: Uint8Array, ops: readonly Op[], fields: readonly LengthField[]): Uint8Array {
  let b = base.slice();
  for (const o of ops) {
    const n = b.length;
    switch (o.op) {
      case 'flip':
        if (n > 0) b[o.at % n] = (b[o.at % n] as number) ^ (1 << o.bit);
        break;
      case 'byte':
        if (n > 0) b[o.at % n] = o.value;
        break;
      case 'cut':
        b = b.slice(0, n === 0 ? 0 : o.at % (n + 1));
        break;
      case 'insert': {
        const at = o.at % (n + 1);
        const c = new Uint8Array(n + o.bytes.length);
        c.set(b.subarray(0, at), 0);
        c.set(o.bytes, at);
        c.set(b.subarray(at), at + o.bytes.length);
        b = c;
        break;
      }
      case 'delete': {
        if (n === 0) break;
        const at = o.at % n;
        const count = Math.min(o.count, n - at);
        const c = new Uint8Array(n - count);
        c.set(b.subarray(0, at), 0);
        c.set(b.subarray(at + count), at);
        b = c;
        break;
      }
      case 'length': {
        const f = fields[o.field];
        if (f === undefined || f.at + f.width > n) break;
        writeField(b, f, o.delta === 0 ? o.value : readField(b, f) + o.delta);
        break;
      }
    }
  }
  return b;
}

/**
 * Mutants of one of `bases`: 1 to `maxOps` operations, length fields (found by `fieldsOf`)
 * favoured. Operations are applied in order to a copy; `bases` are never written.
 */
export function mutantArb(
  bases: readonly Uint8Array[],
  fieldsOf: (b: Uint8Array) => LengthField[],
  maxOps = 4,
): fc.Arbitrary<Uint8Array> {
  const prepared = bases.map((b) => ({ bytes: b, fields: fieldsOf(b) }));
  return fc
    .nat({ max: prepared.length - 1 })
    .chain((i) => {
      const p = prepared[i] as { bytes: Uint8Array; fields: LengthField[] };
      return fc.array(opArb(p.fields.length), { minLength: 1, maxLength: maxOps }).map((ops) => applyOps(p.bytes, ops, p.fields));
    });
}

/** Mutants of bytes produced by an arbitrary (a valid segment, a built packet). */
export function mutantOfArb(
  base: fc.Arbitrary<Uint8Array>,
  fieldsOf: (b: Uint8Array) => LengthField[],
  maxOps = 4,
): fc.Arbitrary<Uint8Array> {
  return base.chain((b) => {
    const fields = fieldsOf(b);
    return fc.array(opArb(fields.length), { minLength: 1, maxLength: maxOps }).map((ops) => applyOps(b, ops, fields));
  });
}

/** The TCP data offset and every option length byte of a segment (walked leniently). */
export function tcpFields(b: Uint8Array, at = 0): LengthField[] {
  const fields: LengthField[] = [{ at: at + 12, width: 1, nibble: 'high' }];
  if (b.length < at + 20) return fields;
  const end = Math.min(b.length, at + ((b[at + 12] as number) >>> 4) * 4);
  for (let p = at + 20; p + 1 < end; ) {
    const k = b[p] as number;
    if (k === 0) break;
    if (k === 1) {
      p++;
      continue;
    }
    fields.push({ at: p + 1, width: 1 });
    const len = b[p + 1] as number;
    if (len < 2) break;
    p += len;
  }
  return fields;
}

/** A small deterministic generator (xorshift32): a batch of mutants is reproducible from its seed. */
export function rngFrom(seed: number): (n: number) => number {
  let s = seed | 0 || 0x2545f491;
  return (n: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** One mutant of `base`: 1 to `maxOps` random operations, drawn from `rnd`, length fields favoured. */
export function mutateWith(base: Uint8Array, fields: readonly LengthField[], rnd: (n: number) => number, maxOps = 4): Uint8Array {
  const ops: Op[] = [];
  const count = 1 + rnd(maxOps);
  for (let k = 0; k < count; k++) {
    const at = rnd(1 << 20);
    const pick = rnd(fields.length > 0 ? 15 : 10);
    if (pick < 4) ops.push({ op: 'flip', at, bit: rnd(8) });
    else if (pick < 7) ops.push({ op: 'byte', at, value: rnd(2) === 0 ? ([0, 1, 2, 0x7f, 0x80, 0xff][rnd(6)] as number) : rnd(256) });
    else if (pick < 8) ops.push({ op: 'cut', at });
    else if (pick < 9) {
      const bytes = new Uint8Array(1 + rnd(8));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rnd(256);
      ops.push({ op: 'insert', at, bytes });
    } else if (pick < 10) ops.push({ op: 'delete', at, count: 1 + rnd(8) });
    else {
      const delta = rnd(4) === 0 ? ([-4, -1, 1, 4][rnd(4)] as number) : 0;
      ops.push({ op: 'length', field: rnd(fields.length), value: HOSTILE_LENGTHS[rnd(HOSTILE_LENGTHS.length)] as number, delta });
    }
  }
  return applyOps(base, ops, fields);
}

/**
 * A property over batches: fast-check draws a base input and a seed, and `perBatch` mutants of
 * the base are made from the seed, so fast-check's per-run cost is paid once a batch. A failure
 * names the base and the seed (and the mutant, in the error message), all reproducible.
 */
export function batchProperty<T>(
  baseArb: fc.Arbitrary<T>,
  perBatch: number,
  each: (base: T, rnd: (n: number) => number, k: number) => void,
): fc.IPropertyWithHooks<[T, number]> {
  return fc.property(baseArb, fc.integer(), (base, seed) => {
    const rnd = rngFrom(seed);
    for (let k = 0; k < perBatch; k++) each(base, rnd, k);
  });
}

/** Hex of a (short) input, for failure messages. */
export function hexOf(b: Uint8Array, max = 256): string {
  let s = '';
  for (let i = 0; i < Math.min(b.length, max); i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return b.length > max ? `${s}... (${b.length} bytes)` : s;
}

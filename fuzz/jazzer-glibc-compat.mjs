#!/usr/bin/env node
/**
 * Makes @jazzer.js/fuzzer 4.0.0's prebuilt libFuzzer addon load on Debian 12.
 *
 * The addon inside the package (prebuilds/fuzzer-linux-x64.node) was linked against
 * glibc 2.38 and libstdc++ 13; Debian 12 has glibc 2.36 and libstdc++ 12, so
 * `require('@jazzer.js/fuzzer')` fails with "version `GLIBC_2.38' not found". What it
 * takes from those newer versions is three symbols:
 *
 * - `__isoc23_strtol`, `__isoc23_strtoul` (glibc 2.38): C23's strtol/strtoul, which differ
 *   from the old ones only by also reading "0b" binary prefixes. libFuzzer parses decimal
 *   flag values with them. Each is renamed in place to `strtol`/`strtoul` (the old name is
 *   a suffix of the new one, so the string is cut, not grown) and bound to GLIBC_2.2.5.
 * - `std::ios_base_library_init()` (GLIBCXX_3.4.32): only referenced, never called (GCC 13's
 *   <iostream> names it to pull in libstdc++'s stream initialisation; it has no relocation).
 *
 * The version needs GLIBC_2.38 and GLIBCXX_3.4.32 are then marked weak (VER_FLG_WEAK), which
 * the dynamic loader accepts when the version is missing. Nothing else changes: the patch edits
 * a few bytes of the ELF's .dynstr, .gnu.version and .gnu.version_r. It runs only when the
 * addon does not load as shipped, keeps the original beside it (.orig), and is idempotent.
 *
 * Run by `npm run fuzz` before fuzzing (fuzz/run.mjs); on a machine with glibc >= 2.38 it does nothing.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** True if the addon loads; false if it fails on a missing symbol version; anything else is thrown. */
function loads() {
  try {
    require('@jazzer.js/fuzzer');
    return true;
  } catch (e) {
    if (/version `[A-Z]+_[0-9.]+' not found/.test(String(e && e.message))) return false;
    throw e;
  }
}

function addonPath() {
  const pkg = dirname(require.resolve('@jazzer.js/fuzzer/package.json'));
  return join(pkg, 'prebuilds', `fuzzer-${process.platform}-${process.arch}.node`);
}

/** Patches an ELF64 little-endian shared object in memory; returns the list of changes. */
export function patchElf(buf) {
  const changes = [];
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error('not an ELF64 little-endian file');
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    sections.push({
      type: buf.readUInt32LE(h + 4),
      offset: Number(buf.readBigUInt64LE(h + 0x18)),
      size: Number(buf.readBigUInt64LE(h + 0x20)),
      link: buf.readUInt32LE(h + 0x28),
      entsize: Number(buf.readBigUInt64LE(h + 0x38)),
    });
  }
  const SHT_DYNSYM = 11;
  const SHT_GNU_VERNEED = 0x6ffffffe;
  const SHT_GNU_VERSYM = 0x6fffffff;
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  if (!dynsym || !verneed || !versym) throw new Error('no dynamic symbol versioning found');
  const dynstr = sections[dynsym.link];
  const str = (off) => {
    const start = dynstr.offset + off;
    return buf.toString('latin1', start, buf.indexOf(0, start));
  };
  // Version needs: mark the missing ones weak, and find GLIBC_2.2.5's index.
  const WEAK = ['GLIBC_2.38', 'GLIBCXX_3.4.32'];
  let glibcBase = -1;
  for (let vn = verneed.offset; ; ) {
    const cnt = buf.readUInt16LE(vn + 2);
    let aux = vn + buf.readUInt32LE(vn + 8);
    for (let k = 0; k < cnt; k++) {
      const name = str(buf.readUInt32LE(aux + 8));
      const other = buf.readUInt16LE(aux + 6);
      if (name === 'GLIBC_2.2.5' && str(buf.readUInt32LE(vn + 4)) === 'libc.so.6') glibcBase = other;
      if (WEAK.includes(name) && (buf.readUInt16LE(aux + 4) & 2) === 0) {
        buf.writeUInt16LE(buf.readUInt16LE(aux + 4) | 2, aux + 4);
        changes.push(`version need ${name}: weak`);
      }
      aux += buf.readUInt32LE(aux + 12);
    }
    const next = buf.readUInt32LE(vn + 12);
    if (next === 0) break;
    vn += next;
  }
  if (glibcBase < 0) throw new Error('no GLIBC_2.2.5 version need');
  // The two C23 functions: renamed to their old names, bound to GLIBC_2.2.5.
  const RENAME = { __isoc23_strtol: 'strtol', __isoc23_strtoul: 'strtoul' };
  const count = dynsym.size / dynsym.entsize;
  for (let i = 0; i < count; i++) {
    const sym = dynsym.offset + i * dynsym.entsize;
    const nameOff = buf.readUInt32LE(sym);
    const name = str(nameOff);
    const to = RENAME[name];
    if (to === undefined) continue;
    buf.write(`${to}\0`, dynstr.offset + nameOff, 'latin1');
    buf.writeUInt16LE(glibcBase, versym.offset + 2 * i);
    changes.push(`${name} -> ${to}@GLIBC_2.2.5`);
  }
  return changes;
}

const file = addonPath();
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log('jazzer-glibc-compat: not linux-x64, nothing to do');
} else if (loads() === true) {
  console.log(`jazzer-glibc-compat: the Jazzer.js addon loads${existsSync(`${file}.orig`) ? ' (patched earlier; the original is beside it, .orig)' : ' as shipped'}`);
} else {
  if (!existsSync(`${file}.orig`)) copyFileSync(file, `${file}.orig`);
  const buf = readFileSync(`${file}.orig`);
  const changes = patchElf(buf);
  writeFileSync(file, buf);
  console.log(`jazzer-glibc-compat: patched ${file}:\n  ${changes.join('\n  ')}`);
  delete require.cache[require.resolve('@jazzer.js/fuzzer')];
  try {
    require('@jazzer.js/fuzzer');
    console.log('jazzer-glibc-compat: the addon loads now');
  } catch (e) {
    console.error(`jazzer-glibc-compat: the addon still does not load: ${e.message}`);
    process.exit(1);
  }
}

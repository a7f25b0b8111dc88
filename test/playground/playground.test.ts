// The playground in a real browser: Debian's chromium driven by playwright-core.
// The page is built and served here (beforeAll) exactly as `npm run playground` does.
// Expected values come from oracles, never from the page: tshark's dissection of the
// same bytes (values and byte positions), and tcpwire run here in Node for the
// handshake the page builds in the browser.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandshakeSpec, buildIpPacket, fromHex, threeWayHandshake, writePcap } from '../../src/index.js';

const root = join(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const TSHARK = '/usr/bin/tshark';

/**
 * A SYN Linux 6.x sent (frame 1 of an earlier capture of fixtures/captures/handshakes-linux.pcap;
 * the fixture has been captured again since). Its oracle is tshark, run here on the same bytes.
 */
const LINUX_SYN = {
  hex: '8c561b58e404a73f00000000a002faf031d50000020405b40402080a05dfcd9c000000000103030a',
  src: '10.99.0.1',
  dst: '10.99.0.2',
};

/** One field of tshark's PDML dissection. */
interface PdmlField {
  name: string;
  /** Offset in the segment (PDML counts from the frame start; the TCP header's own pos is taken off). */
  pos: number;
  size: number;
  show: string;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** The fields of every frame of a capture, as tshark dissects them, with TCP-relative positions. */
function tsharkTcp(pcap: string): PdmlField[][] {
  const r = spawnSync(TSHARK, ['-r', pcap, '-o', 'tcp.check_checksum:TRUE', '-o', 'tcp.relative_sequence_numbers:FALSE', '-T', 'pdml'], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const frames: PdmlField[][] = [];
  for (const packet of r.stdout.split('<packet>').slice(1)) {
    const start = packet.indexOf('<proto name="tcp"');
    expect(start, 'tshark found no TCP layer').toBeGreaterThanOrEqual(0);
    const tcpPos = Number(attr(packet.slice(start, packet.indexOf('>', start)), 'pos'));
    // Every field of the packet (ip.src too); positions are counted from the TCP header.
    const fields = [...packet.matchAll(/<field [^>]*>/g)].map((m) => {
      const tag = m[0];
      return {
        name: attr(tag, 'name') ?? '',
        pos: Number(attr(tag, 'pos')) - tcpPos,
        size: Number(attr(tag, 'size')),
        show: attr(tag, 'show') ?? '',
      };
    });
    frames.push(fields);
  }
  return frames;
}

/** tshark's option elements, in wire order: each starts where one of its kind bytes is. */
function tsharkOptions(fields: PdmlField[]): PdmlField[] {
  const kinds = new Set(fields.filter((f) => f.name === 'tcp.option_kind').map((f) => f.pos));
  return fields.filter((f) => /^tcp\.options\.[a-z_]+$/.test(f.name) && f.size > 0 && kinds.has(f.pos));
}

/** The set flags of a dissected segment, named as Wireshark names them ("SYN, ACK"), low bit first. */
function flagNamesOf(fields: PdmlField[]): string[] {
  const names: [string, string][] = [
    ['tcp.flags.fin', 'FIN'],
    ['tcp.flags.syn', 'SYN'],
    ['tcp.flags.reset', 'RST'],
    ['tcp.flags.push', 'PSH'],
    ['tcp.flags.ack', 'ACK'],
    ['tcp.flags.urg', 'URG'],
    ['tcp.flags.ece', 'ECE'],
    ['tcp.flags.cwr', 'CWR'],
    ['tcp.flags.ae', 'AE'],
  ];
  return names.filter(([n]) => one(fields, n).show === '1').map(([, label]) => label);
}

function one(fields: PdmlField[], name: string): PdmlField {
  const f = fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`tshark gave no ${name}`);
  return f;
}

/**
 * A pcapng file written by hand from the format's description (draft-ietf-opsawg-pcapng):
 * a Section Header Block, one Interface Description Block (Ethernet), and one Enhanced
 * Packet Block per frame, little-endian. Independent of tcpwire's own writers.
 */
function pcapng(frames: Uint8Array[]): Uint8Array {
  const blocks: Buffer[] = [];
  const block = (type: number, body: Buffer): void => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const len = 12 + padded.length;
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(len, 4);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(len, 0);
    blocks.push(head, padded, tail);
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0); // byte-order magic
  shb.writeUInt16LE(1, 4); // major version
  shb.writeUInt16LE(0, 6); // minor version
  shb.writeBigInt64LE(-1n, 8); // section length: unknown
  block(0x0a0d0d0a, shb);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(1, 0); // LINKTYPE_ETHERNET
  idb.writeUInt32LE(0, 4); // snaplen: no limit
  block(1, idb);
  frames.forEach((frame, i) => {
    const epb = Buffer.alloc(20);
    epb.writeUInt32LE(0, 0); // interface 0
    epb.writeUInt32LE(0, 4); // timestamp high (microseconds)
    epb.writeUInt32LE(1_000_000 * (i + 1), 8); // timestamp low
    epb.writeUInt32LE(frame.length, 12);
    epb.writeUInt32LE(frame.length, 16);
    block(6, Buffer.concat([epb, Buffer.from(frame)]));
  });
  return new Uint8Array(Buffer.concat(blocks));
}

/** An Ethernet II frame around an IPv4 packet. */
function ethernet(ip: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from('020000000002020000000001', 'hex'), Buffer.from([0x08, 0x00]), Buffer.from(ip)]));
}

/** The committed Linux capture: its raw segments, and tshark's fields for each (fixtures/captures/make-oracle.sh). */
const FIXTURE_SEGMENTS = join(root, 'fixtures', 'captures', 'handshakes-linux.pcap.segments.json');
const FIXTURE_TSHARK = join(root, 'fixtures', 'captures', 'handshakes-linux.pcap.tshark.json');

interface FixtureSegment {
  frame: number;
  src: string;
  dst: string;
  tcp: string;
}

interface FixtureTshark {
  frame: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  hdrLen: number;
  flags: number;
  window: number;
  checksum: number;
  checksumStatus: string;
  urgentPointer: number;
  optionKinds: number[];
  mss: number | null;
  wscaleShift: number | null;
  tsval: number | null;
  tsecr: number | null;
}

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
let work = '';
/** The .pcap the page downloaded in the handshake test. */
let downloaded = '';

async function startServer(): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'playground', 'serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the playground server printed no address: ${out}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`the playground server exited (${String(code)}): ${out}`)));
  });
}

/** The computed background colour of an element. */
function background(selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
}

/** The computed background colour of every byte of the first hex dump, by offset. */
async function byteColours(scope: string): Promise<string[]> {
  return page.locator(`${scope} [data-testid="hexdump"]`).first().evaluate((dump) =>
    Array.from(dump.querySelectorAll('.b')).map((b) => getComputedStyle(b).backgroundColor),
  );
}

beforeAll(async () => {
  // Fail, never skip: CI installs both (scripts/setup.sh).
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's chromium is missing (${CHROMIUM}): the playground test needs it; install it with \`apt-get install chromium\` (scripts/setup.sh does)`);
  }
  if (!existsSync(TSHARK)) throw new Error(`tshark is missing (${TSHARK}): it is this test's oracle; scripts/setup.sh installs it`);
  work = mkdtempSync(join(tmpdir(), 'tcpwire-playground-'));
  const built = spawnSync(process.execPath, [join(root, 'playground', 'build.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`playground build failed: ${built.stderr}`);
  base = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.locator('[data-testid="diagram"]').waitFor();
  expect(errors).toEqual([]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('playground in Debian chromium', () => {
  let tshark: PdmlField[] = [];

  it('decodes a pasted Linux SYN into the values tshark reads from the same bytes', async () => {
    const pcap = join(work, 'syn.pcap');
    writeFileSync(pcap, writePcap([{ data: buildIpPacket(fromHex(LINUX_SYN.hex), LINUX_SYN.src, LINUX_SYN.dst) }]));
    tshark = tsharkTcp(pcap)[0] ?? [];

    // Clear the example the page opens with, then paste.
    await page.fill('#hex', '');
    await expect.poll(() => page.locator('[data-testid="diagram"]').count()).toBe(0);
    await page.fill('#src', LINUX_SYN.src);
    await page.fill('#dst', LINUX_SYN.dst);
    await page.fill('#hex', LINUX_SYN.hex);
    await page.locator('[data-testid="diagram"]').waitFor();

    const val = (testid: string): Promise<string> => page.locator(`[data-testid="${testid}"] .val`).innerText();
    expect(await val('field-srcPort')).toBe(one(tshark, 'tcp.srcport').show);
    expect(await val('field-dstPort')).toBe(one(tshark, 'tcp.dstport').show);
    expect(await val('field-seq')).toBe(one(tshark, 'tcp.seq_raw').show);
    expect(await val('field-ack')).toBe(one(tshark, 'tcp.ack_raw').show);
    // tshark gives the header length in bytes; the field holds 32-bit words.
    expect(Number(await val('field-dataOffset')) * 4).toBe(Number(one(tshark, 'tcp.hdr_len').show));
    expect(await val('field-window')).toBe(one(tshark, 'tcp.window_size_value').show);
    expect(await val('field-checksum')).toBe(one(tshark, 'tcp.checksum').show);
    expect(await val('field-urgentPointer')).toBe(one(tshark, 'tcp.urgent_pointer').show);
    const flagNames: [string, string][] = [
      ['ae', 'tcp.flags.ae'],
      ['cwr', 'tcp.flags.cwr'],
      ['ece', 'tcp.flags.ece'],
      ['urg', 'tcp.flags.urg'],
      ['ack', 'tcp.flags.ack'],
      ['psh', 'tcp.flags.push'],
      ['rst', 'tcp.flags.reset'],
      ['syn', 'tcp.flags.syn'],
      ['fin', 'tcp.flags.fin'],
    ];
    for (const [key, name] of flagNames) {
      const lit = one(tshark, name).show === '1';
      expect(await val(`flag-${key}`), key).toBe(lit ? '1' : '0');
      expect(await page.locator(`[data-testid="flag-${key}"]`).getAttribute('class'), key).toContain(lit ? 'on' : 'off');
    }

    // Options in wire order, each box's kind and length, and the values inside.
    const options = tsharkOptions(tshark);
    expect(options.map((o) => o.name)).toEqual(['tcp.options.mss', 'tcp.options.sack_perm', 'tcp.options.timestamp', 'tcp.options.nop', 'tcp.options.wscale']);
    const kinds = tshark.filter((f) => f.name === 'tcp.option_kind');
    for (let k = 0; k < options.length; k++) {
      const kind = kinds.find((f) => f.pos === (options[k] as PdmlField).pos);
      expect(/\d+/.exec(await val(`option-${k}-kind`))?.[0], `option ${k} kind`).toBe(kind?.show);
      const len = tshark.find((f) => f.name === 'tcp.option_len' && f.pos === (options[k] as PdmlField).pos + 1);
      if (len !== undefined) expect(await val(`option-${k}-length`), `option ${k} length`).toBe(len.show);
    }
    expect(await val('option-0-mss')).toBe(one(tshark, 'tcp.options.mss_val').show);
    expect(await val('option-2-tsval')).toBe(one(tshark, 'tcp.options.timestamp.tsval').show);
    expect(await val('option-2-tsecr')).toBe(one(tshark, 'tcp.options.timestamp.tsecr').show);
    expect(await val('option-4-shift')).toBe(one(tshark, 'tcp.options.wscale.shift').show);

    // tshark's checksum status 1 is "Good".
    expect(one(tshark, 'tcp.checksum.status').show).toBe('1');
    expect(await page.locator('#decode-section [data-testid="checksum-verdict"]').getAttribute('data-verdict')).toBe('good');
  });

  it('decodes frame 1 of the committed Linux capture as the tshark fixture says', async () => {
    if (!existsSync(FIXTURE_SEGMENTS) || !existsSync(FIXTURE_TSHARK)) {
      throw new Error(`the capture fixtures are missing (${FIXTURE_SEGMENTS}, ${FIXTURE_TSHARK})`);
    }
    const seg = (JSON.parse(readFileSync(FIXTURE_SEGMENTS, 'utf8')) as { segments: FixtureSegment[] }).segments[0] as FixtureSegment;
    const ts = (JSON.parse(readFileSync(FIXTURE_TSHARK, 'utf8')) as { segments: FixtureTshark[] }).segments[0] as FixtureTshark;
    expect(seg.frame).toBe(1);
    expect(ts.frame).toBe(1);
    await page.click('#example-syn');
    // The page's example is this very segment.
    expect((await page.inputValue('#hex')).replace(/\s/g, '')).toBe(seg.tcp);
    expect(await page.inputValue('#src')).toBe(seg.src);
    expect(await page.inputValue('#dst')).toBe(seg.dst);
    const val = (testid: string): Promise<string> => page.locator(`[data-testid="${testid}"] .val`).innerText();
    expect(Number(await val('field-srcPort'))).toBe(ts.srcPort);
    expect(Number(await val('field-dstPort'))).toBe(ts.dstPort);
    expect(Number(await val('field-seq'))).toBe(ts.seq);
    expect(Number(await val('field-ack'))).toBe(ts.ack);
    expect(Number(await val('field-dataOffset')) * 4).toBe(ts.hdrLen);
    expect(Number(await val('field-window'))).toBe(ts.window);
    expect(Number.parseInt(await val('field-checksum'), 16)).toBe(ts.checksum);
    expect(Number(await val('field-urgentPointer'))).toBe(ts.urgentPointer);
    // tshark's flags number: FIN 0x001 ... CWR 0x080, AE 0x100.
    const bits: [string, number][] = [['fin', 0x1], ['syn', 0x2], ['rst', 0x4], ['psh', 0x8], ['ack', 0x10], ['urg', 0x20], ['ece', 0x40], ['cwr', 0x80], ['ae', 0x100]];
    for (const [key, bit] of bits) expect(await val(`flag-${key}`), key).toBe((ts.flags & bit) !== 0 ? '1' : '0');
    for (let k = 0; k < ts.optionKinds.length; k++) {
      expect(/\d+/.exec(await val(`option-${k}-kind`))?.[0], `option ${k}`).toBe(String(ts.optionKinds[k]));
    }
    expect(ts.optionKinds).toEqual([2, 4, 8, 1, 3]);
    expect(Number(await val('option-0-mss'))).toBe(ts.mss);
    expect(Number(await val('option-2-tsval'))).toBe(ts.tsval);
    expect(Number(await val('option-2-tsecr'))).toBe(ts.tsecr);
    expect(Number(await val('option-4-shift'))).toBe(ts.wscaleShift);
    expect(await page.locator('#decode-section [data-testid="checksum-verdict"]').getAttribute('data-verdict')).toBe(ts.checksumStatus);
    // Back to the SYN the next tests use.
    await page.fill('#hex', LINUX_SYN.hex);
    await page.locator('[data-testid="field-seq"]').waitFor();
    expect(await val('field-seq')).toBe(one(tshark, 'tcp.seq_raw').show);
  });

  it('colours the bytes of each field, at the positions tshark gives, in that field’s colour', async () => {
    const boxes: [string, PdmlField][] = [
      ['field-srcPort', one(tshark, 'tcp.srcport')],
      ['field-dstPort', one(tshark, 'tcp.dstport')],
      ['field-seq', one(tshark, 'tcp.seq_raw')],
      ['field-ack', one(tshark, 'tcp.ack_raw')],
      ['field-dataOffset', one(tshark, 'tcp.hdr_len')],
      ['flag-syn', one(tshark, 'tcp.flags.syn')],
      ['field-window', one(tshark, 'tcp.window_size_value')],
      ['field-checksum', one(tshark, 'tcp.checksum')],
      ['field-urgentPointer', one(tshark, 'tcp.urgent_pointer')],
    ];
    const options = tsharkOptions(tshark);
    options.forEach((o, k) => boxes.push([`option-${k}-kind`, o]));
    const bytes = await byteColours('#decode-section');
    expect(bytes).toHaveLength(LINUX_SYN.hex.length / 2);
    const fixed = new Set<string>();
    for (const [testid, f] of boxes) {
      const colour = await background(`[data-testid="${testid}"]`);
      expect(colour, testid).toMatch(/^rgb/);
      if (testid.startsWith('field-') || testid.startsWith('flag-')) fixed.add(colour);
      for (let b = f.pos; b < f.pos + f.size; b++) expect(bytes[b], `byte ${b} (${f.name}) has the colour of ${testid}`).toBe(colour);
    }
    // Nine fixed fields, nine colours: a mix-up of two fields could not pass the loop above.
    expect(fixed.size).toBe(9);
  });

  it('links a field and its bytes both ways on hover', async () => {
    const seq = one(tshark, 'tcp.seq_raw');
    await page.hover('[data-testid="field-seq"]');
    const lit = await page.locator('#decode-section [data-testid="hexdump"] .b.hl').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
    expect(lit).toEqual(Array.from({ length: seq.size }, (_, i) => seq.pos + i));
    const wscale = one(tshark, 'tcp.options.wscale');
    await page.hover(`#decode-section [data-testid="hexdump"] .b[data-offset="${wscale.pos + 2}"]`);
    expect(await page.locator('[data-testid="option-4-shift"]').getAttribute('class')).toContain('hl');
    expect(await page.locator('[data-testid="field-seq"]').getAttribute('class')).not.toContain('hl');
  });

  it('says when the checksum does not fit the addresses', async () => {
    await page.fill('#src', '10.99.0.3');
    await expect.poll(() => page.locator('#decode-section [data-testid="checksum-verdict"]').getAttribute('data-verdict')).toBe('bad');
    await page.fill('#src', LINUX_SYN.src);
    await expect.poll(() => page.locator('#decode-section [data-testid="checksum-verdict"]').getAttribute('data-verdict')).toBe('good');
  });

  it('shows the error code, message and offset for bad input', async () => {
    await page.fill('#hex', '8c56zz');
    await expect.poll(() => page.locator('[data-testid="error-code"]').first().innerText()).toBe('BAD_HEX');
    expect(await page.locator('[data-testid="error-offset"]').first().getAttribute('data-offset')).toBe('4');
    // The window-scale option's length byte (segment byte 38) changed from 3 to 9: it runs past the 40-byte header.
    const broken = `${LINUX_SYN.hex.slice(0, 76)}09${LINUX_SYN.hex.slice(78)}`;
    await page.fill('#hex', broken);
    await expect.poll(() => page.locator('[data-testid="error-code"]').first().innerText()).toBe('OPTION_OVERRUN');
    expect(await page.locator('[data-testid="error-message"]').first().innerText()).not.toBe('');
    const at = Number(await page.locator('[data-testid="error-offset"]').first().getAttribute('data-offset'));
    expect(at).toBeGreaterThanOrEqual(37);
    expect(await page.locator('#decoded .b.mark').getAttribute('data-offset')).toBe(String(at));
    await page.fill('#hex', LINUX_SYN.hex);
    await page.locator('[data-testid="diagram"]').waitFor();
  });

  it('builds a handshake with client ISN 2^32-1: the SYN-ACK acknowledges 0, and the .pcap is the library’s', async () => {
    const spec: HandshakeSpec = {
      client: { address: '10.0.0.1', port: 50000, isn: 2 ** 32 - 1 },
      server: { address: '10.0.0.2', port: 80, isn: 1_000_000 },
      profile: 'linux',
      packets: true,
    };
    await page.fill('[data-testid="hs-clientAddress"]', '10.0.0.1');
    await page.fill('[data-testid="hs-clientPort"]', '50000');
    await page.fill('[data-testid="hs-clientIsn"]', String(2 ** 32 - 1));
    await page.fill('[data-testid="hs-serverAddress"]', '10.0.0.2');
    await page.fill('[data-testid="hs-serverPort"]', '80');
    await page.fill('[data-testid="hs-serverIsn"]', '1000000');
    await page.selectOption('[data-testid="hs-profile"]', 'linux');
    await page.click('[data-testid="hs-build"]');
    await expect.poll(() => page.locator('[data-testid="isn-x"]').innerText()).toBe('4294967295');

    // (x + 1) mod 2^32 with x = 2^32 - 1.
    expect(await page.locator('[data-testid="synAck-ack"]').innerText()).toBe('0');
    expect(await page.locator('[data-testid="ack-seq"]').innerText()).toBe('0');
    expect(await page.locator('[data-testid="ack-ack"]').innerText()).toBe('1000001');

    const hs = threeWayHandshake(spec);
    for (let i = 0; i < hs.states.length; i++) {
      expect(await page.locator(`[data-testid="state-client-${i}"]`).innerText()).toBe(hs.states[i]?.client);
      expect(await page.locator(`[data-testid="state-server-${i}"]`).innerText()).toBe(hs.states[i]?.server);
    }
    expect(hs.states[3]).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="hs-download"]')]);
    const file = join(work, 'handshake.pcap');
    await download.saveAs(file);
    downloaded = file;
    const got = new Uint8Array(readFileSync(file));
    const want = writePcap([hs.syn, hs.synAck, hs.ack].map((s) => ({ data: s.packet ?? new Uint8Array(0) })));
    expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(want).toString('hex'));

    // And tshark reads the download as the handshake it should be.
    const frames = tsharkTcp(file);
    expect(frames.map((f) => one(f, 'tcp.flags.str').show.replace(/[·\s]/g, ''))).toEqual(['S', 'AS', 'A']);
    expect(one(frames[1] ?? [], 'tcp.ack_raw').show).toBe('0');
    expect(frames.map((f) => one(f, 'tcp.checksum.status').show)).toEqual(['1', '1', '1']);
  });

  it('lists a chosen .pcap (the downloaded handshake) as tshark reads it, and decodes the picked frame', async () => {
    expect(downloaded).not.toBe('');
    const frames = tsharkTcp(downloaded);
    await page.setInputFiles('[data-testid="file-input"]', downloaded);
    await expect.poll(() => page.locator('[data-testid="capture-row"]').count()).toBe(frames.length);
    const rows = page.locator('[data-testid="capture-row"]');
    const flagText = (f: PdmlField[]): string =>
      flagNamesOf(f).join(', ');
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as PdmlField[];
      expect(await rows.nth(i).locator('[data-testid="capture-seq"]').innerText()).toBe(one(f, 'tcp.seq_raw').show);
      expect(await rows.nth(i).locator('[data-testid="capture-ack"]').innerText()).toBe(one(f, 'tcp.ack_raw').show);
      expect(await rows.nth(i).locator('[data-testid="capture-flags"]').innerText()).toBe(flagText(f));
      expect(await rows.nth(i).locator('[data-testid="capture-checksum"]').innerText()).toBe(one(f, 'tcp.checksum.status').show === '1' ? 'good' : 'not good');
    }
    // Pick the SYN-ACK: its bytes and its addresses go to the decoder.
    const synAck = frames[1] as PdmlField[];
    await rows.nth(1).click();
    await expect.poll(() => page.inputValue('#src')).toBe(one(synAck, 'ip.src').show);
    expect(await page.inputValue('#dst')).toBe(one(synAck, 'ip.dst').show);
    expect(await page.locator('[data-testid="field-ack"] .val').innerText()).toBe(one(synAck, 'tcp.ack_raw').show);
    expect(await page.locator('[data-testid="field-srcPort"] .val').innerText()).toBe(one(synAck, 'tcp.srcport').show);
    expect(await page.locator('#decode-section [data-testid="checksum-verdict"]').getAttribute('data-verdict')).toBe('good');
  });

  it('reads a dropped .pcapng of Ethernet frames, written here by hand, as tshark does', async () => {
    const file = join(work, 'syn.pcapng');
    writeFileSync(file, pcapng([ethernet(buildIpPacket(fromHex(LINUX_SYN.hex), LINUX_SYN.src, LINUX_SYN.dst))]));
    const frames = tsharkTcp(file);
    expect(frames).toHaveLength(1);
    const f = frames[0] as PdmlField[];
    const b64 = readFileSync(file).toString('base64');
    const transfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      const bin = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], 'syn.pcapng', { type: 'application/octet-stream' }));
      return dt;
    }, b64);
    await page.dispatchEvent('#decode-section', 'drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('[data-testid="capture-row"]').count()).toBe(1);
    await expect.poll(() => page.inputValue('#hex')).toBe(LINUX_SYN.hex);
    expect(await page.inputValue('#src')).toBe(one(f, 'ip.src').show);
    expect(await page.inputValue('#dst')).toBe(one(f, 'ip.dst').show);
    expect(await page.locator('[data-testid="field-seq"] .val').innerText()).toBe(one(f, 'tcp.seq_raw').show);
    expect(await page.locator('[data-testid="capture-checksum"]').innerText()).toBe(one(f, 'tcp.checksum.status').show === '1' ? 'good' : 'not good');
    expect(await page.locator('[data-testid="from-capture"]').innerText()).toContain('syn.pcapng');
  });

  it('says what is wrong with a file that is no capture', async () => {
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new TextEncoder().encode('not a capture, just text')], 'notes.txt'));
      return dt;
    });
    await page.dispatchEvent('#decode-section', 'drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('[data-testid="capture-error"] [data-testid="error-code"]').innerText()).toBe('BAD_MAGIC');
  });

  it('saves a screenshot', async () => {
    const out = join(root, 'test-output');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, 'playground.png'), fullPage: true });
    expect(existsSync(join(out, 'playground.png'))).toBe(true);
  });
});

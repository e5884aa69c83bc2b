/**
 * Writes the PWA icons into public/ (run once; the PNGs are committed): a pre-roll cone on the
 * app's green. `node scripts/make-icons.mjs`. Drawn per pixel and encoded with node:zlib, so it
 * needs no image library.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const OUT = path.join(import.meta.dirname, "..", "public");
const GREEN = [20, 83, 45];
const PAPER = [245, 240, 225];
const TIP = [180, 140, 90];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `inset`: the share of the side left around the cone (maskable icons keep it in the safe zone). */
function png(size, { inset, rounded }) {
  const rows = [];
  const r = size * 0.18;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      // Rounded square background (transparent corners) or full bleed.
      let alpha = 255;
      if (rounded) {
        const cx = Math.min(Math.max(x + 0.5, r), size - r);
        const cy = Math.min(Math.max(y + 0.5, r), size - r);
        if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) > r) alpha = 0;
      }
      // A cone from bottom-left to top-right: wide end up-right, filter tip down-left.
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      const a = inset;
      const t = (u - a + (1 - a - v)) / (2 * (1 - 2 * a)); // 0 at the tip, 1 at the open end
      const d = (u - a - (1 - a - v)) / Math.SQRT2; // distance across the cone's axis
      const half = 0.03 + 0.11 * t;
      let color = GREEN;
      if (t >= 0 && t <= 1 && Math.abs(d) <= half) color = t < 0.22 ? TIP : PAPER;
      row[1 + x * 4] = color[0];
      row[2 + x * 4] = color[1];
      row[3 + x * 4] = color[2];
      row[4 + x * 4] = alpha;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An .ico holding one PNG image (every current browser reads PNG-in-ICO). */
function ico(pngBytes, size) {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header[6] = size;
  header[7] = size;
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(pngBytes.length, 14);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, pngBytes]);
}

fs.mkdirSync(OUT, { recursive: true });
const write = (name, bytes) => fs.writeFileSync(path.join(OUT, name), bytes);
write("icon-192.png", png(192, { inset: 0.16, rounded: true }));
write("icon-512.png", png(512, { inset: 0.16, rounded: true }));
write("icon-maskable-512.png", png(512, { inset: 0.26, rounded: false }));
write("apple-touch-icon.png", png(180, { inset: 0.16, rounded: false }));
write("favicon.ico", ico(png(32, { inset: 0.1, rounded: true }), 32));
console.log("icons written to", OUT);

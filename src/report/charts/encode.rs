//! A small, fast PNG encoder for rendered charts.
//!
//! tiny-skia's `encode_png` runs zlib level 6 with no way to choose another level, which costs
//! 40–100 ms for one 1600 px chart. Charts are flat colours, so a greedy LZ77 with short hash
//! chains and per-block dynamic Huffman codes gets most of the size for a fraction of the time.
//! The output is plain RGB (charts are opaque), one IDAT chunk, zlib-wrapped deflate.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Encodes premultiplied RGBA pixels (tiny-skia's layout) as an opaque RGB PNG; any
/// transparency is composited onto white, as the charts are meant to be seen on paper.
pub(super) fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    debug_assert_eq!(rgba.len(), w * h * 4);
    let raw = filtered_rows(w, h, rgba);
    let mut idat = Vec::with_capacity(raw.len() / 8 + 1024);
    zlib(&raw, &mut idat);

    let mut out = Vec::with_capacity(idat.len() + 64);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = [0u8; 13];
    ihdr[..4].copy_from_slice(&width.to_be_bytes());
    ihdr[4..8].copy_from_slice(&height.to_be_bytes());
    // 8-bit depth, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr[8..].copy_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 is the most bytes that cannot overflow b before the modulo.
    for block in data.chunks(5552) {
        for &x in block {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// RGB rows, each prefixed by the PNG filter (None, Sub, Up or Paeth) that leaves the smallest
/// residuals: flat areas and straight edges then become long runs of zeros.
fn filtered_rows(w: usize, h: usize, rgba: &[u8]) -> Vec<u8> {
    const BPP: usize = 3;
    let stride = w * BPP;
    let mut out = Vec::with_capacity(h * (stride + 1));
    let mut prev = vec![0u8; stride];
    let mut cur = vec![0u8; stride];
    let mut candidates = [
        vec![0u8; stride],
        vec![0u8; stride],
        vec![0u8; stride],
        vec![0u8; stride],
    ];
    for y in 0..h {
        for (px, dst) in rgba[y * w * 4..(y + 1) * w * 4]
            .chunks_exact(4)
            .zip(cur.chunks_exact_mut(3))
        {
            // Premultiplied colour over white: c + (255 - a).
            let back = 255 - px[3];
            dst[0] = px[0].saturating_add(back);
            dst[1] = px[1].saturating_add(back);
            dst[2] = px[2].saturating_add(back);
        }
        let [none, sub, up, paeth] = &mut candidates;
        for i in 0..stride {
            let x = cur[i];
            let a = if i >= BPP { cur[i - BPP] } else { 0 };
            let b = prev[i];
            let c = if i >= BPP { prev[i - BPP] } else { 0 };
            none[i] = x;
            sub[i] = x.wrapping_sub(a);
            up[i] = x.wrapping_sub(b);
            paeth[i] = x.wrapping_sub(paeth_predictor(a, b, c));
        }
        let cost = |v: &[u8]| {
            v.iter()
                .map(|&b| u32::from((b as i8).unsigned_abs()))
                .sum::<u32>()
        };
        let (best, _) = candidates
            .iter()
            .enumerate()
            .min_by_key(|(_, v)| cost(v))
            .unwrap_or((0, &candidates[0]));
        // PNG filter type numbers; 3 (Average) is not tried.
        out.push([0, 1, 2, 4][best]);
        out.extend_from_slice(&candidates[best]);
        std::mem::swap(&mut prev, &mut cur);
    }
    out
}

fn paeth_predictor(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn zlib(data: &[u8], out: &mut Vec<u8>) {
    // CMF/FLG: deflate with a 32 KiB window, "fastest" level hint; 0x7801 % 31 == 0.
    out.extend_from_slice(&[0x78, 0x01]);
    deflate(data, out);
    out.extend_from_slice(&adler32(data).to_be_bytes());
}

const WINDOW: usize = 1 << 15;
const HASH_BITS: u32 = 15;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// Chain steps per position: enough for chart images, bounded for runs of identical bytes.
const MAX_CHAIN: usize = 12;
/// A match this long is taken at once without looking for a longer one.
const NICE_MATCH: usize = 128;
/// Positions inside longer matches are not hashed: they are mostly runs that the match start
/// already covers, and hashing them dominates the time on flat images.
const MAX_INSERT: usize = 16;
const BLOCK_TOKENS: usize = 1 << 15;

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Order in which code-length code lengths are stored (RFC 1951, 3.2.7).
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A literal byte, or a match packed as `MATCH | length << 16 | distance`.
type Token = u32;
const MATCH: u32 = 1 << 31;

fn len_symbol(len: usize) -> usize {
    LEN_BASE.partition_point(|&b| usize::from(b) <= len) - 1
}

fn dist_symbol(dist: usize) -> usize {
    DIST_BASE.partition_point(|&b| usize::from(b) <= dist) - 1
}

fn hash(data: &[u8], pos: usize) -> usize {
    let v = u32::from(data[pos]) | u32::from(data[pos + 1]) << 8 | u32::from(data[pos + 2]) << 16;
    (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
}

fn match_len(data: &[u8], a: usize, b: usize, max: usize) -> usize {
    let mut n = 0;
    while n + 8 <= max {
        let x = u64::from_le_bytes(data[a + n..a + n + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(data[b + n..b + n + 8].try_into().unwrap_or([0; 8]));
        let diff = x ^ y;
        if diff != 0 {
            return n + (diff.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < max && data[a + n] == data[b + n] {
        n += 1;
    }
    n
}

fn deflate(data: &[u8], out: &mut Vec<u8>) {
    let mut bits = BitWriter::new(out);
    let mut head = vec![u32::MAX; 1 << HASH_BITS];
    let mut prev = vec![u32::MAX; WINDOW];
    let mut tokens: Vec<Token> = Vec::with_capacity(BLOCK_TOKENS + 1);
    let n = data.len();
    let mut pos = 0;
    let insert = |head: &mut [u32], prev: &mut [u32], p: usize| {
        let h = hash(data, p);
        prev[p % WINDOW] = head[h];
        head[h] = p as u32;
    };
    loop {
        while tokens.len() < BLOCK_TOKENS && pos < n {
            let mut best = (0usize, 0usize);
            if pos + MIN_MATCH <= n {
                let max = (n - pos).min(MAX_MATCH);
                let mut cand = head[hash(data, pos)];
                let mut steps = 0;
                // Stale chain entries are harmless: every candidate is checked for distance
                // and its bytes compared.
                while cand != u32::MAX && steps < MAX_CHAIN {
                    let c = cand as usize;
                    if c >= pos || pos - c > WINDOW {
                        break;
                    }
                    let len = match_len(data, c, pos, max);
                    if len > best.0 {
                        best = (len, pos - c);
                        if len >= NICE_MATCH.min(max) {
                            break;
                        }
                    }
                    cand = prev[c % WINDOW];
                    steps += 1;
                }
                insert(&mut head, &mut prev, pos);
            }
            let (len, dist) = best;
            if len >= MIN_MATCH {
                tokens.push(MATCH | (len as u32) << 16 | dist as u32);
                if len <= MAX_INSERT {
                    for p in pos + 1..(pos + len).min(n.saturating_sub(MIN_MATCH - 1)) {
                        insert(&mut head, &mut prev, p);
                    }
                }
                pos += len;
            } else {
                tokens.push(u32::from(data[pos]));
                pos += 1;
            }
        }
        let last = pos >= n;
        write_block(&mut bits, &tokens, last);
        tokens.clear();
        if last {
            break;
        }
    }
    bits.flush();
}

fn write_block(bits: &mut BitWriter, tokens: &[Token], last: bool) {
    let mut lit_freq = [0u32; 286];
    let mut dist_freq = [0u32; 30];
    for &t in tokens {
        if t & MATCH != 0 {
            lit_freq[257 + len_symbol(((t >> 16) & 0x1FF) as usize)] += 1;
            dist_freq[dist_symbol((t & 0xFFFF) as usize)] += 1;
        } else {
            lit_freq[t as usize] += 1;
        }
    }
    lit_freq[256] = 1;
    let lit_len = code_lengths(&lit_freq, 15);
    let dist_len = code_lengths(&dist_freq, 15);
    let lit_codes = canonical_codes(&lit_len);
    let dist_codes = canonical_codes(&dist_len);

    let hlit = (257..=286)
        .rev()
        .find(|&k| lit_len[k - 1] != 0)
        .unwrap_or(257);
    let hdist = (1..=30).rev().find(|&k| dist_len[k - 1] != 0).unwrap_or(1);
    let mut all = Vec::with_capacity(hlit + hdist);
    all.extend_from_slice(&lit_len[..hlit]);
    all.extend_from_slice(&dist_len[..hdist]);
    let cl_tokens = run_length(&all);
    let mut cl_freq = [0u32; 19];
    for &(sym, _) in &cl_tokens {
        cl_freq[usize::from(sym)] += 1;
    }
    let cl_len = code_lengths(&cl_freq, 7);
    let cl_codes = canonical_codes(&cl_len);
    let hclen = (4..=19)
        .rev()
        .find(|&k| cl_len[CL_ORDER[k - 1]] != 0)
        .unwrap_or(4);

    bits.put(u32::from(last), 1);
    bits.put(2, 2); // dynamic Huffman codes
    bits.put((hlit - 257) as u32, 5);
    bits.put((hdist - 1) as u32, 5);
    bits.put((hclen - 4) as u32, 4);
    for &sym in &CL_ORDER[..hclen] {
        bits.put(u32::from(cl_len[sym]), 3);
    }
    for &(sym, extra) in &cl_tokens {
        let s = usize::from(sym);
        bits.put(u32::from(cl_codes[s]), u32::from(cl_len[s]));
        match sym {
            16 => bits.put(u32::from(extra), 2),
            17 => bits.put(u32::from(extra), 3),
            18 => bits.put(u32::from(extra), 7),
            _ => {}
        }
    }
    for &t in tokens {
        if t & MATCH != 0 {
            let len = ((t >> 16) & 0x1FF) as usize;
            let dist = (t & 0xFFFF) as usize;
            let ls = len_symbol(len);
            bits.put(u32::from(lit_codes[257 + ls]), u32::from(lit_len[257 + ls]));
            bits.put(
                (len - usize::from(LEN_BASE[ls])) as u32,
                u32::from(LEN_EXTRA[ls]),
            );
            let ds = dist_symbol(dist);
            bits.put(u32::from(dist_codes[ds]), u32::from(dist_len[ds]));
            bits.put(
                (dist - usize::from(DIST_BASE[ds])) as u32,
                u32::from(DIST_EXTRA[ds]),
            );
        } else {
            let s = t as usize;
            bits.put(u32::from(lit_codes[s]), u32::from(lit_len[s]));
        }
    }
    bits.put(u32::from(lit_codes[256]), u32::from(lit_len[256]));
}

/// Code lengths as (symbol, extra-bits value) with runs folded into symbols 16, 17 and 18.
fn run_length(lengths: &[u8]) -> Vec<(u8, u8)> {
    let mut out = Vec::with_capacity(lengths.len());
    let mut i = 0;
    while i < lengths.len() {
        let v = lengths[i];
        let run = lengths[i..].iter().take_while(|&&x| x == v).count();
        if v == 0 && run >= 3 {
            let r = run.min(138);
            if r >= 11 {
                out.push((18, (r - 11) as u8));
            } else {
                out.push((17, (r - 3) as u8));
            }
            i += r;
        } else if v != 0 && run >= 4 {
            // The first length is sent as is; 16 repeats the previous one 3..6 times.
            out.push((v, 0));
            let r = (run - 1).min(6);
            out.push((16, (r - 3) as u8));
            i += 1 + r;
        } else {
            out.push((v, 0));
            i += 1;
        }
    }
    out
}

/// Huffman code lengths for `freq`, none longer than `limit`. Unused symbols get 0; at least two
/// symbols get a code, since some decoders reject a one-code tree.
fn code_lengths<const N: usize>(freq: &[u32; N], limit: u8) -> [u8; N] {
    let mut lengths = [0u8; N];
    let mut used: Vec<(u32, usize)> = freq
        .iter()
        .enumerate()
        .filter(|&(_, &f)| f > 0)
        .map(|(s, &f)| (f, s))
        .collect();
    let unused: Vec<usize> = (0..N).filter(|&s| freq[s] == 0).collect();
    for &filler in unused.iter().take(2usize.saturating_sub(used.len())) {
        used.push((1, filler));
    }
    if used.len() < 2 {
        return lengths;
    }
    // Plain Huffman tree: node ids 0..k are leaves, later ids internal; ties break on the id so
    // the result is deterministic.
    let k = used.len();
    let mut parent = vec![0usize; 2 * k - 1];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = used
        .iter()
        .enumerate()
        .map(|(i, &(f, _))| Reverse((u64::from(f), i)))
        .collect();
    let mut next = k;
    while heap.len() > 1 {
        let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        parent[a] = next;
        parent[b] = next;
        heap.push(Reverse((fa + fb, next)));
        next += 1;
    }
    let root = next - 1;
    let mut depth = vec![0usize; 2 * k - 1];
    for node in (0..root).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    // Cap the lengths (zlib/miniz's method): fold overlong codes into the limit, then lengthen
    // shorter codes until the Kraft sum is exactly one again.
    let limit = usize::from(limit);
    let mut count = vec![0u32; limit + 1];
    for &d in &depth[..k] {
        count[d.min(limit)] += 1;
    }
    let mut kraft: u64 = (1..=limit)
        .map(|l| u64::from(count[l]) << (limit - l))
        .sum();
    while kraft > 1 << limit {
        count[limit] -= 1;
        for l in (1..limit).rev() {
            if count[l] > 0 {
                count[l] -= 1;
                count[l + 1] += 2;
                break;
            }
        }
        kraft -= 1;
    }
    // Shortest codes to the most frequent symbols.
    used.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut symbols = used.iter();
    for (l, &c) in count.iter().enumerate().skip(1) {
        for _ in 0..c {
            if let Some(&(_, s)) = symbols.next() {
                lengths[s] = l as u8;
            }
        }
    }
    lengths
}

/// Canonical Huffman codes for `lengths`, bit-reversed because deflate sends codes MSB first
/// through an LSB-first bit stream.
fn canonical_codes<const N: usize>(lengths: &[u8; N]) -> [u16; N] {
    let mut count = [0u16; 16];
    for &l in lengths {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for l in 1..16 {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    let mut codes = [0u16; N];
    for (s, &l) in lengths.iter().enumerate() {
        if l > 0 {
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            codes[s] = c.reverse_bits() >> (16 - u16::from(l));
        }
    }
    codes
}

struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl<'a> BitWriter<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        BitWriter { out, acc: 0, n: 0 }
    }

    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn flush(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.acc = 0;
        self.n = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::Pixmap;

    fn round_trip(w: u32, h: u32, rgba: &[u8]) {
        let png = encode_png(w, h, rgba);
        let decoded = Pixmap::decode_png(&png).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (w, h));
        for (i, (got, want)) in decoded
            .data()
            .chunks_exact(4)
            .zip(rgba.chunks_exact(4))
            .enumerate()
        {
            let back = 255 - want[3];
            let expect = [
                want[0].saturating_add(back),
                want[1].saturating_add(back),
                want[2].saturating_add(back),
                255,
            ];
            assert_eq!(got, expect, "pixel {i} of {w}x{h}");
        }
    }

    #[test]
    fn round_trips_through_a_png_decoder() {
        round_trip(1, 1, &[10, 20, 30, 255]);
        round_trip(3, 2, &[255; 24]);
        // Pseudo-random, barely compressible: exercises literals and long code lengths.
        let mut x = 0x1234_5678u32;
        let noise: Vec<u8> = (0..97 * 61 * 4)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if i % 4 == 3 { 255 } else { (x >> 24) as u8 }
            })
            .collect();
        round_trip(97, 61, &noise);
        // Stripes and runs: long matches at many distances, several blocks.
        let stripes: Vec<u8> = (0..700 * 300)
            .flat_map(|p| {
                let (px, py) = (p % 700, p / 700);
                let v = ((px / 7 + py / 3) % 5 * 60) as u8;
                [v, 255 - v, (px % 256) as u8 & 0xF0, 255]
            })
            .collect();
        round_trip(700, 300, &stripes);
        // Translucent premultiplied pixels come out composited onto white.
        round_trip(2, 1, &[0, 0, 0, 0, 50, 0, 0, 128]);
    }

    #[test]
    fn skewed_frequencies_respect_the_length_limit() {
        // Fibonacci frequencies make the deepest possible Huffman tree.
        let mut freq = [0u32; 40];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freq.iter_mut() {
            *f = a;
            (a, b) = (b, a.saturating_add(b));
        }
        let lengths = code_lengths(&freq, 15);
        assert!(lengths.iter().all(|&l| (1..=15).contains(&l)));
        let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12, "kraft {kraft}");
    }

    #[test]
    fn known_checksums() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}

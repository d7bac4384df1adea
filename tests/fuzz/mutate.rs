//! The fuzzer's random source and mutations: deterministic for a seed, aimed at what YAML
//! readers get wrong (anchors, aliases, merge keys, flow collections, indentation, quotes,
//! deep nesting, huge numbers, control and bidirectional characters, `${{ }}` expressions).

/// `SplitMix64`: small, fast, and the same sequence on every machine for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Inputs are kept under this size; over 1 MiB already exercises the size limits.
const MAX_INPUT: usize = 1536 * 1024;

/// Fragments that mean something to a YAML reader or to the checks.
const TOKENS: &[&str] = &[
    "&a ",
    "*a",
    "&b [x, y, *a]",
    "<<: *a\n",
    "<<: [*a, *b]\n",
    "{",
    "}",
    "[",
    "]",
    "- ",
    ": ",
    "? ",
    ",",
    "'",
    "\"",
    "\t",
    "\n",
    "\r\n",
    "#",
    "|\n",
    ">-\n",
    "!!str ",
    "!!binary ",
    "!custom ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "on",
    "0x1F",
    "0o17",
    "1e400",
    "-.inf",
    ".nan",
    "99999999999999999999999999999999999999999999",
    "-170141183460469231731687303715884105729",
    "${{",
    "}}",
    "${{ matrix.os }}",
    "${{ matrix['k0'] }}",
    "${{ inputs.x }}",
    "${{ fromJSON(needs.a.outputs.m) }}",
    "include:\n  - k0: 1\n    extra: x\n",
    "exclude:\n  - k0: 1\n",
    "uses: ./.github/workflows/ci.yml\n",
    "uses: ./.github/workflows/reusable-checks.yml\n",
    "uses: ./.github/workflows/../../x.yml\n",
    "strategy:\n  matrix:\n    k0: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n    k1: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n    k2: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
    "environment: production\n",
    "environment: {name: \"pre\\nview\"}\n",
    "name: \"x ${{ inputs.a }}-${{ inputs.b }}-${{ inputs.c }}\"\n",
    "required: [\"dev - lint and test\", {context: x, app_id: 1}]\n",
    "version: 1\n",
    "\u{1b}[31m",
    "\u{1b}]8;;http://x\u{7}",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "\u{202e}",
    "\u{2066}",
    "\u{2028}",
    "\u{200b}",
    "::error file=x,line=1::forged",
    "%0A::warning::x",
    "é",
    "名前",
    "😀",
];

/// Returns `base` changed by one to four mutations; `corpus` is for splicing.
///
/// Half the mutations keep the YAML well-formed more often than not (values replaced by
/// valid scalars, blocks duplicated under new keys, snippets indented where they land), so
/// that inputs get past the parser to the checks behind it; the others break it freely.
pub fn mutate(rng: &mut Rng, base: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut input = base.to_vec();
    let count = if rng.chance(4) { 2 + rng.below(3) } else { 1 };
    for _ in 0..count {
        match rng.below(16) {
            0 => flip_bit(rng, &mut input),
            1 => set_byte(rng, &mut input),
            2..=4 => {
                let token = rng_token(rng);
                insert(rng, &mut input, token);
            }
            5 => delete_range(rng, &mut input),
            6 => duplicate_lines(rng, &mut input),
            7 => splice(rng, &mut input, corpus),
            8 => nest(rng, &mut input),
            9 => reindent(rng, &mut input),
            10 => swap_lines(rng, &mut input),
            11 | 12 => replace_value(rng, &mut input),
            13 | 14 => duplicate_block(rng, &mut input),
            _ => {
                let number = huge_number(rng);
                insert(rng, &mut input, number.as_bytes());
            }
        }
        input.truncate(MAX_INPUT);
    }
    input
}

fn rng_token(rng: &mut Rng) -> &'static [u8] {
    rng.pick(TOKENS).as_bytes()
}

fn flip_bit(rng: &mut Rng, input: &mut [u8]) {
    if !input.is_empty() {
        let at = rng.below(input.len());
        input[at] ^= 1 << rng.below(8);
    }
}

fn set_byte(rng: &mut Rng, input: &mut [u8]) {
    if !input.is_empty() {
        let at = rng.below(input.len());
        input[at] = *rng.pick(&[0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x80, 0xc3, 0xfe, 0xff]);
    }
}

/// Returns the byte offsets where lines start.
fn line_starts(input: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            input
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i <= input.len())
        .collect()
}

/// Inserts at a random place: half the time at a line start, after its indentation, with
/// the token's own lines indented the same.
fn insert(rng: &mut Rng, input: &mut Vec<u8>, token: &[u8]) {
    if rng.chance(2) {
        let start = *rng.pick(&line_starts(input));
        let indent = input[start..].iter().take_while(|&&b| b == b' ').count();
        let mut text = Vec::with_capacity(token.len());
        for (i, line) in token.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                text.push(b'\n');
                if !line.is_empty() {
                    text.extend(std::iter::repeat_n(b' ', indent));
                }
            }
            text.extend_from_slice(line);
        }
        let at = start + indent;
        input.splice(at..at, text);
    } else {
        let at = rng.below(input.len() + 1);
        input.splice(at..at, token.iter().copied());
    }
}

/// Repeats a line and the more indented lines under it, with a number added to its key
/// each time: many jobs, many matrix keys, many steps.
fn duplicate_block(rng: &mut Rng, input: &mut Vec<u8>) {
    let text = input.clone();
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    if lines.is_empty() {
        return;
    }
    let first = rng.below(lines.len());
    let indent = |line: &[u8]| line.iter().take_while(|&&b| b == b' ').count();
    let depth = indent(lines[first]);
    let end = (first + 1..lines.len())
        .find(|&i| {
            let line = lines[i];
            line.iter().any(|b| !b.is_ascii_whitespace()) && indent(line) <= depth
        })
        .unwrap_or(lines.len());
    let block = lines[first..end].concat();
    let Some(colon) = block.iter().position(|&b| b == b':') else {
        return;
    };
    let times = if rng.chance(8) {
        100 + rng.below(3000)
    } else {
        1 + rng.below(8)
    };
    let mut copies = Vec::new();
    for copy in 0..times {
        copies.extend_from_slice(&block[..colon]);
        copies.extend_from_slice(format!("_{copy}").as_bytes());
        copies.extend_from_slice(&block[colon..]);
        if copies.len() > MAX_INPUT {
            break;
        }
    }
    let at: usize = lines[..end].iter().map(|line| line.len()).sum();
    input.splice(at..at, copies);
}

fn delete_range(rng: &mut Rng, input: &mut Vec<u8>) {
    if !input.is_empty() {
        let at = rng.below(input.len());
        let end = (at + 1 + rng.below(64)).min(input.len());
        input.drain(at..end);
    }
}

/// Repeats one to eight lines up to 2,000 times: many jobs, many keys, long lists.
fn duplicate_lines(rng: &mut Rng, input: &mut Vec<u8>) {
    let starts = line_starts(input);
    let first = rng.below(starts.len());
    let last = (first + 1 + rng.below(8)).min(starts.len());
    let from = starts[first];
    let to = starts.get(last).copied().unwrap_or(input.len());
    let chunk = input[from..to].to_vec();
    let times = if rng.chance(8) {
        500 + rng.below(1500)
    } else {
        1 + rng.below(16)
    };
    let mut repeated = Vec::with_capacity(chunk.len() * times);
    for _ in 0..times {
        repeated.extend_from_slice(&chunk);
        if repeated.len() > MAX_INPUT {
            break;
        }
    }
    input.splice(to..to, repeated);
}

/// Joins the start of this input with the end of another corpus file, at line starts.
fn splice(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let other = rng.pick(corpus);
    let cut = *rng.pick(&line_starts(input));
    let from = *rng.pick(&line_starts(other));
    input.truncate(cut);
    input.extend_from_slice(&other[from..]);
}

/// Inserts deep nesting: flow sequences, flow mappings or block sequences.
fn nest(rng: &mut Rng, input: &mut Vec<u8>) {
    let most = if rng.chance(4) { 5_000 } else { 80 };
    let depth = 1 + rng.below(most);
    let text = match rng.below(3) {
        0 => format!("{}x{}", "[".repeat(depth), "]".repeat(depth)),
        1 => format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth)),
        _ => {
            let mut text = String::from("\n");
            for level in 0..depth.min(400) {
                text.push_str(&" ".repeat(level * 2));
                text.push_str("- \n");
            }
            text
        }
    };
    insert(rng, input, text.as_bytes());
}

/// Adds or removes indentation at a line start.
fn reindent(rng: &mut Rng, input: &mut Vec<u8>) {
    let start = *rng.pick(&line_starts(input));
    if rng.chance(2) && input.get(start) == Some(&b' ') {
        input.remove(start);
    } else {
        let pad = *rng.pick(&["  ", " ", "\t", "    "]);
        input.splice(start..start, pad.bytes());
    }
}

fn swap_lines(rng: &mut Rng, input: &mut Vec<u8>) {
    let text = input.clone();
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let a = rng.below(lines.len());
    let b = rng.below(lines.len());
    lines.swap(a, b);
    *input = lines.join(&b'\n');
}

/// Scalars and flow collections that are valid YAML where a value stands.
const VALUES: &[&str] = &[
    "\"a\\nb\"",
    "\"\\u001b[31mred\"",
    "\"x\\u202ey\"",
    "\"::error::forged\"",
    "'${{ matrix.k0 }}'",
    "\"${{ matrix.os }}-${{ inputs.a }}-${{ inputs.b }}-${{ inputs.c }}\"",
    "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",
    "[a, {b: c}, [d]]",
    "{name: preview, url: x}",
    "&a [x, y]",
    "*a",
    "~",
    "''",
    "18",
    "3.10",
    "true",
    "\"名前 😀\"",
    "./.github/workflows/reusable-checks.yml",
    "./.github/workflows/ci.yml",
    "org/repo/.github/workflows/x.yml@v1",
    "workflow_call",
];

/// Replaces what follows the first `: ` of a random line with a value or a token.
fn replace_value(rng: &mut Rng, input: &mut Vec<u8>) {
    let start = *rng.pick(&line_starts(input));
    let end = input[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |i| start + i);
    if let Some(colon) = input[start..end].windows(2).position(|w| w == b": ") {
        let token = if rng.chance(4) {
            rng_token(rng)
        } else {
            rng.pick(VALUES).as_bytes()
        };
        input.splice(start + colon + 2..end, token.iter().copied());
    }
}

fn huge_number(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => "9".repeat(1 + rng.below(400)),
        1 => format!("1e{}", rng.next()),
        2 => format!("-0x{:x}{:x}", rng.next(), rng.next()),
        _ => format!("{}.{}", rng.next(), "0".repeat(rng.below(300))),
    }
}

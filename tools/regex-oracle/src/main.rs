//! regex-oracle: answers, one stdin line at a time, what Rust's `regex` crate does with a pattern.
//!
//! Requests are TAB-separated; patterns and haystacks travel as lowercase hex of their UTF-8
//! bytes, so any character (newlines and tabs included) survives the line protocol.
//!
//!   compile <hex>            -> ok | size | syntax:<Kind>:<start>-<end> | other:<hex message>
//!   match <hex> <hex>        -> true | false | error
//!   nfa <hex>                -> <forward> <reverse> | error                (needs feature `nfa`)
//!
//! `compile` is `regex::Regex::new`, exactly what Attune's worker calls. For a syntax error the
//! kind and span come from `regex_syntax` parsing the pattern with the same (default) settings;
//! span offsets are in code points. `nfa` prints, for the two Thompson NFAs the meta engine builds
//! (forward with captures, reverse without), the builder memory that `size_limit` is compared
//! to (10 MiB by default), in bytes, or `>67108864` past 64 MiB.

use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in stdin.lock().split(b'\n') {
        let mut line = line.expect("stdin");
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let answer = match String::from_utf8(line) {
            Ok(text) => answer(&text),
            Err(_) => "error:utf8".to_string(),
        };
        writeln!(out, "{}", answer).expect("stdout");
    }
}

fn answer(line: &str) -> String {
    let fields: Vec<&str> = line.split('\t').collect();
    let decoded: Option<Vec<String>> = fields.iter().skip(1).map(|f| unhex(f)).collect();
    let args = match decoded {
        Some(args) => args,
        None => return "error:protocol".to_string(),
    };
    match (fields[0], args.len()) {
        ("compile", 1) => compile(&args[0]),
        ("match", 2) => match regex::Regex::new(&args[0]) {
            Ok(re) => re.is_match(&args[1]).to_string(),
            Err(_) => "error".to_string(),
        },
        ("nfa", 1) => nfa(&args[0]),
        _ => "error:protocol".to_string(),
    }
}

fn compile(pattern: &str) -> String {
    match regex::Regex::new(pattern) {
        Ok(_) => "ok".to_string(),
        Err(regex::Error::CompiledTooBig(_)) => "size".to_string(),
        Err(err) => syntax_kind(pattern).unwrap_or_else(|| format!("other:{}", hex(&err.to_string()))),
    }
}

/// The kind and span of the syntax error, as regex_syntax reports it with default settings.
fn syntax_kind(pattern: &str) -> Option<String> {
    let (kind, start, end) = match regex_syntax::ParserBuilder::new().build().parse(pattern) {
        Ok(_) => return None,
        Err(regex_syntax::Error::Parse(e)) => (format!("{:?}", e.kind()), e.span().start.offset, e.span().end.offset),
        Err(regex_syntax::Error::Translate(e)) => (format!("{:?}", e.kind()), e.span().start.offset, e.span().end.offset),
        Err(e) => (format!("{:?}", e), 0, 0),
    };
    let name: String = kind.chars().take_while(|c| c.is_alphanumeric()).collect();
    Some(format!("syntax:{}:{}-{}", name, code_points(pattern, start), code_points(pattern, end)))
}

fn code_points(text: &str, byte_offset: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < byte_offset).count()
}

#[cfg(feature = "nfa")]
fn nfa(pattern: &str) -> String {
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
    let hir = match regex_syntax::ParserBuilder::new().build().parse(pattern) {
        Ok(hir) => hir,
        Err(_) => return "error".to_string(),
    };
    // The meta engine's two NFAs: forward with every capture, reverse with none.
    let base = Config::new().utf8(true).shrink(false);
    let forward = base.clone().which_captures(WhichCaptures::All);
    let reverse = base.which_captures(WhichCaptures::None).reverse(true);
    let peak = |config: &Config| -> String {
        // The builder checks its memory after every state it adds, and memory only grows, so
        // the smallest limit that lets the build finish is the peak the limit is compared to.
        let fits = |limit: usize| Compiler::new().configure(config.clone().nfa_size_limit(Some(limit))).build_from_hir(&hir).is_ok();
        if !fits(PEAK_CAP) {
            return format!(">{}", PEAK_CAP);
        }
        let (mut low, mut high) = (0usize, PEAK_CAP); // fits(high), and low fails unless low == high
        while low < high {
            let middle = low + (high - low) / 2;
            if fits(middle) { high = middle } else { low = middle + 1 }
        }
        high.to_string()
    };
    format!("{} {}", peak(&forward), peak(&reverse))
}

#[cfg(feature = "nfa")]
const PEAK_CAP: usize = 64 << 20;

#[cfg(not(feature = "nfa"))]
fn nfa(_pattern: &str) -> String {
    "error:unsupported".to_string()
}

fn unhex(field: &str) -> Option<String> {
    let bytes = field.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for pair in bytes.chunks(2) {
        let text = std::str::from_utf8(pair).ok()?;
        out.push(u8::from_str_radix(text, 16).ok()?);
    }
    String::from_utf8(out).ok()
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{:02x}", b)).collect()
}

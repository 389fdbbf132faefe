"""Does `regex::Regex::new(pattern)` succeed? The first error Rust reports, its span, and a sentence for it."""

from __future__ import annotations

from dataclasses import dataclass

from packls.rustregex.cursor import RegexSyntaxError
from packls.rustregex.hir_checks import check_translation
from packls.rustregex.parser import MAX_COUNT, NEST_LIMIT, Parser
from packls.rustregex.size import SIZE_LIMIT, exceeds_size_limit

SIZE_KIND = "CompiledTooBig"  # regex::Error::CompiledTooBig, not a syntax error

# regex-syntax's error kinds, each said in one sentence (`{text}` is the pattern text at the span).
EXPLANATIONS = {
    "CaptureLimitExceeded": "there are more capture groups than Rust's regex can number",
    "ClassEscapeInvalid": "{text} cannot be used inside a character class",
    "ClassRangeInvalid": "the range {text} starts after it ends",
    "ClassRangeLiteral": "a class range must go from one character to another; {text} is a class",
    "ClassUnclosed": "the character class {text} is never closed with ']'",
    "DecimalEmpty": "a number is missing",
    "DecimalInvalid": "repetition count {text} is too large: Rust's regex allows at most " + str(MAX_COUNT),
    "EscapeHexEmpty": "{text} holds no hexadecimal digits",
    "EscapeHexInvalid": "{text} is not a Unicode scalar value (surrogates and values above 10FFFF are not)",
    "EscapeHexInvalidDigit": "'{text}' is not a hexadecimal digit",
    "EscapeUnexpectedEof": "the pattern ends inside an escape",
    "EscapeUnrecognized": "Rust's regex does not know the escape {text}",
    "FlagDanglingNegation": "'-' in a flag group must be followed by the flags it turns off",
    "FlagDuplicate": "the flag '{text}' is given twice",
    "FlagRepeatedNegation": "a flag group may hold only one '-'",
    "FlagUnexpectedEof": "the pattern ends inside a flag group",
    "FlagUnrecognized": "'{text}' is not a flag; Rust's regex knows i, m, s, U, u, R and x",
    "GroupNameDuplicate": "two capture groups are named '{text}'",
    "GroupNameEmpty": "a capture group name cannot be empty",
    "GroupNameInvalid": "'{text}' cannot appear in a capture group name (letters, digits, '_', '.', '[' and ']'; "
    "no digit first)",
    "GroupNameUnexpectedEof": "the capture group name is never closed with '>'",
    "GroupUnclosed": "the group opened here is never closed with ')'",
    "GroupUnopened": "this ')' closes no group",
    "NestLimitExceeded": f"groups, classes or repetitions are nested more than {NEST_LIMIT} deep, Rust's regex nest limit",
    "RepetitionCountInvalid": "in {text} the minimum is above the maximum",
    "RepetitionCountDecimalEmpty": "a counted repetition needs a number here (there is no {{,n}}: write {{0,n}}); escape a "
    "brace that is meant literally as \\{{",
    "RepetitionCountUnclosed": "the repetition {text} is never closed with '}}'; escape a brace that is meant literally "
    "as \\{{",
    "RepetitionMissing": "there is nothing before this repetition operator to repeat",
    "SpecialWordBoundaryUnclosed": "{text} is never closed with '}}'",
    "SpecialWordBoundaryUnrecognized": "'{text}' is not a word boundary; Rust's regex knows \\b{{start}}, \\b{{end}}, "
    "\\b{{start-half}} and \\b{{end-half}}",
    "SpecialWordOrRepetitionUnexpectedEof": "the pattern ends after {text}",
    "UnicodeClassInvalid": "{text} is not a Unicode class name",
    "UnsupportedBackreference": "backreferences and octal escapes such as '{text}' are not supported by Rust's regex",
    "UnsupportedLookAround": "look-around ('{text}…)') is not supported by Rust's regex",
    "UnicodeNotAllowed": "{text} needs Unicode, which (?-u) turned off here",
    "InvalidUtf8": "{text} could match bytes that are not UTF-8 with Unicode turned off by (?-u), "
    "which Rust's regex refuses",
    "UnicodePropertyNotFound": "Rust's regex knows no Unicode property {text}",
    "UnicodePropertyValueNotFound": "Rust's regex knows no Unicode property value {text}",
    SIZE_KIND: "it compiles to more than Rust's size limit of " + str(SIZE_LIMIT) + " bytes (10 MiB)",
}
# What a refused piece most likely meant in another dialect, keyed by error kind and the text at the span.
HINTS = {
    ("EscapeUnrecognized", "\\Z"): "; write \\z for the end of the text",
    ("EscapeUnrecognized", "\\e"): "; write \\x1B",
    ("FlagUnrecognized", ">"): "; atomic groups (?>…) are not supported by Rust's regex",
    ("FlagUnrecognized", "#"): "; comment groups (?#…) are not supported; (?x) allows # comments",
    ("FlagUnrecognized", "|"): "; branch reset groups (?|…) are not supported by Rust's regex",
    ("FlagUnrecognized", "("): "; conditionals (?(…)…) are not supported by Rust's regex",
    ("FlagUnrecognized", "P"): "; named backreferences (?P=name) and recursion (?P>name) are not supported by Rust's regex",
    ("FlagUnrecognized", "'"): "; a named group is written (?<name>…) or (?P<name>…)",
}


@dataclass(frozen=True)
class RustRegexError:
    """Why `regex::Regex::new` refuses a pattern: regex-syntax's error kind and its span (code points)."""

    kind: str
    start: int
    end: int
    message: str


def rust_regex_error(pattern: str) -> RustRegexError | None:
    """The error Rust's regex crate (default settings) reports for pattern, or None when it compiles."""
    try:
        tree = Parser(pattern).parse()
        check_translation(tree)
    except RegexSyntaxError as error:
        start, end = error.span
        return RustRegexError(error.kind, start, end, explain(error.kind, pattern[start:end]))
    if exceeds_size_limit(tree):
        return RustRegexError(SIZE_KIND, 0, len(pattern), explain(SIZE_KIND, pattern))
    return None


def explain(kind: str, text: str) -> str:
    """One sentence for an error kind; text is what the span covers."""
    shown = text if len(text) <= 40 else text[:37] + "..."
    template = EXPLANATIONS.get(kind, "Rust's regex refuses it (" + kind + ")")
    return template.format(text=shown) + HINTS.get((kind, text), "")

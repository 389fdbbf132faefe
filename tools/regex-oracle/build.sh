#!/usr/bin/env bash
# Build the oracle offline from Debian's packaged crates (no crates.io).
#
#   build.sh            regex 1.13.1 / regex-automata 0.4.18 / regex-syntax 0.8.11, the versions
#                       Attune's Cargo.lock pins, from Debian's unstable suite: the .deb files are
#                       downloaded with apt-get into a private apt state below crates/ (the
#                       machine's own sources and installed packages are left alone) and unpacked
#                       there as a cargo directory registry -> target/attune/release/regex-oracle
#   build.sh bookworm   the same program on the machine's installed librust-regex-dev (bookworm:
#                       regex 1.7.1, regex-syntax 0.6.27) -> target/bookworm/release/regex-oracle
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
suite="${1:-attune}"
crates="$here/crates"

fetch_unstable_crates() {
    local state="$crates/apt" registry="$crates/root/usr/share/cargo/registry"
    if [ -d "$registry/regex-1.13.1" ] && [ -d "$registry/regex-automata-0.4.18" ] && [ -d "$registry/regex-syntax-0.8.11" ]; then
        return
    fi
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$crates/debs"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" >"$state/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq
    (cd "$crates/debs" && apt-get "${opts[@]}" download \
        librust-regex-dev=1.13.1-1 librust-regex-automata-dev=0.4.18-1 librust-regex-syntax-dev=0.8.11+dfsg-1 \
        librust-aho-corasick-dev librust-memchr-dev)
    for deb in "$crates"/debs/*.deb; do dpkg-deb -x "$deb" "$crates/root"; done
}

case "$suite" in
    attune)
        fetch_unstable_crates
        registry="$crates/root/usr/share/cargo/registry"
        features=()
        ;;
    bookworm)
        [ -d /usr/share/cargo/registry/regex-1.7.1 ] || apt-get install -y -qq librust-regex-dev
        registry=/usr/share/cargo/registry
        features=(--no-default-features)
        ;;
    *) echo "usage: build.sh [attune|bookworm]" >&2; exit 2 ;;
esac

manifest="$here/Cargo.toml"
if [ "$suite" = bookworm ]; then  # cargo resolves optional dependencies too: drop regex-automata 0.4
    mkdir -p target/bookworm/pkg
    grep -v -e '^regex-automata' -e '^nfa = ' -e '^default = ' -e '^\[features\]' Cargo.toml >target/bookworm/pkg/Cargo.toml
    printf '[features]\nnfa = []\n' >>target/bookworm/pkg/Cargo.toml
    ln -sfn "$here/src" target/bookworm/pkg/src
    manifest="$here/target/bookworm/pkg/Cargo.toml"
fi
rm -f "$(dirname "$manifest")/Cargo.lock"  # resolved afresh against the chosen registry
cargo build --release --offline --quiet "${features[@]}" --manifest-path "$manifest" --target-dir "$here/target/$suite" \
    --config 'source.crates-io.replace-with="debian"' \
    --config "source.debian.directory=\"$registry\""
echo "$here/target/$suite/release/regex-oracle"

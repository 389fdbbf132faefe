# Sourced by the install scripts: `apt_install WHY PACKAGE...` installs Debian packages (sudo when
# not root), or explains what to install by hand where there is no apt-get.
apt_install() {
    local why=$1
    shift
    if ! command -v apt-get >/dev/null; then
        printf '%s: apt-get not found: install %s by hand (%s)\n' "${0##*/}" "$*" "$why" >&2
        return 1
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

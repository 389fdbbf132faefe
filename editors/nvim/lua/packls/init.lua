-- packls, the language server for Attune packs: require('packls').setup(opts)
--
-- Works on Neovim 0.7 to 0.11+:
--   0.11+     vim.lsp.config('packls', ...) + vim.lsp.enable('packls') (same as lsp/packls.lua)
--   0.8-0.10  vim.lsp.start() from a FileType autocmd
--   0.7       vim.lsp.start_client() + vim.lsp.buf_attach_client()
-- The client attaches only to YAML buffers inside a pack (a folder with pack.yaml, searched
-- upwards from the file); the pack folder is the workspace root, one server per pack.
--
-- opts (all optional):
--   cmd           server command, default { 'packls', 'serve' }
--   settings      { packls = { severity = {...}, exclude = {...}, ... } }: answers
--                 workspace/configuration and is sent as initializationOptions too
--   init_options  initializationOptions, default settings.packls
--   filetypes     default { 'yaml' }
--   root_markers  default { 'pack.yaml' }
--   on_attach, capabilities, handlers, on_init, flags: passed to the client
--   api           'config' | 'start' | 'start_client': which Neovim API to use (default: by version)

local M = {}

M.name = 'packls'

M.defaults = {
  cmd = { 'packls', 'serve' },
  filetypes = { 'yaml' },
  root_markers = { 'pack.yaml' },
  settings = { packls = {} },
}

local uv = vim.loop or vim.uv

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- The API this Neovim offers: 'config' (0.11+), 'start' (0.8+) or 'start_client' (0.7).
function M.api()
  if has('0.11') and vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    return 'config'
  elseif vim.lsp.start ~= nil then
    return 'start'
  end
  return 'start_client'
end

--- The nearest folder at or above `path` that holds one of `markers`, or nil.
function M.find_root(path, markers)
  if path == nil or path == '' or path:match('^%a[%w+.-]*://') then
    return nil -- unnamed buffers and non-file URIs (fugitive://, oil://) are not pack files
  end
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while dir ~= nil and dir ~= '' do
    for _, marker in ipairs(markers) do
      if uv.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
  return nil
end

local function as_object(value)
  if value == nil or (type(value) == 'table' and next(value) == nil) then
    return vim.empty_dict()
  end
  return value
end

local function merged(opts)
  local conf = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  if opts and opts.cmd then
    conf.cmd = opts.cmd -- a list replaces the default, never merges index by index
  end
  if opts and opts.filetypes then
    conf.filetypes = opts.filetypes
  end
  if opts and opts.root_markers then
    conf.root_markers = opts.root_markers
  end
  if conf.init_options == nil then
    conf.init_options = vim.deepcopy((conf.settings or {}).packls or {})
  end
  -- An empty Lua table is sent as a JSON list; the server wants objects.
  conf.settings = as_object(conf.settings)
  conf.settings.packls = as_object(conf.settings.packls)
  conf.init_options = as_object(conf.init_options)
  return conf
end

local CLIENT_KEYS = { 'cmd', 'settings', 'init_options', 'on_attach', 'capabilities', 'handlers', 'flags', 'on_init', 'on_exit', 'before_init', 'cmd_env', 'cmd_cwd', 'trace' }

-- The client configuration for one pack root (0.7-0.10 paths).
local function client_config(conf, root, api)
  local config = { name = M.name, root_dir = root }
  for _, key in ipairs(CLIENT_KEYS) do
    config[key] = conf[key]
  end
  config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  if api == 'start_client' then
    -- 0.8+ sends its settings after initialize by itself; 0.7 does not.
    local user_on_init = conf.on_init
    config.on_init = function(client, result)
      if conf.settings and next(conf.settings) ~= nil then
        client.notify('workspace/didChangeConfiguration', { settings = conf.settings })
      end
      if user_on_init then
        user_on_init(client, result)
      end
    end
  end
  return config
end

local by_root = {} -- 0.7: pack root -> client id

local function attach(bufnr, conf, api)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return
  end
  if not vim.tbl_contains(conf.filetypes, vim.bo[bufnr].filetype) then
    return
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), conf.root_markers)
  if root == nil then
    return -- not inside a pack: leave this YAML to other servers
  end
  if api == 'start' then
    vim.lsp.start(client_config(conf, root, api), { bufnr = bufnr })
    return
  end
  local id = by_root[root]
  if id ~= nil and vim.lsp.get_client_by_id(id) == nil then
    id = nil -- the server exited: start a new one
  end
  if id == nil then
    id = vim.lsp.start_client(client_config(conf, root, api))
    by_root[root] = id
  end
  if id ~= nil then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

--- Start packls for pack YAML files. Call once, from init.lua or a plugin manager.
function M.setup(opts)
  opts = opts or {}
  local api = opts.api or M.api()
  local conf = merged(opts)
  conf.api = nil

  if api == 'config' then
    local config = {}
    for key, value in pairs(conf) do
      config[key] = value
    end
    config.workspace_required = true
    if not has('0.11.1') then
      -- 0.11.0 ignores workspace_required: never start outside a pack.
      local markers = conf.root_markers
      config.root_dir = function(bufnr, on_dir)
        local root = vim.fs.root(bufnr, markers)
        if root then
          on_dir(root)
        end
      end
    end
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return
  end

  local group = vim.api.nvim_create_augroup('packls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = conf.filetypes,
    callback = function(args)
      attach(args.buf, conf, api)
    end,
  })
  -- Buffers opened before setup() ran (lazy loading on ft=yaml).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      attach(bufnr, conf, api)
    end
  end
end

return M

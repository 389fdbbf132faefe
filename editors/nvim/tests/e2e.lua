-- Headless end-to-end session against the real packls server, for Neovim 0.7 and 0.11+.
--
--   nvim --headless --clean -c 'luafile editors/nvim/tests/e2e.lua'
--
-- Environment:
--   PACKLS_NVIM_DIR  the plugin folder (holds lsp/packls.lua and lua/packls/init.lua)
--   PACKLS_CMD       the server command as a JSON list
--   PACKLS_MODE      enable       lsp/packls.lua + vim.lsp.enable (0.11+)
--                    setup        require('packls').setup() (API chosen by version)
--                    setup:start  require('packls').setup({ api = 'start' }) (the 0.8-0.10 path)
--                    a ':late' suffix opens DIAG_FILE before setup() (lazy loading on ft=yaml)
--   DIAG_FILE        a pack file the server reports findings for
--   HOVER_FILE       a pack file with a `runtime_version:` line (hover) and a `runner_type:` line (completion)
--   OUTSIDE_FILE     a YAML file outside every pack (packls must not attach)
--   OUT              where to write the JSON report
--   TIMEOUT_MS       how long to wait for the server (default 20000)
-- The report is written even when a step times out; the pytest wrapper asserts on it.

local report = { version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor), steps = {} }
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '') or 20000
local t0 = vim.loop.hrtime()

local function elapsed_ms()
  return math.floor((vim.loop.hrtime() - t0) / 1e6)
end

local function step(name)
  table.insert(report.steps, { name = name, at_ms = elapsed_ms() })
end

local function finish()
  report.total_ms = elapsed_ms()
  local out = os.getenv('OUT') or error('OUT is not set')
  local file = assert(io.open(out, 'w'))
  file:write(vim.fn.json_encode(report))
  file:close()
  vim.cmd('qa!')
end

local function fail(message)
  report.error = message
  finish()
end

local function packls_clients(bufnr)
  local found = {}
  if vim.lsp.get_clients then
    for _, client in ipairs(vim.lsp.get_clients({ bufnr = bufnr, name = 'packls' })) do
      table.insert(found, client)
    end
  else
    for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if client.name == 'packls' then
        table.insert(found, client)
      end
    end
  end
  return found
end

local function initialized_client(bufnr)
  for _, client in ipairs(packls_clients(bufnr)) do
    if client.initialized or (client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil) then
      return client
    end
  end
  return nil
end

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

local function find_line(bufnr, pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s, e = line:find(pattern)
    if s then
      return i - 1, e, line
    end
  end
  return nil
end

local function markup_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if type(contents) ~= 'table' then
    return ''
  end
  if contents.value ~= nil then
    return contents.value
  end
  local parts = {}
  for _, item in ipairs(contents) do
    table.insert(parts, markup_text(item))
  end
  return table.concat(parts, '\n')
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if responses == nil then
    return nil, tostring(err or 'no response')
  end
  for _, response in pairs(responses) do
    if response.err or response.error then
      return nil, vim.inspect(response.err or response.error)
    end
    return response.result, nil
  end
  return nil, 'no client answered'
end

local function main()
  -- 1. configure the client the way a user would ------------------------------------------------
  local plugin_dir = (assert(os.getenv('PACKLS_NVIM_DIR'), 'PACKLS_NVIM_DIR is not set'))
  local cmd = vim.fn.json_decode((assert(os.getenv('PACKLS_CMD'), 'PACKLS_CMD is not set')))
  local mode = os.getenv('PACKLS_MODE') or 'setup'
  vim.opt.runtimepath:prepend(plugin_dir)
  report.mode = mode
  -- ':late': the pack file is already open when setup() runs (lazy loading on ft=yaml)
  local late = mode:match(':late$') ~= nil
  mode = mode:gsub(':late$', '')
  local early_buf = late and open(assert(os.getenv('DIAG_FILE'))) or nil

  local ok, err = pcall(function()
    if mode == 'enable' then
      vim.lsp.config('packls', { cmd = cmd }) -- an explicit vim.lsp.config() outranks lsp/packls.lua
      vim.lsp.enable('packls')
    elseif mode == 'setup:start' then
      require('packls').setup({ cmd = cmd, api = 'start' })
    else
      require('packls').setup({ cmd = cmd })
    end
  end)
  if not ok then
    return fail('configuring packls failed: ' .. tostring(err))
  end
  report.api = mode == 'enable' and 'lsp/packls.lua' or (mode == 'setup:start' and 'start' or require('packls').api())
  step('configured')

  -- 2. diagnostics on a broken pack file --------------------------------------------------------
  local diag_buf = early_buf or open(assert(os.getenv('DIAG_FILE')))
  report.diag_filetype = vim.bo[diag_buf].filetype
  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(diag_buf) > 0
  end, 50)
  step('diagnostics')
  local client = initialized_client(diag_buf)
  report.client = client and {
    name = client.name,
    root_dir = client.config.root_dir,
    offset_encoding = client.offset_encoding,
    attached = #packls_clients(diag_buf),
  } or vim.NIL
  report.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(diag_buf)) do
    table.insert(report.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or vim.NIL,
    })
  end
  if not got then
    return fail('no diagnostics within ' .. timeout .. ' ms')
  end

  -- 3. hover on runtime_version, completion on runner_type --------------------------------------
  local hover_buf = open(assert(os.getenv('HOVER_FILE')))
  if not vim.wait(timeout, function()
    return initialized_client(hover_buf) ~= nil
  end, 50) then
    return fail('packls did not attach to ' .. os.getenv('HOVER_FILE'))
  end
  step('attached')
  local uri = vim.uri_from_bufnr(hover_buf)

  local line, key_end, text = find_line(hover_buf, '^%s*runtime_version:%s*')
  if line == nil then
    return fail('no runtime_version line in HOVER_FILE')
  end
  local value_col = key_end + ((text:sub(key_end + 1, key_end + 1) == '"') and 1 or 0)
  report.hover_position = { line = line, character = value_col }
  local hover, hover_err = request(hover_buf, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = line, character = value_col },
  })
  report.hover = hover and markup_text(hover.contents) or vim.NIL
  report.hover_error = hover_err or vim.NIL
  step('hover')

  local rline, rkey_end = find_line(hover_buf, '^%s*runner_type:%s*')
  if rline == nil then
    return fail('no runner_type line in HOVER_FILE')
  end
  report.completion_position = { line = rline, character = rkey_end }
  local completion, completion_err = request(hover_buf, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = rline, character = rkey_end },
    context = { triggerKind = 1 },
  })
  local items = completion and (completion.items or completion) or {}
  report.completion = {}
  for _, item in ipairs(items) do
    table.insert(report.completion, item.label)
  end
  report.completion_error = completion_err or vim.NIL
  step('completion')

  -- 4. YAML outside a pack: no packls client ----------------------------------------------------
  local outside = os.getenv('OUTSIDE_FILE')
  if outside and outside ~= '' then
    local outside_buf = open(outside)
    report.outside_filetype = vim.bo[outside_buf].filetype
    vim.wait(500, function()
      return #packls_clients(outside_buf) > 0
    end, 50)
    report.outside_clients = #packls_clients(outside_buf)
    step('outside')
  end

  finish()
end

local ran, problem = xpcall(main, debug.traceback)
if not ran then
  fail('script error: ' .. tostring(problem))
end

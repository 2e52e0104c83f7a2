-- A real editor against `isolint server`: headless Neovim 0.7 (Debian bookworm's) or newer
-- starts the server with vim.lsp.start_client, opens Bicep and Terraform files, reads the
-- diagnostics, applies code actions through vim.lsp.util.apply_workspace_edit, waits for the
-- finding to go, and stops the server, which must exit with status 0.
--
-- Each format is checked twice, on two copies of its file: once with the rule's own fix (the
-- preferred quick fix: the buffer must then be the file with only the literal rewritten),
-- once with "suppress with a reason and an expiry date" (the comment must be there).
--
-- Run by scripts/nvim-lsp-test.sh, which sets:
--   ISOLINT_BIN        the isolint binary
--   ISOLINT_TEST_DIR   a folder holding {fix,suppress}/bicep/main.bicep and
--                      {fix,suppress}/terraform/main.tf
-- Any failed check, and any Lua error, ends Neovim with `cquit 1`; success with `qall!`
-- (status 0).

local bin = os.getenv('ISOLINT_BIN')
local dir = os.getenv('ISOLINT_TEST_DIR')
local patience = 30000

local function say(message)
  io.stdout:write(message .. '\n')
end

-- Stops the run: an error that the caller of `main` turns into `cquit 1`.
local function fail(message)
  error('nvim-lsp-test: FAIL: ' .. message, 0)
end

-- The AML001 diagnostics of `buf`.
local function aml001(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'AML001' and d.source == 'isolint' then
      table.insert(found, d)
    end
  end
  return found
end

local function read_file(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

-- `text` with its one occurrence of `old` (plain text) replaced by `new`.
local function replace_once(text, old, new)
  local start, stop = text:find(old, 1, true)
  if not start or text:find(old, stop + 1, true) then
    fail('the test file must hold `' .. old .. '` exactly once')
  end
  return text:sub(1, start - 1) .. new .. text:sub(stop + 1)
end

-- Opens `path`, checks AML001 is reported once, on the line holding `case.needle`, applies
-- the action `case.fix` asks for (the preferred quick fix, else the suppression), checks the
-- buffer, and waits for AML001 to go.
local function check(client_id, path, case)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local original = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  vim.lsp.buf_attach_client(buf, client_id)

  if not vim.wait(patience, function() return #aml001(buf) > 0 end, 20) then
    fail(path .. ': no AML001 diagnostic within 30 s; diagnostics: ' .. vim.inspect(vim.diagnostic.get(buf)))
  end
  local found = aml001(buf)
  if #found ~= 1 then
    fail(path .. ': ' .. #found .. ' AML001 diagnostics, expected 1: ' .. vim.inspect(found))
  end
  local d = found[1]
  if d.severity ~= vim.diagnostic.severity.ERROR then
    fail(path .. ': AML001 has severity ' .. tostring(d.severity) .. ', expected an error')
  end
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  if not line:find(case.needle, 1, true) then
    fail(path .. ': AML001 is on line ' .. (d.lnum + 1) .. ' (' .. line .. '), not on ' .. case.needle)
  end
  say(string.format('%s:%d:%d: %s', path:sub(#dir + 2), d.lnum + 1, d.col + 1, d.message))

  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.end_lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local response = client.request_sync('textDocument/codeAction', params, patience, buf)
  if not response or response.err or not response.result then
    fail(path .. ': textDocument/codeAction failed: ' .. vim.inspect(response))
  end
  local chosen = nil
  for _, action in ipairs(response.result) do
    say('  action: ' .. action.title .. (action.isPreferred and ' (preferred)' or ''))
    local wanted
    if case.fix then
      wanted = action.isPreferred == true
    else
      wanted = vim.startswith(action.title, 'Suppress AML001')
    end
    if wanted and not chosen then
      chosen = action
    end
  end
  if not chosen then
    fail(path .. ': no ' .. (case.fix and 'preferred quick fix' or 'suppression') .. ' among the actions')
  end
  if case.fix and chosen.title ~= case.fix.title then
    fail(path .. ': the preferred quick fix is "' .. chosen.title .. '", expected "' .. case.fix.title .. '"')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)

  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  if case.fix then
    local expected = replace_once(original, case.fix.from, case.fix.to)
    if text ~= expected then
      fail(path .. ': after "' .. chosen.title .. '" the buffer is not the file with only the literal fixed:\n' .. text)
    end
  elseif not text:find(case.comment) then
    fail(path .. ': after "' .. chosen.title .. '" the buffer does not match ' .. case.comment .. ':\n' .. text)
  end
  say('  applied: ' .. chosen.title)

  if not vim.wait(patience, function() return #aml001(buf) == 0 end, 20) then
    fail(path .. ': AML001 is still reported after the action')
  end
  say('  AML001 cleared')
end

local bicep = {
  file = 'bicep/main.bicep',
  needle = 'publicNetworkAccess',
  fix = {
    title = "set `publicNetworkAccess` to `'Disabled'`",
    from = "publicNetworkAccess: 'Enabled'",
    to = "publicNetworkAccess: 'Disabled'",
  },
  comment = '\n    // isolint%-ignore AML001 reason="TODO: [^"]*" until=%d%d%d%d%-%d%d%-%d%d\n    publicNetworkAccess',
}
local terraform = {
  file = 'terraform/main.tf',
  needle = 'public_network_access_enabled',
  fix = {
    title = 'set `public_network_access_enabled` to `false`',
    from = 'public_network_access_enabled = true',
    to = 'public_network_access_enabled = false',
  },
  comment = '\n  # isolint%-ignore AML001 reason="TODO: [^"]*" until=%d%d%d%d%-%d%d%-%d%d\n  public_network_access_enabled',
}

local function main()
  if not bin or not dir then
    fail('ISOLINT_BIN and ISOLINT_TEST_DIR must be set')
  end
  local exit_code = nil
  local client_id = vim.lsp.start_client({
    name = 'isolint',
    cmd = { bin, 'server' },
    root_dir = dir,
    workspace_folders = { { uri = vim.uri_from_fname(dir), name = 'test' } },
    on_exit = function(code, _signal, _id)
      exit_code = code
    end,
  })
  if not client_id then
    fail('vim.lsp.start_client failed')
  end

  for _, case in ipairs({ bicep, terraform }) do
    check(client_id, dir .. '/fix/' .. case.file, case)
    check(client_id, dir .. '/suppress/' .. case.file, vim.tbl_extend('force', case, { fix = false }))
  end

  vim.lsp.stop_client(client_id)
  if not vim.wait(patience, function() return exit_code ~= nil end, 20) then
    fail('the server did not exit after shutdown')
  end
  if exit_code ~= 0 then
    fail('the server exited with status ' .. exit_code .. ' after shutdown and exit')
  end
  say('server exited with status 0')
end

local ok, message = xpcall(main, debug.traceback)
if not ok then
  io.stderr:write(tostring(message) .. '\n')
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
